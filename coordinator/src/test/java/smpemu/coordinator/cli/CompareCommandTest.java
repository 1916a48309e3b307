package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpemu.coordinator.cli.Cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smpemu.coordinator.cli.Cli.Outcome;

/** {@code smpemu compare}: two kernels on one seed, its JSON (docs/architecture.md#contract) and its text report. */
class CompareCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void comparesBaselineWithPatched() throws IOException {
        Path file = tmp.resolve("compare.json");
        Outcome o = exec("compare", "--scenario", "smoke", "--engine", "sequential", "--json", file.toString());
        assertEquals(0, o.code(), o.err());
        JsonNode c = JSON.readTree(file.toFile());

        assertEquals(List.of("baseline", "patched", "reduction_pct"), fieldNames(c));
        JsonNode before = c.get("baseline"), after = c.get("patched");
        ResultSchema.assertRun(before);
        ResultSchema.assertRun(after);
        assertEquals("baseline", before.get("kernel").asText());
        assertEquals("patched", after.get("kernel").asText());
        assertEquals(0, before.get("patches").size(), "baseline runs without patches");
        for (String same : List.of("scenario", "seed", "engine", "cpus_count", "sim_duration_ns", "window_ns")) {
            assertEquals(before.get(same), after.get(same), same);
        }
        assertEquals("sequential", before.get("engine").asText());

        assertTrue(c.get("reduction_pct").isNumber(), c.toString());
        long p99Before = before.get("summary").get("preemptoff_p99_ns").asLong();
        long p99After = after.get("summary").get("preemptoff_p99_ns").asLong();
        double expected = p99Before == 0 ? 0 : 100.0 * (1.0 - (double) p99After / p99Before);
        assertEquals(expected, c.get("reduction_pct").asDouble(), 1e-9);

        // The text report goes to stdout alongside the JSON file.
        String line = String.format(Locale.ROOT, "preempt-off p99 (worst CPU): before %,d ns (", p99Before);
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith(line)
            && l.endsWith(String.format(Locale.ROOT, "reduced by %.1f%%", expected))), o.out());
        assertTrue(o.out().contains("before: kernel baseline, patches none"), o.out());
        assertTrue(o.out().contains("after:  kernel patched"), o.out());
        assertTrue(o.out().contains("digest before: " + before.get("digest").asText()), o.out());
        assertTrue(o.out().contains("digest after:  " + after.get("digest").asText()), o.out());
    }

    @Test
    void theSameKernelTwiceGivesTheSameDigestAndNoReduction() throws IOException {
        Outcome o = exec("compare", "--scenario", "smoke", "--engine", "sequential", "--duration", "300ms",
            "--kernels", "baseline,baseline", "--json", "-");
        assertEquals(0, o.code(), o.err());
        assertFalse(o.out().contains("digest before"), "--json - prints the JSON alone:\n" + o.out());
        JsonNode c = JSON.readTree(o.out());
        // A JSON object cannot hold one key twice: the second run is "baseline-2".
        assertEquals(List.of("baseline", "baseline-2", "reduction_pct"), fieldNames(c));
        ResultSchema.assertRun(c.get("baseline-2"));
        assertEquals(0.0, c.get("reduction_pct").asDouble());
        assertEquals(c.get("baseline").get("digest"), c.get("baseline-2").get("digest"));
        assertEquals("baseline", c.get("baseline-2").get("kernel").asText());
    }

    @Test
    void quietDropsTheText() throws IOException {
        Path file = tmp.resolve("quiet.json");
        Outcome o = exec("compare", "--engine", "sequential", "--duration", "200ms", "-q", "--json", file.toString());
        assertEquals(0, o.code(), o.err());
        assertEquals("", o.out());
        assertEquals("smoke", JSON.readTree(file.toFile()).get("baseline").get("scenario").asText());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(file), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void kernelIsNotAnOptionOfCompare() {
        Outcome o = exec("compare", "--kernel", "patched");
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("--kernel"), o.err());
    }

    @Test
    void kernelsTakesTwoValidVariants() {
        Outcome one = exec("compare", "--kernels", "baseline");
        assertEquals(2, one.code(), one.out() + one.err());
        assertTrue(one.err().contains("--kernels takes two kernel variants"), one.err());

        Outcome bad = exec("compare", "--kernels", "baseline,nope");
        assertEquals(2, bad.code(), bad.out() + bad.err());
        assertTrue(bad.err().lines().anyMatch(l -> l.startsWith("smpemu: ") && l.contains("kernel.variant")), bad.err());
    }

    @Test
    void patchSetsOfTheSeriesAreKernels() throws IOException {
        Outcome o = exec("compare", "--engine", "sequential", "--duration", "300ms",
            "--kernels", "baseline+2+3+6,patched-7", "--json", "-");
        assertEquals(0, o.code(), o.err());
        JsonNode c = JSON.readTree(o.out());
        assertEquals(List.of("baseline+2+3+6", "patched-7", "reduction_pct"), fieldNames(c));
        assertEquals("[2,3,6]", c.get("baseline+2+3+6").get("patches").toString());
        assertEquals("[1,2,3,4,5,6,8,9,10,11,12]", c.get("patched-7").get("patches").toString());

        // A patch set is the same kernel as the patches listed in the configuration.
        Outcome run = exec("run", "--engine", "sequential", "--duration", "300ms",
            "--set", "kernel.patches=[1,2,3,4,5,6,8,9,10,11,12]", "--json", "-");
        assertEquals(0, run.code(), run.err());
        assertEquals(JSON.readTree(run.out()).get("digest"), c.get("patched-7").get("digest"));

        // Both names are in the text report too.
        Outcome text = exec("compare", "--engine", "sequential", "--duration", "300ms", "--kernels", "baseline+2,patched-7");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("before: kernel baseline, patches 2 (baseline+2)"), text.out());
        assertTrue(text.out().contains("after:  kernel baseline, patches 1,2,3,4,5,6,8,9,10,11,12 (patched-7)"), text.out());
    }

    @Test
    void badPatchSetsAreConfigurationErrors() {
        Outcome range = exec("compare", "--kernels", "baseline,patched-13");
        assertEquals(2, range.code(), range.err());
        assertTrue(range.err().contains("smpemu: --kernels patched-13: patch 13 is not in the series (1-12)"), range.err());
        Outcome twice = exec("compare", "--kernels", "baseline+2+2,patched");
        assertEquals(2, twice.code(), twice.err());
        assertTrue(twice.err().contains("patch 2 is already in the set"), twice.err());
        // v6 numbers under the tip form would silently drop tip's 13 and 14
        Outcome tip = exec("compare", "--set", "kernel.series=tip", "--kernels", "baseline,patched-7");
        assertEquals(2, tip.code(), tip.err());
        assertTrue(tip.err().contains("smpemu: --kernels patched-7: patch sets are numbered in v6, but kernel.series = tip"),
            tip.err());
    }

    @Test
    void aCheckerFiringInEitherRunFailsTheComparison() {
        Outcome o = exec("compare", "--scenario", "torture", "--engine", "sequential", "--duration", "100ms",
            "--set", "measurement.window=100ms", "--kernels", "patched,unsafe-u8", "-q");
        assertEquals(1, o.code(), o.err());
        assertEquals("", o.out());
        assertTrue(o.err().contains("checker violations after (unsafe-u8)"), o.err());
        assertTrue(o.err().contains("flush-tlb-info-overwritten"), o.err());
        assertFalse(o.err().contains("checker violations before"), o.err());
        assertTrue(o.err().contains("smpemu: compare failed: checker violations (before patched: 0, after unsafe-u8: "), o.err());

        // With the text report, the violations are in it.
        Outcome text = exec("compare", "--scenario", "torture", "--engine", "sequential", "--duration", "100ms",
            "--set", "measurement.window=100ms", "--kernels", "unsafe-u8,patched");
        assertEquals(1, text.code(), text.err());
        assertTrue(text.out().contains("checker violations before (unsafe-u8)"), text.out());
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
