package smpemu.coordinator.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The text form of a blame hop whose target was in an SMI: not "IRQs off", the CPU did not run. */
class BlameLineTest {
    @Test
    void anSmiHopSaysSo() {
        RunResult.Section s = new RunResult.Section(0, 200_000, 51_000, "caller", List.of("csd_lock_wait"), "preempt",
            List.of(new RunResult.BlameHop(1, "smi", List.of("irq", "fw"), 150_000, 100_000)));
        assertEquals("cpu0 caller 51.0us in csd_lock_wait <- cpu1 acked last: in an SMI 100us in fw from 150us", BlameLine.of(s));
    }
}
