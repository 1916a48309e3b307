package smpemu.node.model;

import smpemu.config.KernelSettings;
import smpemu.config.Op;
import smpemu.config.PreemptionModel;

/**
 * Which parts of a cross-call keep preemption disabled, for the kernel variant and patch set
 * (kernel-model.md §2, table §2.14). A wait is preemptible only if every level between the
 * caller and csd_lock_wait() has dropped its preempt_disable (the caller-nesting rule), the
 * CSD-lock debug loop is off (patch 1 pins it) and the preemption model can preempt kernel code.
 */
final class KernelPlan {
    private final boolean[] patch = new boolean[KernelSettings.PATCH_COUNT + 1];
    private final boolean debug;
    private final boolean preemptible;
    private final boolean rt;
    private final boolean pvFlush;
    private final KernelSettings kernel;

    KernelPlan(KernelSettings k) {
        for (int p : k.effectivePatches()) patch[p] = true;
        this.debug = k.smp().csdlockDebug();
        this.preemptible = k.preemption().kernelPreemptible();
        this.rt = k.preemption() == PreemptionModel.RT;
        this.pvFlush = k.smp().pvTlbFlush();
        this.kernel = k;
    }

    /**
     * Unsafe variants that move a preempt_enable() before the dispatch (kernel-model.md §2.13):
     * the choice of targets (and csd_lock) then runs preemptible, and the task can be preempted
     * or migrated before it pushes. U2: single calls; U3: _any's CPU choice; U6: many_cond
     * without self-pinning; U10: the TLB flush's branch decision.
     */
    boolean unpinnedDecision(XCallSpec x) {
        if (!preemptible) return false;
        if (x.isFlush()) return kernel.unsafe("u10");
        return switch (x.call()) {
            case SINGLE -> kernel.unsafe("u2");
            case ANY -> kernel.unsafe("u3") || kernel.unsafe("u2");
            // Without patch 6, many_cond relies on its caller's preempt_disable: u6 drops the
            // wrappers' (patches 7/8), u7 scftorture's (patch 9) while 6-8 are missing.
            case MANY, ALL, ON_EACH_CPU, ON_EACH_CPU_MASK, ON_EACH_CPU_COND ->
                kernel.unsafe("u6") || kernel.unsafe("u7") && !x.underLock();
            case SINGLE_ASYNC -> false;
        };
    }

    boolean waitPinned(XCallSpec x) {
        if (!x.waits() || !preemptible) return true;
        if (debug && patch[1]) return true; // patch 1 pins the debug loop (unsafe-u1 drops it)
        if (x.underLock() && !rt) return true; // an RT spinlock does not disable preemption
        // Early put_cpu() needs the task mask (unsafe-u4 takes it anyway, on the shared cfd mask).
        boolean manyCondReleases = patch[6] && (patch[4] || kernel.unsafe("u4"));
        if (x.isFlush()) {
            // kvm_flush_tlb_multi() is pinned whole (kernel-model.md §2, patch 11); unsafe-u9 is not.
            if (pvFlush && !kernel.unsafe("u9")) return true;
            boolean callerReleases = x.flush() == Op.FlushKind.VMALLOC_PURGE ? patch[12] : patch[11];
            return !callerReleases || !patch[8] || !manyCondReleases;
        }
        return switch (x.call()) {
            case SINGLE -> !patch[2];
            case ANY -> !(patch[2] && patch[3]);
            case MANY -> !manyCondReleases; // before patch 6 the caller must hold preemption off
            case ALL -> !patch[7] || !manyCondReleases;
            case ON_EACH_CPU, ON_EACH_CPU_MASK, ON_EACH_CPU_COND -> !patch[8] || !manyCondReleases;
            case SINGLE_ASYNC -> true;
        };
    }
}
