package smpemu.config;

import java.util.function.IntPredicate;
import java.util.stream.IntStream;

/**
 * The simulated kernel: tick rate, preemption model, the form of the series and which of its
 * patches are applied, the variant (issue #3 gives them behaviour), and the costs of the scheduler
 * paths (docs/costs.md). {@code patches} is sorted and distinct, numbered in {@code series}.
 * {@code softirq}: kernel/softirq.c's budgets; {@code kvmHintsRealtime}: the guest runs on
 * dedicated pCPUs (KVM_HINTS_REALTIME): no host preemption, no PV TLB flush.
 */
public record KernelSettings(int hz, PreemptionModel preemption, KernelSeries series, String variant, int[] patches,
                             long contextSwitchNs, long tickHandlerNs, long reschedIpiHandlerNs,
                             long wakeupNs, SmpSettings smp, SoftirqSettings softirq, boolean kvmHintsRealtime) {

    /** v6's patch count: the CLI's patch-set spellings (baseline+N, patched-N) number in v6. */
    public static final int PATCH_COUNT = KernelSeries.V6.patchCount;

    public long tickPeriodNs() { return 1_000_000_000L / hz; }

    /**
     * The patches in effect, numbered in {@code series}: all for patched; all but the guard an
     * unsafe variant drops (u1: patch 1, u4: 4, u5: 5, u6: 6, u7: 6-8, u8: "Move flush_tlb_info back
     * to the stack" (v6 10, tip 12), u9 under tip: the KVM guard, 13); u2, u3, u10 and u9 under v6
     * (which has no KVM patch) keep all and move a preempt_enable() too early or drop the guard in
     * the code; else the listed ones.
     */
    public int[] effectivePatches() {
        IntPredicate dropped = switch (variant) {
            case "patched", "unsafe-u2", "unsafe-u3", "unsafe-u10", "unsafe-u11", "unsafe-u12" -> p -> false;
            case "unsafe-u1" -> p -> p == 1;
            case "unsafe-u4" -> p -> p == 4;
            case "unsafe-u5" -> p -> p == 5;
            case "unsafe-u6" -> p -> p == 6;
            case "unsafe-u7" -> p -> p >= 6 && p <= 8; // scftorture's preempt_disable gone before 6-8 are in
            case "unsafe-u8" -> p -> p == series.flushInfoOnStack;
            case "unsafe-u9" -> p -> p == series.kvmPreemptGuard;
            default -> null;
        };
        if (dropped == null) return patches.clone();
        return IntStream.rangeClosed(1, series.patchCount).filter(dropped.negate()).toArray();
    }

    public boolean unsafe(String u) { return variant.equals("unsafe-" + u); }

    /** Whether patch {@code patch} (in {@code series}' numbering; 0: none) is in effect. */
    public boolean has(int patch) {
        for (int p : effectivePatches()) if (p == patch) return true;
        return false;
    }
}
