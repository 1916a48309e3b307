package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpemu.coordinator.cli.Cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smpemu.coordinator.cli.Cli.Outcome;

/** {@code smpemu bench}: any scenario, the default table with an IPI-heavy one, heap per CPU. */
class BenchCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anyScenarioAtEachSizeOnBothEngines() throws IOException {
        Outcome o = exec("bench", "--scenario", "smoke", "--cpus", "4,8", "--duration", "20ms", "--warmup", "5ms",
            "--json", "-");
        assertEquals(0, o.code(), o.err());
        JsonNode tables = JSON.readTree(o.out()).get("scenarios");
        assertEquals(1, tables.size());
        JsonNode t = tables.get(0);
        assertEquals("smoke", t.get("scenario").asText());
        assertEquals(List.of(4, 8), List.of(t.get("runs").get(0).get("cpus").asInt(), t.get("runs").get(1).get("cpus").asInt()));
        for (JsonNode run : t.get("runs")) {
            assertTrue(run.get("digests_match").asBoolean(), run.toString());
            assertEquals(20_000_000, run.get("sim_duration_ns").asLong());
            for (String engine : List.of("sequential", "actors")) {
                JsonNode e = run.get(engine);
                assertEquals(run.get("events").asLong(), e.get("events").asLong(), "both engines count the same events");
                assertEquals(e.get("peak_heap_bytes").asLong() / run.get("cpus").asInt(), e.get("peak_heap_bytes_per_cpu").asLong());
            }
        }
    }

    @Test
    void repeatedRunsKeepEachEnginesFastestAndMustAgree() throws IOException {
        Outcome o = exec("bench", "--scenario", "smoke", "--cpus", "4", "--duration", "20ms", "--warmup", "5ms",
            "--repeat", "3", "--json", "-");
        assertEquals(0, o.code(), o.err());
        JsonNode t = JSON.readTree(o.out()).get("scenarios").get(0);
        assertEquals(3, t.get("repeat").asInt());
        assertTrue(t.get("runs").get(0).get("digests_match").asBoolean());
        Outcome text = exec("bench", "--scenario", "smoke", "--cpus", "4", "--duration", "5ms", "--warmup", "1ms", "--repeat", "2");
        assertTrue(text.out().contains("each engine's fastest of 2 runs"), text.out());
        Outcome bad = exec("bench", "--scenario", "smoke", "--repeat", "0");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--repeat must be >= 1; got 0"), bad.err());
    }

    @Test
    void theDefaultTableHasAnIpiHeavyScenario() {
        Outcome o = exec("bench", "--cpus", "16", "--duration", "5ms", "--warmup", "1ms");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("bench: scenario rt-16,"), o.out());
        assertTrue(o.out().contains("bench: scenario torture,"), o.out());
        assertTrue(o.out().contains("KiB/CPU s/a"), o.out());
        assertEquals(2, o.out().lines().filter(l -> l.trim().startsWith("16 ") && l.endsWith("same")).count(), o.out());
    }

    /** Two real JVMs on loopback: the cluster's digest is the one-JVM and sequential digest. */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aLocalClusterRunsNextToOneJvmWithTheSameDigest() throws IOException {
        Outcome o = exec("bench", "--scenario", "rt-16", "--cpus", "16", "--duration", "20ms", "--warmup", "5ms",
            "--cluster-local", "2", "--json", "-");
        assertEquals(0, o.code(), o.err());
        JsonNode run = JSON.readTree(o.out()).get("scenarios").get(0).get("runs").get(0);
        assertTrue(run.get("digests_match").asBoolean(), run.toString());
        JsonNode c = run.get("cluster");
        assertEquals(2, c.get("nodes").asInt(), c.toString());
        assertEquals(run.get("events").asLong(), c.get("events").asLong(), "the cluster counts the same events");
        // One node on one thread needs no window between instants (docs/architecture.md#windows);
        // the cluster's nodes still exchange their CPUs' messages window by window.
        assertTrue(c.get("windows").asLong() > run.get("actors").get("windows").asLong(),
            "the cluster's windows " + c.get("windows") + " against one JVM's " + run.get("actors").get("windows"));
        assertTrue(c.get("node0_bytes_out").asLong() > 0 && c.get("node0_bytes_in").asLong() > 0, c.toString());
        assertEquals(c.get("events_per_sec").asDouble() / run.get("actors").get("events_per_sec").asDouble(),
            c.get("cluster_to_one_jvm_ratio").asDouble(), 1e-9);
        assertEquals((double) c.get("wall_ms").asLong() / c.get("windows").asLong(), c.get("wall_ms_per_window").asDouble(), 1e-9);
    }

    @Test
    void clusterOptionsAreCheckedBeforeAnyRun() {
        Outcome o = exec("bench", "--cpus", "16", "--expect-nodes", "2");
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("--expect-nodes needs --join"), o.err());
        assertEquals("", o.out());
    }

    @Test
    void aSizeTheScenarioCannotHaveFailsBeforeAnyRun() {
        Outcome o = exec("bench", "--scenario", "dpdk-16", "--cpus", "64,4");
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().lines().anyMatch(l -> l.startsWith("smpemu: ")), o.err());
        assertEquals("", o.out());
    }
}
