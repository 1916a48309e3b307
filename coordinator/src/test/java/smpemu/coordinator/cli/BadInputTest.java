package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpemu.coordinator.cli.Cli.exec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smpemu.coordinator.cli.Cli.Outcome;

/** What a new user gets wrong: each mistake is one clear line and exit 2, before anything runs. */
class BadInputTest {
    @TempDir
    Path tmp;

    private static List<String> lines(String s) { return s.lines().toList(); }

    // ---- configuration files ----------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"", "# only a comment\n", "topology.cpus = 4\nduration = 1s\n", "smpemu { }\n"})
    void aFileThatSetsNothingUnderSmpemuIsAnErrorNamingIt(String body) throws IOException {
        Path file = Files.writeString(tmp.resolve("mine.conf"), body);
        Outcome o = exec("run", "-c", file.toString());
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().startsWith("smpemu: " + file + ": "), o.err());
        assertEquals("", o.out(), "nothing ran");
    }

    @Test
    void aFileWithoutTheRootNamesTheKeysItFound() throws IOException {
        Path file = Files.writeString(tmp.resolve("flat.conf"), "topology.cpus = 4\nseed = 3\n");
        Outcome o = exec("check", "-c", file.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no smpemu root key (found seed, topology)"), o.err());
    }

    // ---- usage errors -----------------------------------------------------------------------

    @Test
    void aUsageErrorIsOneLineAndAHelpHint() {
        Outcome o = exec("run", "--jsn", "x.json");
        assertEquals(2, o.code());
        assertEquals(List.of("smpemu: Unknown options: '--jsn', 'x.json' (did you mean --json or --json-config?)",
            "smpemu: see 'smpemu run --help'"), lines(o.err()));
    }

    @Test
    void aUsageErrorRaisedByACommandHasTheSameShape() {
        Outcome o = exec("compare", "--kernels", "baseline");
        assertEquals(2, o.code());
        assertEquals(2, lines(o.err()).size(), o.err());
        assertTrue(o.err().startsWith("smpemu: --kernels takes two kernel variants"), o.err());
        assertTrue(o.err().endsWith("smpemu: see 'smpemu compare --help'" + System.lineSeparator()), o.err());
    }

    @Test
    void benchDoesNotOfferEngine() {
        Outcome help = exec("bench", "--help");
        assertEquals(0, help.code());
        assertFalse(help.out().contains("--engine"), help.out());
        Outcome o = exec("bench", "--engine", "actors");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("smpemu: Unknown options: '--engine'"), o.err());
        assertTrue(exec("run", "--help").out().contains("--engine"), "run keeps it");
    }

    // ---- output files -----------------------------------------------------------------------

    @Test
    void anUnwritableJsonPathFailsBeforeTheRunWithTheOsReason() throws IOException {
        Path notADir = Files.writeString(tmp.resolve("plain"), "x");
        String[][] cases = {
            {tmp.resolve("missing/r.json").toString(), "No such file or directory"},
            {notADir.resolve("r.json").toString(), "Not a directory"},
            {tmp.toString(), "Is a directory"}};
        for (String[] c : cases) {
            // dpdk-16 runs for many seconds: an exit within the test's budget shows nothing ran.
            Outcome o = exec("run", "--scenario", "dpdk-16", "--duration", "150s", "--json", c[0]);
            assertEquals(2, o.code(), o.err());
            assertEquals("smpemu: --json " + c[0] + ": cannot write: " + c[1], lines(o.err()).get(0));
            assertEquals("", o.out());
        }
        Outcome compare = exec("compare", "--json", tmp.resolve("missing/c.json").toString());
        assertEquals(2, compare.code(), compare.err());
        assertTrue(compare.err().startsWith("smpemu: --json "), compare.err());
    }

    @Test
    void theCheckLeavesNothingBehind() throws IOException {
        Path target = tmp.resolve("r.json");
        Outcome o = exec("run", "--scenario", "smoke", "--engine", "sequential", "--duration", "200ms",
            "--json", target.toString());
        assertEquals(0, o.code(), o.err());
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(target), files.toList(), "only the result, no temporary file");
        }
    }

    @Test
    void aWriteThatStillFailsKeepsTheTextAndSaysWhy() {
        OutputFiles files = new OutputFiles();
        StringWriter out = new StringWriter(), err = new StringWriter();
        String target = tmp.resolve("gone/r.json").toString();
        files.write(target, "{}", new PrintWriter(out)); // does not throw: the command goes on
        out.write("the text report");
        assertEquals(Main.FAILED, files.finish(new PrintWriter(err), 0));
        assertEquals("smpemu: cannot write " + target + ": No such file or directory (the text report is complete)",
            err.toString().strip());
        assertEquals("the text report", out.toString());
    }

    // ---- settings that make the report misleading -------------------------------------------

    @Test
    void aWindowLongerThanTheRunIsAnError() {
        Outcome o = exec("run", "--scenario", "rt-16", "--duration", "1s");
        assertEquals(2, o.code(), o.err());
        assertEquals(List.of("smpemu: measurement.window: 30.0s is longer than the run (duration 1.00s);"
            + " set measurement.window to at most the duration"), lines(o.err()));
        assertEquals(2, exec("check", "--scenario", "rt-16", "--duration", "1s").code());
        assertEquals(2, exec("compare", "--scenario", "rt-16", "--duration", "1s").code());
    }

    @Test
    void fewWindowsWarnThatPercentilesAreCoarse() throws IOException {
        Outcome few = exec("run", "--scenario", "smoke", "--engine", "sequential", "--duration", "500ms", "--json", "-");
        assertEquals(0, few.code(), few.err());
        assertEquals(List.of("smpemu: warning: 5 windows of 100ms per CPU: p50 and p99 of the window maxima are coarse"
            + " (fewer than 20; below 100, p99 is the largest window maximum)"), lines(few.err()));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(few.out());
        assertTrue(json.get("coarse_percentiles").asBoolean());
        assertEquals(5, json.get("measurement_windows").asInt());

        Outcome enough = exec("run", "--scenario", "smoke", "--engine", "sequential", "--json", "-");
        assertEquals("", enough.err(), "smoke has 20 windows");
        assertFalse(new com.fasterxml.jackson.databind.ObjectMapper().readTree(enough.out()).get("coarse_percentiles").asBoolean());
    }

    @Test
    void compareWarnsOnceForBothKernels() {
        Outcome o = exec("compare", "--scenario", "smoke", "--engine", "sequential", "--duration", "300ms", "-q");
        assertEquals(1, lines(o.err()).stream().filter(l -> l.contains("windows of")).count(), o.err());
    }

    @Test
    void cpusNoTaskCanRunOnAreNamed() {
        Outcome o = exec("check", "--scenario", "dpdk-16", "--set", "topology.cpus=64");
        assertEquals(0, o.code(), o.err());
        assertTrue(lines(o.err()).contains(
            "smpemu: warning: no task can run on CPUs 16-63 (topology.cpus = 64; every task's affinity leaves them out)"), o.err());
        Outcome scaled = exec("check", "--scenario", "rt-16", "--set", "topology.cpus=64");
        assertFalse(scaled.err().contains("no task can run"), "rt-16 scales its per-CPU families: " + scaled.err());
    }

    @Test
    void idleCpusAreListedInTheKernelsNotation() {
        java.util.BitSet b = new java.util.BitSet();
        b.set(4, 8);
        b.set(12);
        b.set(14, 16);
        assertEquals("4-7,12,14-15", smpemu.coordinator.result.Units.cpuList(b));
    }
}
