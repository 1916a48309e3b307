package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * kernel/locking/qspinlock.c for the named locks (docs/kernel-model.md#qspinlock), on zero-cost
 * machines: only the ops, the IPI latency (1 us within a socket) and the cache-line transfers
 * (reference.conf: 60 ns within a socket, 150 ns across, 20 ns to an SMT sibling) take time. Every
 * acquisition and release is one transfer to the lock's home and, for the grant, one back.
 */
class QspinlockTest {
    private static final long US = 1_000;
    private static final long SAME = 60, CROSS = 150;

    /** What the lock probe points report, in the order they fire. */
    static final class Recorder implements ProbeListener {
        final List<long[]> acquired = new ArrayList<>(); // cpu, time, spin, queued
        final List<long[]> released = new ArrayList<>(); // cpu, time, held
        final List<long[]> csdTaken = new ArrayList<>(); // cpu, time, arrival
        int contended;

        @Override
        public void lockAcquired(PerCpu cpu, TaskState t, int lock, long spinNs, boolean queued) {
            acquired.add(new long[] {cpu.id, cpu.now, spinNs, queued ? 1 : 0});
        }

        @Override
        public void lockReleased(PerCpu cpu, TaskState t, int lock, long heldNs) {
            released.add(new long[] {cpu.id, cpu.now, heldNs});
        }

        @Override
        public void lockContended(PerCpu cpu, int lock, int waiter, int depth) { contended++; }

        @Override
        public void csdTaken(PerCpu cpu, SimMessage m) { csdTaken.add(new long[] {cpu.id, cpu.now, m.time()}); }
    }

    /** A task pinned to {@code cpu}: {@code before} of user work, then {@code op}, then user work to the end. */
    private static String task(int cpu, long beforeNs, String op) {
        return "{ name = t" + cpu + ", affinity = [" + cpu + "], program = [{op = compute, duration = " + beforeNs + "ns}, "
            + op + ", {op = compute, duration = 100ms}] }";
    }

    private static Machine machine(String topology, String extra, List<String> tasks, Recorder r) {
        return new Machine("smpemu { topology { " + topology + " }, measurement.longest-sections = 20, " + extra
            + " workload { locks = [{name = l, home = 0}], tasks = [" + String.join(",", tasks) + "] } }").listen(r).run();
    }

    @ParameterizedTest(name = "{0} waiters, hold {1} us")
    @CsvSource({"4, 10", "7, 3"})
    void theKthWaiterSpinsKMinusOneHoldsPlusTheTransfersInFifoOrder(int n, long holdUs) {
        // Waiter CPUs 1..n ask in reverse order, CPU n first, 100 ns apart; the lock's home CPU 0
        // runs nothing. Request r_c = (n - c) * 100 ns reaches the home at r_c + x; the first
        // grant arrives at 2x; each release then takes x to the home and the grant x back.
        long h = holdUs * US, x = SAME;
        List<String> tasks = new ArrayList<>();
        for (int c = 1; c <= n; c++) tasks.add(task(c, (n - c) * 100L, "{op = spin-lock, lock = l, duration = " + holdUs + "us}"));
        Recorder r = new Recorder();
        Machine m = machine("cpus = " + (n + 1), "", tasks, r);
        assertEquals(n, r.acquired.size());
        for (int k = 1; k <= n; k++) {
            long[] a = r.acquired.get(k - 1);
            int cpu = n - k + 1; // FIFO: in the order the requests reached the home
            long request = (n - cpu) * 100L;
            long grant = 2 * x + (k - 1) * (h + 2 * x);
            assertEquals(cpu, a[0], "acquisition " + k);
            assertEquals(grant, a[1], "acquisition " + k + " time");
            assertEquals(grant - request, a[2], "waiter " + k + " spins (k-1) holds plus the transfers");
            assertEquals(k > 1 ? 1 : 0, a[3], "queued behind a holder");
            // The spin is part of the waiter's preempt-off section: spin + hold, one section.
            assertEquals(grant - request + h, m.stats(cpu).longDur[0], "section of waiter " + k);
        }
        assertEquals(n - 1, r.contended);
        // The statistics listener's per-lock row, summed over the waiters' CPUs.
        long acquisitions = 0, queued = 0, holdMax = 0;
        for (int c = 1; c <= n; c++) {
            long[] row = m.stats(c).locks;
            acquisitions += row[0];
            queued += row[1];
            holdMax = Math.max(holdMax, row[5]);
        }
        assertEquals(n, acquisitions);
        assertEquals(n - 1, queued);
        assertEquals(h, holdMax);
    }

    @Test
    void aHandoffAcrossSocketsTakesTheCrossSocketTransfers() {
        // Two sockets of 2 CPUs; home CPU 0. CPU 1 (same socket) holds first; CPU 2 (other socket)
        // asks 100 ns later: its grant comes a release-to-home (same socket) and a home-to-it
        // (cross socket) transfer after CPU 1's release.
        long h = 10 * US;
        Recorder r = new Recorder();
        machine("cpus = 4, sockets = 2", "", List.of(
            task(1, 0, "{op = spin-lock, lock = l, duration = 10us}"),
            task(2, 100, "{op = spin-lock, lock = l, duration = 10us}")), r);
        long release1 = 2 * SAME + h;
        assertEquals(release1, r.released.get(0)[1]);
        assertEquals(release1 + SAME + CROSS, r.acquired.get(1)[1]);
        assertEquals(release1 + SAME + CROSS - 100, r.acquired.get(1)[2]);
    }

    @Test
    void anIrqsaveWaiterDelaysAnIpiSentToItsCpuUntilItHasReleasedTheLock() {
        // CPU 1 holds the lock 0-100 us; CPU 2 asks at 10 us and spins, then holds 10 us. CPU 0
        // calls CPU 2 at 20 us: the CSD arrives at 21 us but the handler runs only when CPU 2's
        // IRQs come back on, at its release; with spin_lock (IRQs on) it runs on arrival.
        String holder = task(1, 0, "{op = spin-lock, lock = l, duration = 100us}");
        String caller = task(0, 20 * US, "{op = smp-call, call = single, cpus = \"2\", func = 0ns}");
        for (String variant : List.of("spin-lock-irqsave", "spin-lock")) {
            Recorder r = new Recorder();
            Machine m = machine("cpus = 3", "", List.of(holder, caller,
                task(2, 10 * US, "{op = " + variant + ", lock = l, duration = 10us}")), r);
            long[] csd = r.csdTaken.get(0);
            long[] release2 = r.released.get(1);
            assertEquals(2, csd[0]);
            assertEquals(21 * US, csd[2], "the CSD reaches CPU 2 one IPI latency after the call");
            assertEquals(2, release2[0]);
            if (variant.equals("spin-lock-irqsave")) {
                assertEquals(release2[1], csd[1], "the handler runs at the release, when IRQs come back on");
                assertTrue(csd[1] > 110 * US);
                // The blame for the held-back CSD names the spin, IRQs off since it began.
                long[] b = m.stats(2).blameCsds;
                assertEquals(BlameRecorder.CAUSE_IRQS_OFF, b[5]);
                assertEquals(10 * US, b[6]);
                List<String> path = m.ctx.workload.paths.path((int) b[7]);
                assertEquals("queued_spin_lock_slowpath", path.get(path.size() - 1));
            } else {
                assertEquals(csd[2], csd[1], "spin_lock leaves IRQs on: the handler runs at once, inside the spin");
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"spin-lock, 65000, 45000", "spin-lock-irqsave, 50240, 60240"})
    void aGrantThatArrivesDuringAHandlerIsTakenWhenItReturns(String variant, long acquiredAt, long handlerAt) {
        // CPU 1 holds 0.12-50.12 us; CPU 2 asks at 10 us; its grant arrives at 50.24 us (release to
        // the home, home to CPU 2). A device interrupt is raised on CPU 2 at 45 us (20 us handler).
        // spin_lock: the handler runs at once, inside the spin, and the grant waits for its end
        // (65 us). spin_lock_irqsave: the interrupt waits; the lock is taken at 50.24 us and the
        // handler runs at the release, 60.24 us.
        Recorder r = new Recorder();
        List<Long> handlers = new ArrayList<>();
        ProbeListener irqs = new ProbeListener() {
            @Override
            public void irqTaken(PerCpu cpu) { if (cpu.id == 2) handlers.add(cpu.now); }
        };
        Machine m = new Machine("smpemu { duration = 100us, measurement.window = 100us, topology.cpus = 3, workload {"
            + " locks = [{name = l, home = 0}], tasks = [" + task(1, 0, "{op = spin-lock, lock = l, duration = 50us}") + ", "
            + task(2, 10 * US, "{op = " + variant + ", lock = l, duration = 10us}") + "],"
            + " irqs = [{name = nic, cpus = \"2\", interarrival = 45us, handler = 20us}] } }").listen(r).listen(irqs).run();
        long[] a = r.acquired.get(1);
        assertEquals(2, a[0]);
        assertEquals(acquiredAt, a[1], "acquired");
        assertEquals(acquiredAt - 10 * US, a[2], "spun");
        assertEquals(handlerAt, handlers.get(0), "the NIC handler starts");
        // The section runs from the request (10 us) to the release (acquired + 10 us hold).
        assertEquals(acquiredAt, m.stats(2).longDur[0], "CPU 2's section");
    }

    /** One task on CPU 1: a spin_lock section, then a spin_lock_irqsave one, on a lock homed on CPU 0. */
    private static List<String> sections(String tracer, String preemption, boolean raw) {
        String t = "{ name = t, affinity = [1], program = [{op = compute, duration = 100us},"
            + " {op = spin-lock, lock = l, duration = 50us, path = [futex_wait]}, {op = compute, duration = 150us},"
            + " {op = spin-lock-irqsave, lock = l, duration = 50us, path = [free_pcppages_bulk]}, {op = compute, duration = 100ms}] }";
        Machine m = new Machine("smpemu { duration = 1ms, measurement { window = 1ms, tracer = " + tracer + ", longest-sections = 10 },"
            + " kernel.preemption = " + preemption + ", topology.cpus = 2,"
            + " workload { locks = [{name = l, home = 0, raw = " + raw + "}], tasks = [" + t + "] } }").run();
        CpuStats s = m.stats(1);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.longCount; i++) {
            out.add(s.longStart[i] + "+" + s.longDur[i] + " " + String.join(">", m.ctx.workload.paths.path(s.longPath[i]))
                + " " + CpuStats.kindName(s.longKind[i]));
        }
        out.sort(null);
        return out;
    }

    @ParameterizedTest(name = "{0} {1} raw={2}")
    @CsvSource(delimiter = '|', value = {
        // Uncontended: each spin is the round trip to the home (2 x 60 ns), then the 50 us hold.
        "preemptoff     | full | false | 100000+50120 futex_wait preempt; 300120+50120 free_pcppages_bulk preempt+irqs",
        "irqsoff        | full | false | 300120+50120 free_pcppages_bulk preempt+irqs",
        "preemptirqsoff | full | false | 100000+50120 futex_wait preempt; 300120+50120 free_pcppages_bulk preempt+irqs",
        // PREEMPT_RT: an ordinary lock is an rt_mutex and disables nothing; a raw one still spins.
        "preemptoff     | rt   | false | ''",
        "irqsoff        | rt   | false | ''",
        "preemptoff     | rt   | true  | 100000+50120 futex_wait preempt; 300120+50120 free_pcppages_bulk preempt+irqs",
    })
    void eachTracerSeesTheLockSectionsItsHooksSee(String tracer, String preemption, boolean raw, String expected) {
        assertEquals(expected.isEmpty() ? List.of() : List.of(expected.split("; ")), sections(tracer, preemption, raw));
    }
}
