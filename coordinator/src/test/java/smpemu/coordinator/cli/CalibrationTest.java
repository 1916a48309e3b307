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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smpemu.coordinator.cli.Cli.Outcome;

/** A scenario's calibration bands (smpemu.calibration): compare reads each figure from its runs and says whether it holds. */
class CalibrationTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    private Path scenario(String targets) throws IOException {
        return Files.writeString(tmp.resolve("calibrated.conf"), "include classpath(\"scenarios/smoke.conf\")\n"
            + "smpemu.duration = 400ms\nsmpemu.calibration {\n  source = \"a test\"\n  targets = [\n" + targets + "\n  ]\n}\n");
    }

    @Test
    void eachBandIsReadFromItsRunAndReported() throws IOException {
        Path conf = scenario("""
            {side = before, figure = p99, cpus = "0-1", min = 0ns, why = "open above"}
            {side = after, figure = worst-p99, max = 1ns, why = "cannot hold"}
            {side = after, figure = reduction-pct, min = -1000, why = "any reduction"}
            {side = before, figure = path-max, frames = [csd_lock_wait], min = 0ns, why = "the wait's longest"}
            """);
        Path file = tmp.resolve("c.json");
        Outcome o = exec("compare", "-c", conf.toString(), "--engine", "sequential", "--json", file.toString());
        assertEquals(0, o.code(), "bands inform, they do not fail the comparison: " + o.err());
        assertTrue(o.out().contains("calibration: 3 of 4 bands hold (a test)"), o.out());
        assertTrue(o.out().contains("cannot hold"), "each band says what it stands for:\n" + o.out());

        JsonNode c = JSON.readTree(file.toFile());
        JsonNode rows = c.get("calibration").get("targets");
        assertEquals(3, c.get("calibration").get("held").asInt());
        JsonNode before = c.get("baseline"), after = c.get("patched");

        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (int cpu = 0; cpu <= 1; cpu++) {
            long v = before.get("cpus").get(cpu).get("preemptoff_p99_ns").asLong();
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        assertEquals(lo, rows.get(0).get("low").asLong());
        assertEquals(hi, rows.get(0).get("high").asLong());
        assertTrue(rows.get(0).get("holds").asBoolean());

        long worst = after.get("summary").get("preemptoff_p99_ns").asLong();
        assertTrue(worst > 1, "the smoke run has sections");
        assertEquals(worst, rows.get(1).get("low").asLong());
        assertFalse(rows.get(1).get("holds").asBoolean());
        assertEquals(c.get("reduction_pct").asDouble(), rows.get(2).get("low").asDouble(), 1e-9);

        long waitMax = 0;
        for (JsonNode p : before.get("paths")) {
            for (JsonNode f : p.get("path")) if (f.asText().equals("csd_lock_wait")) waitMax = Math.max(waitMax, p.get("max_ns").asLong());
        }
        assertTrue(waitMax > 0, "smoke waits in csd_lock_wait");
        assertEquals(waitMax, rows.get(3).get("low").asLong());
    }

    @Test
    void aScenarioWithoutCalibrationPrintsNone() {
        Outcome o = exec("compare", "--scenario", "smoke", "--engine", "sequential", "--duration", "300ms", "--json", "-");
        assertEquals(0, o.code(), o.err());
        assertFalse(o.out().contains("\"calibration\""), o.out());
    }

    @Test
    void badBandsAreConfigurationErrorsNamingTheKey() throws IOException {
        Path conf = scenario("""
            {side = before, figure = worst-p99, cpus = [0], max = 1ms, why = "x"}
            {side = before, figure = p50, cpus = [0], min = 2ms, max = 1ms, why = "x"}
            {side = sideways, figure = p51, why = "x"}
            {side = after, figure = p99, cpus = [0], max = 1ms}
            {side = after, figure = path-max, frames = [], max = 1ms, why = "x"}
            """);
        Outcome o = exec("compare", "-c", conf.toString());
        assertEquals(2, o.code(), o.out() + o.err());
        String e = o.err();
        assertTrue(e.contains("calibration.targets[0].cpus: [0] is only for per-CPU figures"), e);
        assertTrue(e.contains("calibration.targets[1].min: \"2ms\" is above max"), e);
        assertTrue(e.contains("calibration.targets[2].side: \"sideways\" is not one of before, after"), e);
        assertTrue(e.contains("calibration.targets[2].figure: \"p51\" is not one of p50, p99"), e);
        assertTrue(e.contains("calibration.targets[3].why: missing (required)"), e);
        assertTrue(e.contains("calibration.targets[4].frames: [] is empty"), e);
        assertEquals("", o.out(), "nothing ran");
    }
}
