package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** kernel/sched/core.c and interrupt exit: when a woken FIFO task gets the CPU. */
class SchedCoreTest {
    private static final long US = 1_000;

    @ParameterizedTest(name = "{0}: the RT task runs {1} us after its timer")
    @CsvSource({"full, 0", "rt, 0", "voluntary, 400", "none, 400"})
    void preemptScheduleIrqPreemptsKernelCodeOnlyUnderFullAndRt(String model, long latencyUs) {
        // A kernel op (preemptible code) runs 0-500 us; the FIFO task's hrtimer fires at 100 us.
        String tasks = "{ name = bg, program = [{op = kernel, duration = 500us}, {op = compute, duration = 100ms}] },"
            + " { name = rt, policy = fifo, priority = 99, program = [{op = sleep, duration = 100us},"
            + " {op = compute, duration = 10us}, {op = block}] }";
        Machine m = new Machine("smpemu { topology.cpus = 1, kernel.preemption = " + model + ", workload.tasks = ["
            + tasks + "] }").run();
        assertEquals(latencyUs * US, m.stats(0).rtMax);
    }

    @org.junit.jupiter.api.Test
    void tryToWakeUpSendsATtwuIpiToTheTasksCpu() {
        // The waker on CPU 0 wakes the sleeper blocked on CPU 1 at 100 us: one IPI, delivered in
        // 1 us; the FIFO sleeper runs at once on its arrival (wake-up latency counts from there).
        String tasks = "{ name = waker, affinity = [0], program = [{op = compute, duration = 100us},"
            + " {op = wake, task = sleeper}, {op = compute, duration = 100ms}] },"
            + " { name = sleeper, policy = fifo, priority = 50, affinity = [1], program = [{op = block},"
            + " {op = compute, duration = 10us}, {op = block}] }";
        Machine m = new Machine("smpemu { workload.tasks = [" + tasks + "] }").run();
        assertEquals(1, m.stats(0).ipisSent);
        assertEquals(1, m.stats(1).wakeups);
        assertEquals(1, m.stats(1).rtCount);
        assertEquals(0, m.stats(1).rtMax, "the idle CPU runs it as the IPI arrives");
    }
}
