package smpemu.coordinator.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import smpemu.config.SimSettings;
import smpemu.coordinator.engine.SequentialEngine;
import smpemu.node.model.ModelContext;
import smpemu.node.model.TaskRecording;
import smpemu.node.model.ZeroCost;

/**
 * {@code --by-task} on a hand-built timeline. One CPU, zero costs, 1 ms. Task hog (id 0, pid 1,
 * SCHED_OTHER) computes all the time; task rt (id 1, pid 2, FIFO 50) works 20 us every 200 us.
 * rt runs first at 0 and at once sleeps to its first period boundary (placed at boot: no wait
 * before either first switch), hog runs 0-200 us; at 200 us rt's timer wakes it and it preempts
 * hog at once (delay 0), hog waits from 200 to 220 us (delay 20 us); the same at 400, 600 and
 * 800 us; hog runs to the end. rt: 5 switches, 4 delays of 0, 80 us of run time; hog: 5
 * switches, 4 delays of 20 us, the first from 200 to 220 us, 920 us of run time.
 */
class ByTaskReportTest {
    private static ModelContext run() {
        SimSettings s = ZeroCost.settings("smpemu { duration = 1ms, measurement.window = 1ms, topology.cpus = 1,"
            + " workload.tasks = [{ name = hog, program = [{op = compute, duration = 10ms}] },"
            + " { name = rt, policy = fifo, priority = 50, program = [{op = periodic, period = 200us, work = 20us}] }] }");
        ModelContext ctx = new ModelContext(s);
        ctx.tasks = new TaskRecording(ctx.workload.taskCount(), 1);
        new SequentialEngine().run(ctx);
        return ctx;
    }

    @Test
    void thePerfSchedLatencyLayout() {
        ModelContext ctx = run();
        String text = ByTaskReport.render(ctx.tasks.finish(ctx.durationNs), ctx.workload);
        String rule = " " + "-".repeat(139) + "\n";
        assertEquals("\n" + rule
            + "  Task                  |   Runtime ms  | Switches | Avg delay ms    | Max delay ms    | Max delay start           | Max delay end          |\n"
            + rule
            + "  hog:1                 |      0.920 ms |        5 | avg:     0.020 ms | max:     0.020 ms | max start:     0.000200 s | max end:     0.000220 s\n"
            + "  rt:2                  |      0.080 ms |        5 | avg:     0.000 ms | max:     0.000 ms | max start:     0.000200 s | max end:     0.000200 s\n"
            + " -----------------------------------------------------------------------------------------------------------------\n"
            + "  TOTAL:                |      1.000 ms |       10 |\n"
            + " ---------------------------------------------------\n", text);
    }

    @Test
    void theJsonHoldsTheSameFigures() {
        ModelContext ctx = run();
        JsonNode a = ByTaskReport.json(ctx.tasks.finish(ctx.durationNs), ctx.workload);
        assertEquals(2, a.size());
        JsonNode hog = a.get(0);
        assertEquals("hog", hog.get("task").asText());
        assertEquals(920_000, hog.get("runtime_ns").asLong());
        assertEquals(5, hog.get("switches").asLong());
        assertEquals(4, hog.get("delays").asLong());
        assertEquals(20_000, hog.get("avg_delay_ns").asLong());
        assertEquals(20_000, hog.get("max_delay_ns").asLong());
        assertEquals(200_000, hog.get("max_delay_start_ns").asLong());
        assertEquals(0, a.get(1).get("max_delay_ns").asLong());
    }
}
