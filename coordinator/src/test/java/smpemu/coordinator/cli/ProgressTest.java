package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpemu.coordinator.cli.Cli.exec;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** --progress: a progress line on stderr only, never in the JSON on stdout. */
class ProgressTest {
    @Test
    void alwaysDrawsOnStderrAndLeavesTheJsonAlone() throws Exception {
        Cli.Outcome o = exec("run", "--engine", "sequential", "--duration", "300ms", "--progress", "always", "--json", "-");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("/300 ms simulated"), o.err());
        assertTrue(o.err().contains("100%"), "the line ends at the run's end: " + o.err());
        assertEquals(300_000_000L, new ObjectMapper().readTree(o.out()).get("sim_duration_ns").asLong());
    }

    @Test
    void neverAndAutoOffATerminalDrawNothing() {
        for (String mode : new String[] {"never", "auto"}) {
            Cli.Outcome o = exec("compare", "--engine", "sequential", "--duration", "200ms", "--progress", mode, "-q");
            assertEquals(0, o.code(), o.err());
            assertFalse(o.err().contains("ms simulated"), mode + ": " + o.err());
        }
        Cli.Outcome bad = exec("run", "--progress", "sometimes");
        assertEquals(2, bad.code());
    }
}
