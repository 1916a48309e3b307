package smpemu.coordinator.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import smpemu.coordinator.engine.Runs;

/**
 * Histograms of a hand-built timeline whose every section and wake-up is known: on one CPU with
 * free scheduler paths, sections of 5, 5, 12, 300 and 1500 us; the RT task woken at 200 us,
 * inside the 300 us section (62-362 us), runs at 362 us: one wake-up of 162 us.
 */
class HistogramReportsTest {
    private static final String MACHINE = "smpemu { duration = 5ms, measurement.window = 5ms, topology.cpus = 1,"
        + " kernel { hz = 100, preemption = full, costs { context-switch = 0ns, tick-handler = 0ns,"
        + " resched-ipi-handler = 0ns, wakeup = 0ns } }, workload { tasks = ["
        + "{ name = rt, policy = fifo, priority = 99, program = [{op = sleep, duration = 200us},"
        + " {op = compute, duration = 10us}, {op = block}] },"
        + "{ name = bg, program = [" + section("5us") + section("5us") + section("12us") + section("300us")
        + section("1500us") + " {op = compute, duration = 10ms}] }] } }";

    private static String section(String d) {
        return "{op = compute, duration = 10us}, {op = preempt-off, duration = " + d + ", raw = true},";
    }

    static final RunResult RUN = Runs.sequential(Runs.hocon(MACHINE));

    @Test
    void theTimelineIsTheOneDescribed() {
        assertEquals(5, RUN.counters().sections());
        assertEquals(1, RUN.summary().rtWakeups());
        assertEquals(162_000, RUN.summary().rtWakeupMaxNs());
        assertEquals(162_000, RUN.summary().rtWakeupMinNs());
        assertEquals(162_000, RUN.summary().rtWakeupAvgNs());
    }

    @Test
    void rtlaLayoutInMicroseconds() {
        String expected = String.join("\n",
            "# smpemu histogram of preemptoff sections and RT wake-up latency (rtla timerlat hist layout)",
            "# Time unit is microseconds (us)",
            "# Duration:   0 00:00:00",
            "# Off-NNN: preemptoff sections on CPU NNN; Wak-NNN: RT wake-up latency on CPU NNN",
            "Index   Off-000   Wak-000",
            "0             3         0 ",
            "100           0         1 ",
            "300           1         0 ",
            "1500          1         0 ",
            "over:         0         0 ",
            "count:        5         1 ",
            "min:          5       162 ",
            "avg:        364       162 ",
            "max:       1500       162 ",
            "ALL:        Off       Wak",
            "count:        5         1 ",
            "min:          5       162 ",
            "avg:        364       162 ",
            "max:       1500       162 ",
            "");
        assertEquals(expected, HistogramReports.of("rtla").render(RUN, new HistogramLayout(1000, 100, 20)));
    }

    @Test
    void rtlaLayoutDefaultBucketsAndOverflow() {
        List<String> lines = HistogramReports.of("rtla").render(RUN, new HistogramLayout(1000, 1, 256)).lines().toList();
        assertTrue(lines.contains("5             2         0 "), String.join("\n", lines));
        assertTrue(lines.contains("12            1         0 "), String.join("\n", lines));
        assertTrue(lines.contains("162           0         1 "), String.join("\n", lines));
        assertTrue(lines.contains("over:         2         0 "), "300 and 1500 us are beyond 256 entries");
    }

    @Test
    void rtlaLayoutInNanoseconds() {
        String text = HistogramReports.of("rtla").render(RUN, new HistogramLayout(1, 1000, 1000));
        assertTrue(text.contains("# Time unit is nanoseconds (ns)\n"), text);
        assertTrue(text.contains("\n5000          2         0 \n"), text);
        assertTrue(text.contains("\n162000        0         1 \n"), text);
        assertTrue(text.contains("\nover:         1         0 \n"), "1500 us is beyond 1000 buckets of 1000 ns");
        assertTrue(text.contains("\nmax:    1500000    162000 \n"), text);
    }

    @Test
    void cyclictestLayout() {
        String text = HistogramReports.of("cyclictest").render(RUN, new HistogramLayout(1000, 1, 200));
        List<String> lines = text.lines().toList();
        assertEquals("# smpemu RT wake-up latency (cyclictest -h layout), one column per CPU: CPU 0", lines.get(0));
        assertEquals("# Histogram", lines.get(1));
        assertEquals("000000 000000", lines.get(2));
        assertEquals("000162 000001", lines.get(2 + 162));
        assertEquals(200, lines.stream().filter(l -> l.matches("\\d{6} \\d{6}")).count(), "every bucket, zeros too");
        int after = 2 + 200;
        assertEquals(List.of("# Total: 000000001", "# Min Latencies: 00162", "# Avg Latencies: 00162",
            "# Max Latencies: 00162", "# Histogram Overflows: 00000", "# Histogram Overflow at cycle number:",
            "# Thread 0:"), lines.subList(after, after + 7));
        String small = HistogramReports.of("cyclictest").render(RUN, new HistogramLayout(1000, 1, 100));
        assertTrue(small.contains("# Histogram Overflows: 00001\n"), small);
        assertTrue(small.contains("# Thread 0: # 00001 others\n"), small);
    }

    @Test
    void jsonBucketsArePowersOfTwoAndExact() {
        JsonNode cpu = JsonReport.tree(RUN, false).get("histograms").get("cpus").get(0);
        JsonNode off = cpu.get("sections");
        assertEquals(5, off.get("count").asLong());
        assertEquals(5_000, off.get("min_ns").asLong());
        assertEquals(364_400, off.get("avg_ns").asLong());
        assertEquals(1_500_000, off.get("max_ns").asLong());
        // 5 us and 5 us in [4096, 8192), 12 us in [8192, 16384), 300 us in [262144, 524288), 1.5 ms in [2^20, 2^21)
        long[][] expected = {{4096, 8192, 2}, {8192, 16384, 1}, {262144, 524288, 1}, {1L << 20, 1L << 21, 1}};
        assertEquals(expected.length, off.get("buckets").size(), off.toString());
        for (int i = 0; i < expected.length; i++) {
            JsonNode b = off.get("buckets").get(i);
            assertEquals(expected[i][0], b.get("from_ns").asLong());
            assertEquals(expected[i][1], b.get("to_ns").asLong());
            assertEquals(expected[i][2], b.get("count").asLong());
        }
        JsonNode wak = cpu.get("rt_wakeup");
        assertEquals(1, wak.get("buckets").size());
        assertEquals(131072, wak.get("buckets").get(0).get("from_ns").asLong());
    }

    @Test
    void rtlaDuration() {
        assertEquals("  1 02:03:04", RtlaHistogram.duration((86_400L + 2 * 3600 + 3 * 60 + 4) * 1_000_000_000L));
    }
}
