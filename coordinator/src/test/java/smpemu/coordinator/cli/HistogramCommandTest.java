package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpemu.coordinator.cli.Cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run --histogram}: the file, its agreement with the JSON, and its bad options. */
class HistogramCommandTest {
    @TempDir
    Path tmp;

    private static final String[] SMOKE = {"run", "--scenario", "smoke", "--engine", "sequential", "--duration", "400ms",
        "--set", "measurement.window=20ms"};

    private static String[] with(String... extra) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(SMOKE), java.util.Arrays.stream(extra))
            .toArray(String[]::new);
    }

    @Test
    void theHistogramCountsWhatTheRunCounted() throws IOException {
        Path hist = tmp.resolve("h.txt"), json = tmp.resolve("r.json");
        Cli.Outcome o = exec(with("--histogram", hist.toString(), "--bucket-size", "10", "--entries", "100",
            "--json", json.toString()));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("digest:"), "the text report is still printed");
        JsonNode r = new ObjectMapper().readTree(json.toFile());
        List<String> lines = Files.readAllLines(hist);
        String[] count = lines.stream().filter(l -> l.startsWith("count:")).findFirst().orElseThrow().substring(6).trim().split("\\s+");
        String[] header = lines.stream().filter(l -> l.startsWith("Index")).findFirst().orElseThrow().substring(5).trim().split("\\s+");
        long sections = 0, wakeups = 0;
        for (int i = 0; i < header.length; i++) {
            if (header[i].startsWith("Off-")) sections += Long.parseLong(count[i]);
            else wakeups += Long.parseLong(count[i]);
        }
        assertEquals(r.get("counters").get("sections").asLong(), sections);
        assertEquals(r.get("summary").get("rt_wakeups").asLong(), wakeups);
        // Each column's rows and over: add up to its count:.
        long[] sums = new long[header.length];
        for (String l : lines) {
            if (!l.matches("\\d.*") && !l.startsWith("over:")) continue;
            String[] f = l.replace("over:", "").trim().split("\\s+");
            int skip = l.startsWith("over:") ? 0 : 1;
            for (int i = 0; i < header.length; i++) sums[i] += Long.parseLong(f[i + skip]);
        }
        for (int i = 0; i < header.length; i++) assertEquals(Long.parseLong(count[i]), sums[i], header[i]);
        for (JsonNode c : r.get("histograms").get("cpus")) {
            long n = 0;
            for (JsonNode b : c.get("sections").get("buckets")) n += b.get("count").asLong();
            assertEquals(c.get("sections").get("count").asLong(), n, "cpu " + c.get("cpu"));
        }
    }

    @Test
    void histogramToStdoutIsAlone() {
        Cli.Outcome o = exec(with("--histogram", "-", "--histogram-format", "cyclictest", "--entries", "50"));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("# smpemu RT wake-up latency (cyclictest -h layout)"), o.out());
        assertTrue(!o.out().contains("digest:"), "no text report on the histogram's stdout");
    }

    @Test
    void minAndAvgOnTheRtWakeupLine() throws IOException {
        Cli.Outcome o = exec(SMOKE);
        String line = o.out().lines().filter(l -> l.contains("RT wake-ups")).findFirst().orElseThrow();
        assertTrue(line.matches(" +RT wake-ups \\d+: min \\S+, avg \\S+, p50 \\S+, p99 \\S+, max \\S+;.*"), line);
        JsonNode s = new ObjectMapper().readTree(exec(with("--json", "-")).out()).get("summary");
        assertTrue(s.get("rt_wakeup_min_ns").asLong() <= s.get("rt_wakeup_avg_ns").asLong());
        assertTrue(s.get("rt_wakeup_avg_ns").asLong() <= s.get("rt_wakeup_max_ns").asLong());
    }

    @Test
    void badLayoutsAreUsageErrors() {
        String[][] cases = {
            {"--histogram-format", "hdr", "smpemu: --histogram-format hdr is not one of rtla, cyclictest"},
            {"--bucket-size", "0", "smpemu: --bucket-size must be >= 1, got 0"},
            {"--entries", "0", "smpemu: --entries must be 1..1000000, got 0"},
            {"--histogram-unit", "ms", "smpemu: --histogram-unit is us or ns, got ms"},
            {"--json", "-", "smpemu: --histogram - and --json - would share stdout: give one of them a file"}};
        for (String[] c : cases) {
            Cli.Outcome o = exec(with("--histogram", "-", c[0], c[1]));
            assertEquals(2, o.code(), o.err());
            assertEquals(c[2], o.err().lines().findFirst().orElseThrow());
        }
        Cli.Outcome unwritable = exec(with("--histogram", tmp.resolve("no/h.txt").toString()));
        assertEquals(2, unwritable.code());
        assertTrue(unwritable.err().startsWith("smpemu: --histogram " + tmp.resolve("no/h.txt") + ": cannot write: No such file"),
            unwritable.err());
    }

    @Test
    void compareWritesBothKernels() throws IOException {
        Path hist = tmp.resolve("c.txt");
        Cli.Outcome o = exec("compare", "--scenario", "smoke", "--engine", "sequential", "--duration", "400ms",
            "--set", "measurement.window=20ms", "--histogram", hist.toString(), "-q");
        assertEquals(0, o.code(), o.err());
        List<String> lines = Files.readAllLines(hist);
        assertEquals("# before: kernel baseline, patches none", lines.get(0));
        assertTrue(lines.contains("# after: kernel patched, patches 1,2,3,4,5,6,7,8,9,10,11,12"), String.join("\n", lines));
        assertEquals(2, lines.stream().filter(l -> l.startsWith("Index")).count());
    }
}
