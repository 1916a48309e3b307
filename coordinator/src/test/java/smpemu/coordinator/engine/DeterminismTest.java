package smpemu.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.RunResult;

/** Same config + seed => the same digest, whichever engine and however many NodeHosts run it. */
class DeterminismTest {

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"smoke, 1, 2s", "smoke, 2, 2s", "smoke, 3, 2s", "rt-16, 1, 3s", "rt-16, 2, 3s", "rt-16, 3, 3s"})
    void sequentialAndActorsAgree(String scenario, long seed, String duration) {
        SimSettings s = Runs.scenario(scenario, "smpemu { seed = " + seed + ", duration = " + duration
            + ", measurement.window = 100ms }");
        RunResult seq = Runs.sequential(s);
        RunResult act = Runs.actors(s, 1);
        RunResult split = Runs.actors(s, 3);
        assertTrue(seq.counters().contextSwitches() > 100, "the scenario must actually schedule");
        assertEquals(seq.digest(), act.digest(), "actors (1 node) vs sequential");
        assertEquals(seq.digest(), split.digest(), "actors (3 NodeHosts) vs sequential");
        assertEquals(seq.digest(), Runs.sequential(s).digest(), "sequential twice");
        SimSettings other = Runs.scenario(scenario, "smpemu { seed = " + (seed + 100) + ", duration = "
            + duration + ", measurement.window = 100ms }");
        assertNotEquals(seq.digest(), Runs.sequential(other).digest(), "another seed, another digest");
    }
}
