package smpemu.coordinator.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The text form of blame hops whose target did not run (an SMI, a host preemption: not "IRQs
 * off") or was in a device's hard-IRQ handler (named by the handler).
 */
class BlameLineTest {
    @Test
    void anSmiHopSaysSo() {
        RunResult.Section s = new RunResult.Section(0, 200_000, 51_000, "caller", List.of("csd_lock_wait"), "preempt",
            List.of(new RunResult.BlameHop(1, "smi", List.of("irq", "fw"), 150_000, 100_000)));
        assertEquals("cpu0 caller 51.0us in csd_lock_wait <- cpu1 acked last: in an SMI 100us in fw from 150us", BlameLine.of(s));
    }

    @Test
    void aStealHopSaysTheHostPreemptedTheVcpu() {
        RunResult.Section s = new RunResult.Section(0, 2_000_000, 2_001_000, "caller", List.of("csd_lock_wait"), "preempt",
            List.of(new RunResult.BlameHop(1, "steal", List.of(), 1_000_000, 3_000_000)));
        assertEquals("cpu0 caller 2.00ms in csd_lock_wait <- cpu1 acked last: host-preempted (steal) 3.00ms from 1.00ms", BlameLine.of(s));
    }

    @Test
    void aHardIrqHopNamesTheHandler() {
        RunResult.Section s = new RunResult.Section(0, 200_000, 31_000, "caller", List.of("csd_lock_wait"), "preempt",
            List.of(new RunResult.BlameHop(1, "hardirq", List.of("irq", "nic"), 190_000, 30_000)));
        assertEquals("cpu0 caller 31.0us in csd_lock_wait <- cpu1 acked last: in hard-IRQ nic 30.0us from 190us", BlameLine.of(s));
    }
}
