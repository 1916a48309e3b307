package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpemu.coordinator.cli.Cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import smpemu.config.ScenarioCatalog;
import smpemu.coordinator.cli.Cli.Outcome;

/** The command line in-process: exit codes, messages and the JSON contract (docs/architecture.md#contract). */
class MainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    // ---- run and the JSON schema ------------------------------------------------------------

    @Test
    void runWritesTheJsonContract() throws IOException {
        Path file = tmp.resolve("result.json");
        Outcome o = exec("run", "--scenario", "smoke", "--engine", "sequential", "--json", file.toString());
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("digest:"), o.out());
        JsonNode r = JSON.readTree(file.toFile());

        ResultSchema.assertRun(r);
        assertEquals("smoke", r.get("scenario").asText());
        assertEquals("sequential", r.get("engine").asText());
    }

    // ---- --set and the digest ---------------------------------------------------------------

    private static String digest(String... extra) throws IOException {
        String[] base = {"run", "--scenario", "smoke", "--engine", "sequential", "--duration", "300ms", "--json", "-"};
        String[] args = Stream.concat(Arrays.stream(base), Arrays.stream(extra)).toArray(String[]::new);
        Outcome o = exec(args);
        assertEquals(0, o.code(), o.err());
        return JSON.readTree(o.out()).get("digest").asText();
    }

    @Test
    void setOverridesTheSeedAndTheDigestFollows() throws IOException {
        String seed1 = digest("--set", "seed=1");
        assertEquals(seed1, digest("--set", "seed=1"), "same seed, same digest");
        assertEquals(seed1, digest(), "the scenario's seed is 1 (reference.conf)");
        String seed2 = digest("--set", "seed=2");
        assertNotEquals(seed1, seed2, "another seed, another digest");
        assertEquals(seed2, digest("--set", "smpemu.seed=2"), "absolute and relative keys are the same key");
        assertEquals(seed2, digest("--set", "seed=1", "--set", "seed=2"), "the last --set wins");
        assertEquals(seed2, digest("--set", "seed=1", "--seed", "2"), "--seed wins over --set");
    }

    // ---- check ------------------------------------------------------------------------------

    private static final String TASK = "name = t, program = [{op = compute, duration = 1us}]";

    static Stream<Arguments> malformed() {
        return Stream.of(
            Arguments.of("durration = 1s", "smpemu.durration"),
            Arguments.of("workload.tasks = [{" + TASK + ", policy = fifoo}]", "workload.tasks[0].policy"),
            Arguments.of("duration = 5sec", "duration"),
            Arguments.of("measurement.window = -5ms", "measurement.window"),
            Arguments.of("workload.tasks = [{" + TASK + ", affinity = \"0-7\"}]", "workload.tasks[0].affinity"),
            Arguments.of("workload.tasks = [{name = t, program = [{op = spin, duration = 1us}]}]",
                "workload.tasks[0].program[0].op"),
            Arguments.of("workload.tasks = [{name = t, program = [{op = compute, duration = {dist = gaussian, mean = 1ms}}]}]",
                "workload.tasks[0].program[0].duration.dist"),
            Arguments.of("workload.tasks = [{name = t, program = [{op = compute, duration = 1us}, {op = wake, task = nobody}]}]",
                "workload.tasks[0].program[1].task"),
            Arguments.of("topology.cpus = many", "topology.cpus"),
            Arguments.of("kernel.hz = 999", "kernel.hz"),
            Arguments.of("kernel.patches = [13]", "kernel.patches[0]"),
            Arguments.of("workload.tasks = [{name = t, program = [{op = compute, duration = 1us, extra = 1}]}]",
                "workload.tasks[0].program[0].extra"));
    }

    @ParameterizedTest
    @MethodSource("malformed")
    void checkNamesTheBadKey(String body, String keyPath) throws IOException {
        Path file = Files.writeString(tmp.resolve("bad.conf"), "smpemu {\n  topology.cpus = 4\n  " + body + "\n}\n");
        Outcome o = exec("check", "-c", file.toString());
        assertEquals(2, o.code(), o.out() + o.err());
        String line = "smpemu: " + (keyPath.startsWith("smpemu.") ? "" : "(smpemu\\.)?") + keyPath.replaceAll("([.\\[\\]])", "\\\\$1") + ": .*";
        assertTrue(o.err().lines().anyMatch(l -> l.matches(line)), "no line " + line + " in:\n" + o.err());
        assertTrue(!o.err().contains("\tat "), "stack trace on a config error:\n" + o.err());
    }

    @Test
    void checkAcceptsEveryBundledScenario() {
        for (String name : ScenarioCatalog.names()) {
            Outcome o = exec("check", "--scenario", name);
            assertEquals(0, o.code(), o.err());
            assertTrue(o.out().startsWith("ok: " + name + ", "), o.out());
        }
    }

    @Test
    void rt16ScalesWithTheCpuCount() {
        Outcome o = exec("check", "--scenario", "rt-16", "--set", "topology.cpus=64");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().startsWith("ok: rt-16, 64 CPUs, "), o.out());
    }

    // ---- usage ------------------------------------------------------------------------------

    @Test
    void unknownOptionIsBadUsage() {
        Outcome o = exec("run", "--no-such-option");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--no-such-option"), o.err());
    }

    @Test
    void unknownScenarioIsBadConfig() {
        Outcome o = exec("check", "--scenario", "no-such-scenario");
        assertEquals(2, o.code());
        assertTrue(o.err().startsWith("smpemu: "), o.err());
    }

    @Test
    void scenariosListsTheBundledOnes() {
        Outcome o = exec("scenarios");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("smoke ")), o.out());
        assertTrue(o.out().lines().anyMatch(l -> l.startsWith("rt-16 ")), o.out());
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"run", "compare", "check", "scenarios", "bench"}) {
            Outcome o = exec(cmd, "--help");
            assertEquals(0, o.code(), cmd);
            assertTrue(o.out().startsWith("Usage: smpemu " + cmd), o.out());
        }
    }
}
