package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static smpemu.coordinator.cli.Cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smpemu.coordinator.cli.Cli.Outcome;

/**
 * dpdk-16-full's claim (docs/costs.md#scenario-dpdk-16): on its own seed, every band of the
 * cover letter's table that its calibration block carries holds. The whole 100-window run, both
 * kernels, on the sequential engine: about two minutes on two cores, the suite's longest test.
 */
class Dpdk16CalibrationTest {
    @Test
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // a guard above the suite's 240 s: two 3000 s simulations
    void everyBandOfTheCoverLetterHolds() throws IOException {
        Outcome o = exec("compare", "--scenario", "dpdk-16-full", "--engine", "sequential", "--json", "-");
        assertEquals(0, o.code(), o.err());
        JsonNode calibration = new ObjectMapper().readTree(o.out()).get("calibration");
        StringBuilder off = new StringBuilder();
        for (JsonNode t : calibration.get("targets")) {
            if (!t.get("holds").asBoolean()) off.append(t).append('\n');
        }
        assertEquals(calibration.get("targets").size(), calibration.get("held").asInt(), "bands off:\n" + off);
        assertEquals(12, calibration.get("targets").size(), "the cover letter's table: 12 bands");
    }
}
