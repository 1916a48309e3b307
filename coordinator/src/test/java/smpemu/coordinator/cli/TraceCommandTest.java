package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --trace}: a Trace Event Format file that parses, pairs its flows and covers the window on every CPU. */
class TraceCommandTest {
    @TempDir
    Path dir;

    private static final BigDecimal FROM = new BigDecimal("100000.000"), TO = new BigDecimal("130000.000");
    private static final int CPUS = 8;

    private Path trace(String engine) {
        Path f = dir.resolve(engine + ".json");
        Cli.Outcome o = Cli.exec("run", "--scenario", "torture", "--duration", "200ms", "--set", "measurement.window=100ms", "--engine", engine, "-q",
            "--trace", f.toString(), "--trace-window", "100ms,130ms");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("smpemu: trace " + f + ": "), o.err());
        assertTrue(o.err().contains(" bytes"), o.err());
        return f;
    }

    @Test
    void traceParsesPairsFlowsCoversTheWindowAndIsTheSameOnBothEngines() throws Exception {
        Path seq = trace("sequential");
        JsonNode root = new ObjectMapper().readTree(seq.toFile());
        JsonNode events = root.get("traceEvents");
        assertTrue(events.isArray() && events.size() > 100);
        Map<Long, List<String>> flows = new HashMap<>();
        Map<Long, BigDecimal> flowStart = new HashMap<>();
        Map<Integer, List<JsonNode>> taskTrack = new TreeMap<>();
        Set<String> phases = new java.util.TreeSet<>();
        Set<Integer> named = new java.util.HashSet<>();
        for (JsonNode e : events) {
            String ph = e.get("ph").asText();
            phases.add(ph);
            assertTrue(e.hasNonNull("name") && e.get("pid").isInt() && e.get("tid").isInt(), e.toString());
            if (ph.equals("M")) {
                if (e.get("name").asText().equals("thread_name")) named.add(e.get("tid").asInt());
                assertTrue(e.get("args").isObject(), e.toString());
                continue;
            }
            assertTrue(e.get("ts").isNumber() && e.hasNonNull("cat"), e.toString());
            BigDecimal ts = e.get("ts").decimalValue();
            assertTrue(ts.compareTo(FROM) >= 0 && ts.compareTo(TO) <= 0, "outside the window: " + e);
            assertTrue(named.contains(e.get("tid").asInt()), "a track without a name: " + e);
            switch (ph) {
                case "X" -> {
                    BigDecimal dur = e.get("dur").decimalValue();
                    assertTrue(dur.signum() > 0 && ts.add(dur).compareTo(TO) <= 0, e.toString());
                    if (e.get("tid").asInt() < CPUS) taskTrack.computeIfAbsent(e.get("tid").asInt(), k -> new ArrayList<>()).add(e);
                }
                case "i" -> assertEquals("t", e.get("s").asText());
                case "s", "f" -> {
                    long id = e.get("id").asLong();
                    flows.computeIfAbsent(id, k -> new ArrayList<>()).add(ph);
                    if (ph.equals("s")) flowStart.put(id, ts);
                    else {
                        assertEquals("e", e.get("bp").asText());
                        assertTrue(flowStart.get(id) != null && flowStart.get(id).compareTo(ts) <= 0, "finish before start: " + e);
                    }
                }
                default -> throw new AssertionError("unexpected phase " + e);
            }
        }
        assertEquals(Set.of("M", "X", "f", "i", "s"), phases);
        assertFalse(flows.isEmpty());
        flows.forEach((id, p) -> assertEquals(List.of("s", "f"), p, "flow " + id));
        assertEquals(CPUS, taskTrack.size());
        taskTrack.forEach((cpu, slices) -> {
            BigDecimal at = FROM;
            for (JsonNode s : slices) {
                assertEquals(0, at.compareTo(s.get("ts").decimalValue()), "cpu " + cpu + ": gap or overlap at " + s);
                at = at.add(s.get("dur").decimalValue());
            }
            assertEquals(0, TO.compareTo(at), "cpu " + cpu + " track ends at " + at);
        });
        assertArrayEquals(Files.readAllBytes(seq), Files.readAllBytes(trace("actors")), "actors and sequential traces differ");
    }

    @Test
    void latencyTracesAreTheRunsLongestSections() throws Exception {
        Path text = dir.resolve("lat.txt"), json = dir.resolve("r.json");
        Cli.Outcome o = Cli.exec("run", "--duration", "300ms", "--set", "measurement.window=100ms", "--set", "measurement.longest-sections=3",
            "-q", "--latency-trace", text.toString(), "--json", json.toString());
        assertEquals(0, o.code(), o.err());
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        JsonNode longest = r.get("longest"), traces = r.get("latency_traces");
        assertEquals(3, longest.size());
        assertEquals(longest.size(), traces.size());
        for (int i = 0; i < longest.size(); i++) {
            for (String f : List.of("cpu", "start_ns", "duration_ns", "task", "kind")) {
                assertEquals(longest.get(i).get(f), traces.get(i).get(f), f + " of section " + i);
            }
            JsonNode path = longest.get(i).get("path");
            assertEquals(path.get(path.size() - 1).asText(), traces.get(i).get("ended_at").asText());
        }
        String t = Files.readString(text);
        assertEquals(3, t.split("# tracer: " + r.get("tracer").asText() + "\n", -1).length - 1);
        assertTrue(t.contains("# latency: " + traces.get(0).get("latency_us").asLong() + " us, #3/3, CPU#" + traces.get(0).get("cpu").asInt() + " | (M:"), t);
    }

    @Test
    void byTaskIsTheSameOnBothEnginesAndChargesEveryCpuOnce() throws Exception {
        String[] json = new String[2];
        String[] engines = {"sequential", "actors"};
        for (int i = 0; i < 2; i++) {
            Cli.Outcome o = Cli.exec("run", "--scenario", "torture", "--duration", "200ms", "--set", "measurement.window=100ms",
                "--engine", engines[i], "--by-task", "--json", "-");
            assertEquals(0, o.code(), o.err());
            JsonNode r = new ObjectMapper().readTree(o.out());
            json[i] = r.get("tasks").toString();
            long runtime = 0;
            for (JsonNode t : r.get("tasks")) {
                runtime += t.get("runtime_ns").asLong();
                assertTrue(t.get("max_delay_ns").asLong() >= t.get("avg_delay_ns").asLong(), t.toString());
            }
            assertTrue(runtime > 0 && runtime <= CPUS * 200_000_000L, "run time " + runtime + " exceeds the CPUs' time");
        }
        assertEquals(json[0], json[1], "tasks[] differs between the engines");
        Cli.Outcome o = Cli.exec("run", "--duration", "100ms", "--cluster-local", "2", "--by-task");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--by-task") && o.err().contains("not available for a cluster run"), o.err());
    }

    @Test
    void badWindowsAndClusterRunsAreUsageErrors() {
        String f = dir.resolve("t.json").toString();
        Cli.Outcome o = Cli.exec("run", "--duration", "100ms", "--set", "measurement.window=50ms", "--trace", f, "--trace-window", "10ms");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--trace-window 10ms: expected FROM,TO"), o.err());
        o = Cli.exec("run", "--duration", "100ms", "--set", "measurement.window=50ms", "--trace", f, "--trace-window", "10ms,2");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("is not a duration"), o.err());
        o = Cli.exec("run", "--duration", "100ms", "--set", "measurement.window=50ms", "--trace", f, "--trace-window", "10ms,200ms");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("ends after the run"), o.err());
        o = Cli.exec("run", "--duration", "100ms", "--set", "measurement.window=50ms", "--trace-window", "1ms,2ms");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--trace-window needs --trace FILE"), o.err());
        o = Cli.exec("run", "--duration", "100ms", "--set", "measurement.window=50ms", "--cluster-local", "2", "--trace", f);
        assertEquals(2, o.code());
        assertTrue(o.err().contains("not available for a cluster run"), o.err());
        assertFalse(Files.exists(Path.of(f)));
    }
}
