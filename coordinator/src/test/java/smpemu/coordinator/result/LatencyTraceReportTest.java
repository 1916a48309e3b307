package smpemu.coordinator.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import smpemu.config.SimSettings;
import smpemu.coordinator.engine.SequentialEngine;
import smpemu.node.model.LatencyRecording;
import smpemu.node.model.ModelContext;
import smpemu.node.model.ZeroCost;

/**
 * The ftrace latency traces of a hand-built timeline, byte for byte. One CPU, zero costs, the
 * preemptoff tracer, the two longest sections kept. Task t (SCHED_OTHER, nice 5, task id 0 so
 * pid 1) computes 100 us, holds a spinlock on [do_work, spin_lock] for 50 us (100-150 us),
 * computes 150 us, holds a spin_lock_irqsave on [irq_work, raw_spin_lock_irqsave] for 200 us
 * (300-500 us), then computes. Nothing else runs: no interrupt, no other task.
 */
class LatencyTraceReportTest {
    private static final String HEADER_RULER = "#\n#\n"
        + "#                    _------=> CPU#\n"
        + "#                   / _-----=> irqs-off/BH-disabled\n"
        + "#                  | / _----=> need-resched\n"
        + "#                  || / _---=> hardirq/softirq\n"
        + "#                  ||| / _--=> preempt-depth\n"
        + "#                  |||| / _-=> migrate-disable\n"
        + "#                  ||||| /     delay\n"
        + "#  cmd     pid     |||||| time  |   caller\n"
        + "#     \\   /        ||||||  \\    |    /\n";

    private static ModelContext run() {
        SimSettings s = ZeroCost.settings("smpemu { duration = 1ms, measurement { window = 1ms, tracer = preemptoff, longest-sections = 2 },"
            + " topology.cpus = 1, kernel.preemption = full,"
            + " workload.tasks = [{ name = t, nice = 5, program = [{op = compute, duration = 100us},"
            + " {op = preempt-off, duration = 50us, path = [do_work, spin_lock]}, {op = compute, duration = 150us},"
            + " {op = spin-lock-irqsave, duration = 200us, path = [irq_work, raw_spin_lock_irqsave]},"
            + " {op = compute, duration = 10ms}] }] }");
        ModelContext ctx = new ModelContext(s);
        ctx.latency = new LatencyRecording(s.longestSections());
        new SequentialEngine().run(ctx);
        return ctx;
    }

    @Test
    void theLongestSectionsInTheTracersLayout() {
        ModelContext ctx = run();
        List<LatencyRecording.Section> longest = ctx.latency.longest();
        String expected = "# tracer: preemptoff\n"
            + "#\n"
            + "# preemptoff latency trace v1.1.5 on smpemu (kernel baseline, series v6)\n"
            + "# --------------------------------------------------------------------\n"
            + "# latency: 200 us, #3/3, CPU#0 | (M:preempt VP:0, KP:0, SP:0 HP:0 #P:1)\n"
            + "#    -----------------\n"
            + "#    | task: t-1 (uid:0 nice:5 policy:0 rt_prio:0)\n"
            + "#    -----------------\n"
            + "#  => started at: raw_spin_lock_irqsave\n"
            + "#  => ended at:   raw_spin_lock_irqsave\n"
            + HEADER_RULER
            + "       t-1         0d..1.    0us!: raw_spin_lock_irqsave <-irq_work\n"
            + "       t-1         0d..1.  200us : raw_spin_lock_irqsave <-irq_work\n"
            + "       t-1         0d..1.  200us : <stack trace>\n"
            + " => raw_spin_lock_irqsave\n"
            + " => irq_work\n"
            + "\n"
            + "# tracer: preemptoff\n"
            + "#\n"
            + "# preemptoff latency trace v1.1.5 on smpemu (kernel baseline, series v6)\n"
            + "# --------------------------------------------------------------------\n"
            + "# latency: 50 us, #3/3, CPU#0 | (M:preempt VP:0, KP:0, SP:0 HP:0 #P:1)\n"
            + "#    -----------------\n"
            + "#    | task: t-1 (uid:0 nice:5 policy:0 rt_prio:0)\n"
            + "#    -----------------\n"
            + "#  => started at: spin_lock\n"
            + "#  => ended at:   spin_lock\n"
            + HEADER_RULER
            + "       t-1         0...1.    0us+: spin_lock <-do_work\n"
            + "       t-1         0...1.   50us : spin_lock <-do_work\n"
            + "       t-1         0...1.   50us : <stack trace>\n"
            + " => spin_lock\n"
            + " => do_work\n";
        assertEquals(expected, LatencyTraceReport.render(longest, ctx.settings, ctx.workload));
    }

    @Test
    void theJsonHoldsTheSameFacts() {
        ModelContext ctx = run();
        JsonNode a = LatencyTraceReport.json(ctx.latency.longest(), ctx.workload);
        assertEquals(2, a.size());
        JsonNode first = a.get(0);
        assertEquals(300_000, first.get("start_ns").asLong());
        assertEquals(200_000, first.get("duration_ns").asLong());
        assertEquals(200, first.get("latency_us").asLong());
        assertEquals("t", first.get("task").asText());
        assertEquals(1, first.get("pid").asInt());
        assertEquals("preempt+irqs", first.get("kind").asText());
        assertEquals("raw_spin_lock_irqsave", first.get("started_at").asText());
        assertEquals("raw_spin_lock_irqsave", first.get("ended_at").asText());
        assertEquals("d..1.", first.get("start_flags").asText());
        assertEquals("[\"raw_spin_lock_irqsave\",\"irq_work\"]", first.get("stack").toString());
        assertEquals("preempt", a.get(1).get("kind").asText());
        assertEquals(100_000, a.get(1).get("start_ns").asLong());
    }

    @Test
    void delayMarksFollowTraceFindMark() {
        assertEquals(' ', LatencyTraceReport.mark(10_000));
        assertEquals('+', LatencyTraceReport.mark(10_001));
        assertEquals('!', LatencyTraceReport.mark(100_001));
        assertEquals('#', LatencyTraceReport.mark(1_000_001));
        assertEquals('*', LatencyTraceReport.mark(10_000_001));
        assertEquals('@', LatencyTraceReport.mark(100_000_001));
        assertEquals('$', LatencyTraceReport.mark(1_000_000_001));
    }
}
