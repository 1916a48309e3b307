package smpemu.config;

/**
 * The simulated kernel: tick rate, preemption model, variant and applied patches (issue #3
 * gives them behaviour), and the costs of the scheduler paths (docs/costs.md). {@code patches} is
 * sorted and distinct.
 */
public record KernelSettings(int hz, PreemptionModel preemption, String variant, int[] patches,
                             long contextSwitchNs, long tickHandlerNs, long reschedIpiHandlerNs,
                             long wakeupNs, SmpSettings smp) {

    public static final int PATCH_COUNT = 12;

    public long tickPeriodNs() { return 1_000_000_000L / hz; }

    /**
     * The patches in effect: all for patched; all but the guard an unsafe variant drops
     * (u1: patch 1, u4: patch 4, u5: patch 5, u6: patch 6, u7: patches 6-8, u8: patch 10; u2, u3,
     * u9 and u10 keep
     * all and move a preempt_enable() too early);
     * else the listed ones.
     */
    public int[] effectivePatches() {
        int dropped = switch (variant) {
            case "patched", "unsafe-u2", "unsafe-u3", "unsafe-u9", "unsafe-u10" -> 0;
            case "unsafe-u6" -> 6;
            case "unsafe-u1" -> 1;
            case "unsafe-u4" -> 4;
            case "unsafe-u5" -> 5;
            case "unsafe-u8" -> 10;
            default -> -1;
        };
        if (variant.equals("unsafe-u7")) { // scftorture's preempt_disable gone before 6-8 are in
            return java.util.stream.IntStream.rangeClosed(1, PATCH_COUNT).filter(p -> p < 6 || p > 8).toArray();
        }
        if (dropped < 0) return patches.clone();
        return java.util.stream.IntStream.rangeClosed(1, PATCH_COUNT).filter(p -> p != dropped).toArray();
    }

    public boolean unsafe(String u) { return variant.equals("unsafe-" + u); }

    public boolean has(int patch) {
        for (int p : effectivePatches()) if (p == patch) return true;
        return false;
    }
}
