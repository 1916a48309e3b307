package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import smpemu.protocol.MsgKind;
import smpemu.protocol.SimMessage;

/**
 * arch/x86/mm/tlb.c's TLB state as the kernel keeps it: mm_cpumask and the per-CPU state a sender
 * reads (one transfer latency old), should_flush_tlb() on the sender, lazy CPUs and their deferred
 * flush, tlb_gen, the reclaim batch, and stale-tlb. The zero-cost machine's latency is 1 us.
 */
class TlbTest {
    /** What the TLB probe points report, as "sent 0->1 mm 0", "declined 0->2 mm 0", "deferred 1 mm 0 5000ns", "missed 1 mm 0". */
    static final class TlbEvents implements ProbeListener {
        final List<String> events = new ArrayList<>();

        @Override
        public void tlbFlushSent(PerCpu cpu, int target, int mm) { events.add("sent " + cpu.id + "->" + target + " mm " + mm); }

        @Override
        public void tlbFlushDeclined(PerCpu cpu, int target, int mm) { events.add("declined " + cpu.id + "->" + target + " mm " + mm); }

        @Override
        public void tlbFlushDeferred(PerCpu cpu, int mm, long ns) { events.add("deferred " + cpu.id + " mm " + mm + " " + ns + "ns"); }

        @Override
        public void tlbFlushMissed(PerCpu cpu, int mm, long gen, boolean freed) { events.add("missed " + cpu.id + " mm " + mm); }
    }

    private static Machine run(String kernel, int cpus, String tasks, TlbEvents ev) {
        return new Machine("smpemu { duration = 1ms, topology.cpus = " + cpus + ", kernel { " + kernel
            + " costs.flush-tlb-full = 5us }, checkers.enabled = true, workload.tasks = [" + tasks + "] }").listen(ev).run();
    }

    /** The flusher on CPU 0: mm p, an op at 100 us. */
    private static String flusher(String op) {
        return "{ name = flusher, mm = p, affinity = [0], program = [{op = compute, duration = 100us}, " + op
            + ", {op = compute, duration = 10ms}] }";
    }

    /** CPU 1 runs another process until {@code switchAt}, then a thread of p. */
    private static String switchesToPAt(String switchAt) {
        return "{ name = other, mm = q, affinity = [1], program = [{op = compute, duration = " + switchAt + "}] },"
            + " { name = thread, mm = p, affinity = [1], program = [{op = compute, duration = 10ms}] }";
    }

    @Test
    void aCpuThatSwitchedToTheMmBeforeTheFlushCouldSeeItGetsTheIpi() {
        TlbEvents ev = new TlbEvents();
        // Its bit is set at 98 us and visible to CPU 0 from 99 us: it is in the mask the flush reads at 100 us.
        Machine m = run("variant = baseline,", 2, flusher("{op = munmap, pages = 4}") + ", " + switchesToPAt("98us"), ev);
        assertTrue(ev.events.contains("sent 0->1 mm 0"), ev.events.toString());
        assertEquals(1, m.stats(1).callbacks);
        assertEquals(0, m.stats(1).violationCount);
    }

    @Test
    void aCpuThatSwitchedToTheMmTooLateToBeSeenCatchesUpThroughTlbGen() {
        TlbEvents ev = new TlbEvents();
        // Set at 99.5 us, visible at CPU 0 only at 100.5 us: no IPI; switch_mm_irqs_off() read the new tlb_gen.
        Machine m = run("variant = baseline,", 2, flusher("{op = munmap, pages = 4}") + ", " + switchesToPAt("99500ns"), ev);
        assertFalse(ev.events.contains("sent 0->1 mm 0"), ev.events.toString());
        assertTrue(ev.events.contains("deferred 1 mm 0 0ns"), ev.events.toString());
        assertEquals(0, m.stats(1).callbacks);
        assertEquals(0, m.stats(1).violationCount);
        PerCpu c1 = m.cpus[1].perCpu();
        assertTrue(c1.tlb.view.localTlbGen(0) >= c1.tlb.view.mmTlbGen(0), "up to date");
    }

    @Test
    void aLazyCpuIsSkippedForAPlainFlushAndPaysTheDeferredFlushAtItsNextSwitch() {
        TlbEvents ev = new TlbEvents();
        // A thread of p on CPU 1 runs 10 us, then sleeps: CPU 1 is idle, lazily on p, at the flush.
        String sleeper = "{ name = thread, mm = p, affinity = [1], program = [{op = compute, duration = 10us},"
            + " {op = sleep, duration = 200us}, {op = compute, duration = 10ms}] }";
        Machine m = run("variant = baseline,", 2, flusher("{op = munmap, pages = 4}") + ", " + sleeper, ev);
        assertTrue(ev.events.contains("declined 0->1 mm 0"), ev.events.toString());
        assertEquals(0, m.stats(1).callbacks, "a declined CPU gets no CSD");
        assertEquals(0, m.stats(1).ipisSent, "and no IPI");
        assertTrue(ev.events.contains("deferred 1 mm 0 5000ns"), "the full flush at its next switch: " + ev.events);
        assertEquals(0, m.stats(1).violationCount);
    }

    @Test
    void aCpuOnAnotherMmIsDeclined() {
        TlbEvents ev = new TlbEvents();
        // CPU 1 ran p, then runs q: still in p's mm_cpumask, but should_flush_tlb() sees q loaded.
        String tasks = "{ name = thread, mm = p, affinity = [1], program = [{op = compute, duration = 10us}] },"
            + " { name = other, mm = q, affinity = [1], program = [{op = compute, duration = 10ms}] }";
        Machine m = run("variant = baseline,", 2, flusher("{op = munmap, pages = 4}") + ", " + tasks, ev);
        assertTrue(ev.events.contains("declined 0->1 mm 0"), ev.events.toString());
        assertEquals(0, m.stats(1).callbacks + m.stats(1).ipisSent);
    }

    @Test
    void freedPageTablesReachLazyCpus() {
        TlbEvents ev = new TlbEvents();
        String sleeper = "{ name = thread, mm = p, affinity = [1], program = [{op = compute, duration = 10us},"
            + " {op = sleep, duration = 200us}, {op = compute, duration = 10ms}] }";
        Machine m = run("variant = baseline,", 2, flusher("{op = exit-mmap}") + ", " + sleeper, ev);
        assertTrue(ev.events.contains("sent 0->1 mm 0"), ev.events.toString());
        assertEquals(1, m.stats(1).callbacks);
        assertEquals(0, m.stats(1).violationCount);
    }

    @Test
    void staleTlbCatchesLazyCpusSkippedForFreedPageTables() {
        TlbEvents ev = new TlbEvents();
        String sleeper = "{ name = thread, mm = p, affinity = [1], program = [{op = compute, duration = 10us},"
            + " {op = sleep, duration = 200us}, {op = compute, duration = 10ms}] }";
        Machine m = run("variant = unsafe-u12,", 2, flusher("{op = exit-mmap}") + ", " + sleeper, ev);
        assertTrue(ev.events.contains("declined 0->1 mm 0"), ev.events.toString());
        assertTrue(ev.events.contains("missed 1 mm 0"), ev.events.toString());
        assertEquals("stale-tlb", m.stats(1).violations.get(0)[0]);
    }

    @Test
    void staleTlbCatchesATlbGenBumpedAfterTheMaskWasRead() {
        TlbEvents ev = new TlbEvents();
        // U11: the flush reads mm_cpumask at 100 us and bumps tlb_gen when its IPIs go out, 5 us later;
        // CPU 1 switched to p at 99.5 us: its bit came too late for the read, the bump too late for its own.
        String cost = "variant = unsafe-u11, costs.call-function-entry = 5us,";
        Machine m = run(cost, 2, flusher("{op = munmap, pages = 4}") + ", " + switchesToPAt("99500ns"), ev);
        assertTrue(ev.events.contains("missed 1 mm 0"), ev.events.toString());
        assertEquals("stale-tlb", m.stats(1).violations.get(0)[0]);
        // The same timeline with the kernel's order: CPU 1 catches up.
        TlbEvents ok = new TlbEvents();
        Machine safe = run("variant = patched, costs.call-function-entry = 5us,", 2,
            flusher("{op = munmap, pages = 4}") + ", " + switchesToPAt("99500ns"), ok);
        assertEquals(0, safe.stats(1).violationCount, ok.events.toString());
        assertTrue(ok.events.contains("deferred 1 mm 0 0ns"), ok.events.toString());
    }

    @Test
    void reclaimFlushesTheUnmappedMmsCpusAndTheLocalCpuOnlyWhenInTheBatch() {
        TlbEvents ev = new TlbEvents();
        // p runs on CPU 1, q on CPU 2, CPU 3 only runs a kthread: never in a user mm's mm_cpumask.
        // kswapd (a kthread: CPU 0 is lazy and in no mask) reclaims at 100 us.
        String tasks = "{ name = kswapd, mm = kernel, affinity = [0], program = [{op = compute, duration = 100us}, {op = reclaim},"
            + " {op = compute, duration = 10ms}] },"
            + " { name = a, mm = p, affinity = [1], program = [{op = compute, duration = 10ms}] },"
            + " { name = b, mm = q, affinity = [2], program = [{op = compute, duration = 10ms}] },"
            + " { name = k, mm = kernel, affinity = [3], program = [{op = compute, duration = 10ms}] }";
        IrqsOff local = new IrqsOff();
        Machine m = new Machine("smpemu { duration = 1ms, topology.cpus = 4, kernel.costs.flush-tlb-full = 5us,"
            + " workload.tasks = [" + tasks + "] }").listen(ev).listen(local).run();
        assertTrue(ev.events.contains("sent 0->1 mm -1") && ev.events.contains("sent 0->2 mm -1"), ev.events.toString());
        assertFalse(ev.events.stream().anyMatch(e -> e.startsWith("sent 0->3") || e.startsWith("declined 0->3")),
            "CPU 3 is in no batch mm's mask: " + ev.events);
        assertEquals(0, m.stats(3).callbacks);
        assertEquals(0, local.count[0], "CPU 0 is not in the batch: no local flush");

        // A task of p reclaiming (direct reclaim): its CPU is in the batch, and flushes itself.
        IrqsOff local2 = new IrqsOff();
        String direct = "{ name = a, mm = p, affinity = [0], program = [{op = compute, duration = 100us}, {op = reclaim},"
            + " {op = compute, duration = 10ms}] },"
            + " { name = b, mm = p, affinity = [1], program = [{op = compute, duration = 10ms}] }";
        new Machine("smpemu { duration = 1ms, topology.cpus = 2, kernel.costs.flush-tlb-full = 5us,"
            + " workload.tasks = [" + direct + "] }").listen(local2).run();
        assertEquals(1, local2.count[0], "the local flush_tlb_func()");
    }

    @Test
    void aCpuThatSwitchedInDuringAReclaimBatchsBumpsCatchesUp() {
        // kswapd's batch bumps p, q, r and s at 100 us (their stamps 1 ns apart, s last); CPU 1,
        // which ran only a kthread before, switched to s at 99.001 us, visible to CPU 0 only at
        // 100.001 us: after the mask read, so no IPI, and switch_mm_irqs_off() read the new
        // tlb_gen. Not a stale TLB (found by a dpdk-16-full sweep point on the baseline kernel).
        TlbEvents ev = new TlbEvents();
        String tasks = "{ name = kswapd, mm = kernel, affinity = [0], program = [{op = compute, duration = 100us}, {op = reclaim},"
            + " {op = compute, duration = 10ms}] },"
            + " { name = a, mm = p, affinity = [2], program = [{op = compute, duration = 10ms}] },"
            + " { name = b, mm = q, affinity = [3], program = [{op = compute, duration = 10ms}] },"
            + " { name = other, mm = kernel, affinity = [1], program = [{op = compute, duration = 99001ns}] },"
            + " { name = c, mm = r, affinity = [2], program = [{op = compute, duration = 10ms}] },"
            + " { name = thread, mm = s, affinity = [1], program = [{op = compute, duration = 10ms}] }";
        Machine m = new Machine("smpemu { duration = 1ms, topology.cpus = 4, kernel.costs.flush-tlb-full = 5us,"
            + " checkers.enabled = true, workload.tasks = [" + tasks + "] }").listen(ev).run();
        assertFalse(ev.events.contains("missed 1 mm 3"), ev.events.toString());
        assertEquals(0, m.stats(1).violationCount);
    }

    /** The flusher on CPU 0 unmaps at 100 us and at 200 us; threads of its process run on CPUs 1..n. */
    private static Machine invlpgb(int threads, TlbEvents ev) {
        String tasks = "{ name = flusher, mm = p, affinity = [0], program = [{op = compute, duration = 100us},"
            + " {op = munmap, pages = 4}, {op = compute, duration = 100us}, {op = munmap, pages = 4},"
            + " {op = compute, duration = 10ms}] },"
            + " { name = thread, mm = p, count = " + threads + ", per-cpu = true, affinity = \"1-" + threads + "\","
            + " program = [{op = compute, duration = 10ms}] }";
        return run("variant = baseline, smp.invlpgb = true, costs.flush-tlb-broadcast = 3us,", threads + 1, tasks, ev);
    }

    @Test
    void invlpgbBroadcastsOnlyForAnMmWithAGlobalAsid() {
        // Active on 5 CPUs: the first flush goes by IPIs and consider_global_asid() gives p a
        // global ASID; the second is a broadcast, no IPIs, pinned for the TLBSYNC alone.
        TlbEvents ev = new TlbEvents();
        Machine wide = invlpgb(4, ev);
        assertEquals(4, ev.events.stream().filter(e -> e.startsWith("sent 0->")).count(), ev.events.toString());
        assertTrue(wide.cpus[0].perCpu().tlb.view.globalAsid(0), "p has a global ASID");
        assertEquals(1, wide.stats(1).callbacks, "one IPI flush only");
        assertEquals(0, wide.stats(1).violationCount);
        // Active on 2 CPUs: never a global ASID, so both flushes send IPIs (INVLPGB or not).
        TlbEvents narrow = new TlbEvents();
        Machine two = invlpgb(1, narrow);
        assertEquals(List.of("sent 0->1 mm 0", "sent 0->1 mm 0"), narrow.events.stream().filter(e -> e.startsWith("sent")).toList());
        assertFalse(two.cpus[0].perCpu().tlb.view.globalAsid(0));
        assertEquals(2, two.stats(1).callbacks);
    }

    /** IRQ-off stretches outside context switches, per CPU: a flush's local callback. */
    static final class IrqsOff implements ProbeListener {
        final int[] count = new int[8];

        @Override
        public void hardirqsOff(PerCpu cpu, int path, int task) {
            if (path != cpu.w.schedulePath) count[cpu.id]++;
        }
    }

    @Test
    void flushTlbFuncSkipsWhenUpToDateAndWidensARangeWhenBehindByMore() {
        PerCpu c = new PerCpu(0, new ModelContext(ZeroCost.settings("smpemu { kernel.costs { flush-tlb-full = 5us,"
            + " flush-tlb-one-page = 1us }, workload.tasks = [{name = a, mm = p, program = [{op = compute, duration = 1ms},"
            + " {op = munmap}]}] }")), m -> { });
        c.tlb.switchMmIrqsOff(0);
        assertEquals(1000, c.tlb.flushTlbFunc(csd(CsdFlags.FLUSH_USER_COND, 0, 2048)), "the one generation behind: ranged");
        assertEquals(c.smpCosts.flushSkip, c.tlb.flushTlbFunc(csd(CsdFlags.FLUSH_USER_COND, 0, 2048)), "up to date: skip");
        c.tlb.view.genSeen(0, 5000); // a generation it was not sent (a flush in flight)
        assertEquals(5000, c.tlb.flushTlbFunc(csd(CsdFlags.FLUSH_USER_COND, 0, 4096)), "behind by more: a full flush");
        assertEquals(c.smpCosts.flushSkip, c.tlb.flushTlbFunc(csd(CsdFlags.FLUSH_USER_COND, 0, 5000)), "the full one covered it");
    }

    private static SimMessage csd(int flush, int mm, long gen) {
        return new SimMessage(0, MsgKind.CSD_PUSH, 1, 0, 0, 7, CsdFlags.make(true, CsdFlags.CFD, flush, false), mm,
            gen << 12 | 1, null);
    }

    @Test
    void flushTlbFuncOnACpuNotRunningTheMmLeavesItsMmCpumask() {
        PerCpu c = new PerCpu(0, new ModelContext(ZeroCost.settings("smpemu { workload.tasks = [{name = a, mm = p,"
            + " program = [{op = compute, duration = 1ms}]}, {name = b, mm = q, program = [{op = compute, duration = 1ms}]}] }")),
            m -> { });
        c.tlb.switchMmIrqsOff(0);
        c.tlb.switchMmIrqsOff(1);
        assertTrue(c.mmSet.contains(0), "switching away does not leave the old mask");
        c.tlb.flushTlbFunc(csd(CsdFlags.FLUSH_USER_ALL, 0, 2048));
        assertFalse(c.mmSet.contains(0), "the flush trims it");
        assertTrue(c.mmSet.contains(1));
    }

    @Test
    void aShootdownReachesOnlyTheCpusOfTheMm() {
        // The caller and a thread of its process on CPU 1; CPU 2 runs another process: a munmap
        // sends one IPI (to CPU 1), an exit too.
        String tasks = "{ name = caller, mm = p, affinity = [0], program = [{op = compute, duration = 200us},"
            + " {op = munmap, pages = 4}, {op = exit-mmap}, {op = compute, duration = 100ms}] },"
            + " { name = thread, mm = p, affinity = [1], program = [{op = compute, duration = 100ms}] },"
            + " { name = other, mm = q, affinity = [2], program = [{op = compute, duration = 100ms}] }";
        Machine m = new Machine("smpemu { topology.cpus = 3, workload.tasks = [" + tasks + "] }").run();
        assertEquals(2, m.stats(0).shootdowns);
        assertEquals(2, m.stats(1).ipisSent, "CPU 1's queue was empty both times: two IPIs raised there");
        assertEquals(0, m.stats(2).ipisSent + m.stats(2).callbacks);
    }
}
