package smpemu.config;

/**
 * The simulated kernel: tick rate, preemption model, variant and applied patches (issue #3
 * gives them behaviour), and the costs of the scheduler paths (cost-model.md). {@code patches} is
 * sorted and distinct.
 */
public record KernelSettings(int hz, PreemptionModel preemption, String variant, int[] patches,
                             long contextSwitchNs, long tickHandlerNs, long reschedIpiHandlerNs,
                             long wakeupNs, SmpSettings smp) {

    public static final int PATCH_COUNT = 12;

    public long tickPeriodNs() { return 1_000_000_000L / hz; }

    /** The patches in effect: all of them for the patched variant, else the listed ones. */
    public int[] effectivePatches() {
        if (!"patched".equals(variant)) return patches.clone();
        return java.util.stream.IntStream.rangeClosed(1, PATCH_COUNT).toArray();
    }

    public boolean has(int patch) {
        for (int p : effectivePatches()) if (p == patch) return true;
        return false;
    }
}
