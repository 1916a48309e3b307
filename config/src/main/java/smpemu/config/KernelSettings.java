package smpemu.config;

/**
 * The simulated kernel: tick rate, preemption model, variant and applied patches (issue #3
 * gives them behaviour), and the costs of the scheduler paths (cost-model.md). {@code patches} is
 * sorted and distinct.
 */
public record KernelSettings(int hz, PreemptionModel preemption, String variant, int[] patches,
                             long contextSwitchNs, long tickHandlerNs, long reschedIpiHandlerNs,
                             long wakeupNs) {

    public long tickPeriodNs() { return 1_000_000_000L / hz; }
}
