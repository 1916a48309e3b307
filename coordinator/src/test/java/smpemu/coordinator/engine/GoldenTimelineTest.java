package smpemu.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.RunResult;
import smpemu.node.model.ZeroCost;

/**
 * Timelines worked out by hand on one CPU, with zero-cost context switches and timer handlers so
 * every instant is exact. The RT task's wake-up latency tells when it got the CPU.
 */
class GoldenTimelineTest {
    private static final long US = 1_000;

    /** One CPU, free scheduler paths, plus the given tasks and IRQs. */
    private static SimSettings machine(String preemption, String tasks, String irqs) {
        return ZeroCost.settings("smpemu { topology.cpus = 1, kernel.preemption = " + preemption + ","
            + " workload { tasks = [" + tasks + "], irqs = [" + irqs + "] } }");
    }

    /** The RT task sleeps until 200 us; meanwhile the background task enters its section at 100 us. */
    private static final String RT_SLEEPER = "{ name = rt, policy = fifo, priority = 99, program = ["
        + "{op = sleep, duration = 200us}, {op = compute, duration = 10us}, {op = block}] }";

    @ParameterizedTest(name = "{0}: the RT task runs at {1} us")
    @CsvSource({"full, 400", "rt, 400", "none, 600", "voluntary, 600"})
    void fifoWokenInsidePreemptOffSection(String preemption, long runsAtUs) {
        String bg = "{ name = bg, program = [ {op = compute, duration = 100us},"
            + " {op = preempt-off, duration = 300us, path = [spin_lock], raw = true},"
            + " {op = kernel, duration = 200us}, {op = cond-resched}, {op = compute, duration = 10ms}] }";
        RunResult r = Runs.sequential(machine(preemption, RT_SLEEPER + "," + bg, ""));
        assertEquals((runsAtUs - 200) * US, r.summary().rtWakeupMaxNs(),
            "woken at 200 us by its timer; preempt-off section 100-400 us; kernel code to 600 us");
        RunResult.Section longest = r.longest().get(0);
        assertEquals(300 * US, longest.durationNs());
        assertEquals(100 * US, longest.startNs());
        assertEquals(List.of("spin_lock"), longest.path());
        assertEquals("bg", longest.task());
    }

    @Test
    void interruptDuringIrqOffSectionIsTakenAtIrqEnable() {
        // A NIC interrupt raised at 250 us (inside the IRQ-off section 100-400 us) wakes the RT
        // task; its 5 us handler runs at 400 us, so the task runs at 405 us: 155 us after the raise.
        String rt = "{ name = rt, policy = fifo, priority = 99, program = [{op = loop, body = ["
            + "{op = block}, {op = compute, duration = 10us}]}] }";
        String bg = "{ name = bg, program = [ {op = compute, duration = 100us},"
            + " {op = spin-lock-irqsave, duration = 300us, path = [spin_lock_irqsave]},"
            + " {op = compute, duration = 10ms}] }";
        String nic = "{ name = nic, cpus = \"0\", interarrival = 250us, handler = 5us, wakes = rt }";
        RunResult r = Runs.sequential(machine("full", rt + "," + bg, nic));
        assertEquals(155 * US, r.summary().rtWakeupMaxNs());
        assertEquals(List.of("spin_lock_irqsave"), r.longest().get(0).path());
        assertEquals(300 * US, r.longest().get(0).durationNs());
    }

    @Test
    void interruptsDoNotOpenSectionsButExtendOpenOnes() {
        // The NIC handler (20 us, every 250 us) lands inside the 300 us preempt-off section at
        // 250 us: the section ends at 420 us. Handlers on their own open no section.
        String bg = "{ name = bg, program = [ {op = compute, duration = 100us},"
            + " {op = preempt-off, duration = 300us, raw = true}, {op = compute, duration = 10ms}] }";
        String nic = "{ name = nic, cpus = \"0\", interarrival = 250us, handler = 20us }";
        RunResult r = Runs.sequential(machine("full", bg, nic));
        assertEquals(320 * US, r.summary().preemptoffMaxNs());
        assertEquals(1, r.counters().sections());
    }
}
