package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * kernel/smp.c on a 2-3 CPU zero-cost machine. CPU 1 has IRQs off from 100 to 600 us; the caller
 * on CPU 0 calls at 200 us; its CSD reaches CPU 1 at 201 us and is served at 600 us; the unlock is
 * seen at 601 us. A pinned wait is one 401 us section on CPU 0.
 */
class SmpTest {
    static final long US = 1_000;
    static final String STALL_CPU1 = "{ name = stall, affinity = [1], program = [{op = compute, duration = 100us},"
        + " {op = irq-off, duration = 500us, path = [stall]}, {op = compute, duration = 100ms}] }";

    static String caller(String op) {
        return "{ name = caller, affinity = [0], program = [{op = compute, duration = 200us}, " + op
            + ", {op = compute, duration = 100ms}] }";
    }

    /** Records what the probe points report. */
    static final class Recorder implements ProbeListener {
        final List<Boolean> waits = new ArrayList<>();
        final List<Long> waitTimes = new ArrayList<>();
        int spins;
        int ipis;
        int arrivals;

        @Override
        public void waitStarted(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c, boolean preemptible) {
            waits.add(preemptible);
            waitTimes.add(cpu.now);
        }

        @Override
        public void csdLockSpinning(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) { spins++; }

        @Override
        public void callFunctionIpi(PerCpu cpu, SimMessage m) { ipis++; }

        @Override
        public void csdArriving(PerCpu cpu, SimMessage m) { arrivals++; }
    }

    static Machine machine(int cpus, String kernel, String... tasks) {
        return new Machine("smpemu { topology.cpus = " + cpus + ", kernel { " + kernel + " }, workload.tasks = ["
            + String.join(",", tasks) + "] }");
    }

    @Test
    void smpCallFunctionSingleWaitsPinnedBeforePatch2AndPreemptibleWithIt() {
        String op = "{op = smp-call, call = single, cpus = \"1\", func = 0ns}";
        Recorder before = new Recorder(), after = new Recorder();
        Machine b = machine(2, "variant = baseline", caller(op), STALL_CPU1).listen(before).run();
        Machine a = machine(2, "patches = [2]", caller(op), STALL_CPU1).listen(after).run();
        assertEquals(List.of(false), before.waits);
        assertEquals(List.of(200 * US), before.waitTimes, "the dispatch and push cost nothing");
        assertEquals(401 * US, b.stats(0).longDur[0], "pinned from the call to the unlock");
        assertEquals(List.of(true), after.waits);
        assertEquals(0, a.stats(0).longCount, "a preemptible wait leaves no section");
    }

    @Test
    void genericSmpCallFunctionSingleInterruptDrainsTheQueueWithOneIpi() {
        // CPUs 0 and 2 queue a CSD each on CPU 1 while its IRQs are off: the second finds the
        // queue non-empty, so only one call-function IPI is raised; one handler serves both.
        String second = "{ name = caller2, affinity = [2], program = [{op = compute, duration = 250us},"
            + " {op = smp-call, call = single, cpus = \"1\", func = 0ns}, {op = compute, duration = 100ms}] }";
        Recorder r = new Recorder();
        Machine m = machine(3, "variant = baseline", caller("{op = smp-call, call = single, cpus = \"1\", func = 0ns}"),
            STALL_CPU1, second).listen(r).run();
        assertEquals(2, r.arrivals);
        assertEquals(1, r.ipis);
        assertEquals(401 * US, m.stats(0).longDur[0]);
        assertEquals(351 * US, m.stats(2).longDur[0], "250 us to 601 us");
        assertEquals(2, m.stats(1).callbacks);
    }

    @Test
    void csdLockSpinsOnTheCsdDataStillInFlight() {
        // Two non-waiting calls through CPU 0's per-CPU csd_data: the second csd_lock() spins
        // until CPU 1 has run the first (at 600 us, seen at 601 us).
        String op = "{op = smp-call, call = single, cpus = \"1\", wait = false, func = 0ns}";
        Recorder r = new Recorder();
        Machine m = machine(2, "variant = patched", caller(op + ", " + op), STALL_CPU1).listen(r).run();
        assertEquals(1, r.spins);
        assertEquals(401 * US, m.stats(0).longDur[0], "the spin is pinned, patched or not");
    }

    @Test
    void smpCallFunctionManyCondWaitsPreemptiblyOnlyWithTheTaskMask() {
        String op = "{op = smp-call, call = many, cpus = \"1\", func = 0ns}";
        Recorder p6 = new Recorder(), p46 = new Recorder();
        machine(2, "patches = [6]", caller(op), STALL_CPU1).listen(p6).run();
        machine(2, "patches = [4, 6]", caller(op), STALL_CPU1).listen(p46).run();
        assertEquals(List.of(false), p6.waits, "no task-local mask: the wait stays on cfd->cpumask, pinned");
        assertEquals(List.of(true), p46.waits);
    }

    @Test
    void theHandlerRunsSyncCallbacksFirst() {
        // Both CSDs wait on CPU 1: a non-waiting one (queued first) with a 100 us callback and a
        // waiting one with none. SYNC entries run first, so the waiter's unlock leaves at 600 us.
        String async = "{ name = async, affinity = [2], program = [{op = compute, duration = 150us},"
            + " {op = smp-call, call = single, cpus = \"1\", wait = false, func = 100us}, {op = compute, duration = 100ms}] }";
        Machine m = machine(3, "variant = baseline", caller("{op = smp-call, call = single, cpus = \"1\", func = 0ns}"),
            STALL_CPU1, async).run();
        assertEquals(401 * US, m.stats(0).longDur[0], "async first would have unlocked at 700 us: 501 us");
    }
}
