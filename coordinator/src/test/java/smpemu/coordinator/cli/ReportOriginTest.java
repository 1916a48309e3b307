package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpemu.coordinator.cli.Cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smpemu.coordinator.cli.Cli.Outcome;

/** Reports say what kernel configuration their figures are of, and which configuration ran. */
class ReportOriginTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private static JsonNode run(String... extra) throws IOException {
        String[] base = {"run", "--scenario", "smoke", "--engine", "sequential", "--duration", "400ms",
            "--set", "measurement.window=20ms", "--json", "-"};
        Outcome o = exec(java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
            .toArray(String[]::new));
        assertEquals(0, o.code(), o.err());
        return JSON.readTree(o.out());
    }

    @Test
    void headersAndJsonNameModelHzTracerAndSeries() throws IOException {
        JsonNode r = run("--set", "kernel.preemption=voluntary", "--set", "kernel.hz=250");
        ResultSchema.assertRun(r);
        assertEquals("voluntary", r.get("preemption").asText());
        assertEquals(250, r.get("hz").asInt());
        Outcome text = exec("run", "--scenario", "smoke", "--engine", "sequential", "--duration", "400ms",
            "--set", "measurement.window=20ms", "--set", "kernel.hz=250");
        assertTrue(text.out().lines().findFirst().orElseThrow()
            .contains("| preempt full, HZ 250, tracer preemptoff, series v6 |"), text.out());
        Outcome compare = exec("compare", "--scenario", "smoke", "--engine", "sequential", "--duration", "400ms",
            "--set", "measurement.window=20ms");
        assertTrue(compare.out().lines().findFirst().orElseThrow()
            .endsWith("| preempt full, HZ 1000, tracer preemptoff, series v6"), compare.out());
    }

    @Test
    void theTracerAndTheSeriesAreTheRunsOwn() throws IOException {
        JsonNode r = run("--set", "measurement.tracer=irqsoff", "--set", "kernel.series=tip", "--kernel", "patched");
        assertEquals("irqsoff", r.get("tracer").asText());
        assertEquals("tip", r.get("series").asText());
        assertEquals(14, r.get("patches").size(), "tip's 14 patches");
        Outcome text = exec("run", "--scenario", "smoke", "--engine", "sequential", "--duration", "400ms",
            "--set", "measurement.window=20ms", "--set", "measurement.tracer=irqsoff", "--set", "kernel.series=tip");
        assertTrue(text.out().lines().findFirst().orElseThrow().contains("tracer irqsoff, series tip"), text.out());
    }

    @Test
    void theConfigurationHashFollowsTheConfiguration() throws IOException {
        JsonNode a = run(), again = run(), other = run("--set", "kernel.costs.wakeup=600ns");
        assertEquals(a.get("config_sha256"), again.get("config_sha256"));
        assertNotEquals(a.get("config_sha256"), other.get("config_sha256"));
        assertFalse(a.has("config"), "the tree only with --json-config");
        assertNotEquals(a.get("config_sha256"), run("--seed", "2").get("config_sha256"), "the seed is configuration");
    }

    @Test
    void jsonConfigCarriesTheWholeTreeAndItRunsAgainAsIs() throws IOException {
        JsonNode r = run("--json-config", "--seed", "5");
        JsonNode config = r.get("config");
        assertEquals(5, config.get("smpemu").get("seed").asInt());
        assertEquals(4, config.get("smpemu").get("topology").get("cpus").asInt());
        // JSON is HOCON: the tree is a configuration file that reproduces the run.
        Path file = Files.writeString(tmp.resolve("effective.conf"), JSON.writeValueAsString(config));
        Outcome again = exec("run", "-c", file.toString(), "--json", "-");
        assertEquals(0, again.code(), again.err());
        JsonNode rerun = JSON.readTree(again.out());
        assertEquals(r.get("digest"), rerun.get("digest"));
        assertEquals(r.get("config_sha256"), rerun.get("config_sha256"));
    }

    @Test
    void rtWakeupMaxIsNullWhereNoRtTaskWoke() throws IOException {
        JsonNode r = run();
        int nulls = 0;
        for (JsonNode c : r.get("cpus")) {
            if (c.get("rt_wakeup_max_ns").isNull()) {
                nulls++;
                assertEquals(0, c.get("rt_wakeups").asLong());
            } else {
                assertTrue(c.get("rt_wakeup_max_ns").asLong() > 0 && c.get("rt_wakeups").asLong() > 0, c.toString());
            }
        }
        assertTrue(nulls > 0 && nulls < 4, "smoke's RT tasks wake on some CPUs only: " + r.get("cpus"));
    }
}
