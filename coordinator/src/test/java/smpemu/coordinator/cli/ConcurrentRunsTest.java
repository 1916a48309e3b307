package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static smpemu.coordinator.cli.Cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smpemu.config.SimSettings;
import smpemu.coordinator.engine.Runs;
import smpemu.coordinator.result.CompareReport;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.RunResult;

/**
 * {@code compare} runs its kernels side by side: what it reports must be what two runs one
 * after the other report, but for the engine's wall-clock figures.
 */
class ConcurrentRunsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"actors", "sequential"})
    void sideBySideEqualsOneAfterTheOther(String engine) {
        SimSettings before = settings(engine, "baseline"), after = settings(engine, "patched");
        List<RunResult> together = ConcurrentRuns.simulate(List.of(before, after));
        RunResult seqBefore = RunCommand.simulate(before), seqAfter = RunCommand.simulate(after);
        assertNotEquals(seqBefore.digest(), seqAfter.digest(), "two kernels, two digests");

        assertEquals(withoutWall(JsonReport.compareTree("baseline", seqBefore, "patched", seqAfter, false)),
            withoutWall(JsonReport.compareTree("baseline", together.get(0), "patched", together.get(1), false)));
        assertEquals(withoutEngineLines(CompareReport.render("baseline", seqBefore, "patched", seqAfter)),
            withoutEngineLines(CompareReport.render("baseline", together.get(0), "patched", together.get(1))));
    }

    /** The command itself: its JSON holds exactly what two `run`s one after the other write. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"actors"})
    void compareCommandEqualsTwoRuns(String engine) throws IOException {
        Path c = tmp.resolve("c.json"), b = tmp.resolve("b.json"), a = tmp.resolve("a.json");
        List<String> common = List.of("--scenario", "dpdk-16", "--duration", "2s", "--set", "measurement.window=100ms", "--engine", engine, "-q");
        assertEquals(0, exec(args(common, "compare", "--json", c.toString())).code());
        assertEquals(0, exec(args(common, "run", "--kernel", "baseline", "--set", "kernel.patches=[]",
            "--json", b.toString())).code());
        assertEquals(0, exec(args(common, "run", "--kernel", "patched", "--json", a.toString())).code());
        JsonNode compare = JSON.readTree(c.toFile());
        assertEquals(withoutWall(JSON.readTree(b.toFile())), withoutWall(compare.get("baseline")));
        assertEquals(withoutWall(JSON.readTree(a.toFile())), withoutWall(compare.get("patched")));
    }

    private static String[] args(List<String> common, String... first) {
        return java.util.stream.Stream.concat(java.util.Arrays.stream(first), common.stream()).toArray(String[]::new);
    }

    /** As compare builds them: the variant over the scenario's (empty) patch list. */
    private static SimSettings settings(String engine, String kernel) {
        return Runs.scenario("dpdk-16", "smpemu { duration = 2s, engine.type = " + engine
            + ", kernel.variant = " + kernel + " }");
    }

    /** The engine figures that measure the host, not the simulation. */
    private static JsonNode withoutWall(JsonNode tree) {
        JsonNode copy = tree.deepCopy();
        copy.findParents("engine_stats").forEach(p -> {
            ObjectNode e = (ObjectNode) p.get("engine_stats");
            e.remove(List.of("wall_ms", "events_per_sec", "peak_heap_bytes"));
        });
        return copy;
    }

    private static String withoutEngineLines(String report) {
        return report.lines().filter(l -> !l.startsWith("engine ")).collect(Collectors.joining("\n"));
    }
}
