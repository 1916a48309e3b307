package smpemu.config;

/**
 * Which form of the series {@code kernel.patches} numbers and {@code patched} applies
 * (docs/kernel-model.md §9): the cover letter's v6, or the form applied to tip, which split the x86
 * part differently. Patches 1-9 (smp.c, scftorture) are the same in both; for the x86 patches that
 * change what the model does, each form's number is here (0: the form has no such patch).
 */
public enum KernelSeries {
    /** v6, 12 patches. */
    V6(12, 10, 11, 12, 0),
    /** tip (smp/core and x86/mm), 14 patches: 10 and 11 only prepare 12, and the model times nothing of them. */
    TIP(14, 12, 14, 0, 13);

    /** How many patches the form has: kernel.patches takes 1..patchCount. */
    public final int patchCount;
    /** "x86/mm: Move flush_tlb_info back to the stack". */
    public final int flushInfoOnStack;
    /**
     * The callers' put_cpu() before flush_tlb_multi(): v6 "Enable preemption during
     * native_flush_tlb_multi", tip "Re-enable preemption before flush_tlb_multi()".
     */
    public final int preemptibleFlushTlbMulti;
    /** v6 only: "Enable preemption during flush_tlb_kernel_range". */
    public final int preemptibleKernelRange;
    /** tip only: "x86/kvm: Disable preemption in kvm_flush_tlb_multi()". */
    public final int kvmPreemptGuard;

    KernelSeries(int patchCount, int flushInfoOnStack, int preemptibleFlushTlbMulti, int preemptibleKernelRange,
                 int kvmPreemptGuard) {
        this.patchCount = patchCount;
        this.flushInfoOnStack = flushInfoOnStack;
        this.preemptibleFlushTlbMulti = preemptibleFlushTlbMulti;
        this.preemptibleKernelRange = preemptibleKernelRange;
        this.kvmPreemptGuard = kvmPreemptGuard;
    }

    /** The config spelling: v6 or tip. */
    public String spelling() { return name().toLowerCase(java.util.Locale.ROOT); }

    /** The largest patch number of any form (array sizes). */
    public static final int MAX_PATCH_COUNT = 14;
}
