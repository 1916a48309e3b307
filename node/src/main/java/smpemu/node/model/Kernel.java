package smpemu.node.model;

import smpemu.config.KernelSeries;
import smpemu.config.KernelSettings;
import smpemu.config.PreemptionModel;

/**
 * The kernel the model runs: which form of the series, which of its patches are applied
 * (docs/kernel-model.md §9) and which unsafe variant, if any (§11), for the {@code if (patch(N))},
 * the x86 changes by name ({@code if (flushInfoOnStack())}) and {@code if (unsafe(Un))} in the
 * kernel files. Patches 1-9 are numbered alike in v6 and tip; the x86 ones are asked for by what
 * they change, since the two forms number (and split) them differently. An unsafe variant is the
 * kernel code with one guard taken away where the real bug would be; the checkers find what goes
 * wrong.
 */
final class Kernel {
    static final String U1 = "u1", U2 = "u2", U3 = "u3", U4 = "u4", U9 = "u9", U10 = "u10",
        U11 = "u11", U12 = "u12";
    /** The last patch numbered alike in both forms (smp.c and scftorture). */
    private static final int LAST_COMMON = 9;

    private final boolean[] patches = new boolean[KernelSeries.MAX_PATCH_COUNT + 1];
    /** The unsafe variant's short name ({@code u4} for unsafe-u4), or null: checked on every call's code path, so no string is built there. */
    private final String unsafe;
    private final KernelSeries series;
    /** PREEMPT_RT: spinlocks sleep instead of disabling preemption. */
    final boolean rt;

    Kernel(KernelSettings k) {
        for (int p : k.effectivePatches()) patches[p] = true;
        this.unsafe = k.variant().startsWith("unsafe-") ? k.variant().substring("unsafe-".length()) : null;
        this.series = k.series();
        this.rt = k.preemption() == PreemptionModel.RT;
    }

    /** Whether patch {@code n} (1-9: smp.c and scftorture, the same in both forms) is applied. */
    boolean patch(int n) {
        if (n > LAST_COMMON) throw new IllegalArgumentException("patch " + n + " is numbered per form: ask by name");
        return patches[n];
    }

    /** "x86/mm: Move flush_tlb_info back to the stack" (v6 10, tip 12). */
    boolean flushInfoOnStack() { return applied(series.flushInfoOnStack); }

    /**
     * flush_tlb_mm_range() and arch_tlbbatch_flush() put_cpu() before flush_tlb_multi() (v6 11,
     * which the model reads as tip 14 "Re-enable preemption before flush_tlb_multi()").
     */
    boolean preemptibleFlushTlbMulti() { return applied(series.preemptibleFlushTlbMulti); }

    /** flush_tlb_kernel_range() without its preempt guard: v6 12; tip has no such patch. */
    boolean preemptibleKernelRange() { return applied(series.preemptibleKernelRange); }

    /**
     * kvm_flush_tlb_multi()'s preempt guard: tip 13 "x86/kvm: Disable preemption in
     * kvm_flush_tlb_multi()". v6 has no such patch, but its patch 11 made only the native flush
     * preemptible, so under v6 the PV flush keeps the guard whatever the patch set (u9 drops it).
     */
    boolean kvmFlushPreemptGuard() {
        return series == KernelSeries.V6 ? !unsafe(U9) : applied(series.kvmPreemptGuard);
    }

    private boolean applied(int n) { return n > 0 && patches[n]; }

    /** Whether this is unsafe variant {@code u}. */
    boolean unsafe(String u) { return u.equals(unsafe); }
}
