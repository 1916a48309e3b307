package smpemu.node.model;

import java.util.Arrays;
import java.util.BitSet;

/**
 * What one CPU can see of arch/x86/mm/tlb.c's shared TLB state (docs/kernel-model.md#tlb-state),
 * and its own ASIDs' generations. Every other CPU's stores reach it as TLB_STATE messages, one
 * cache-line transfer latency after they were made: cpu_tlbstate.loaded_mm and
 * cpu_tlbstate_shared.is_lazy (what should_flush_tlb() reads on the sender), the mm_cpumask bits,
 * mm->context.tlb_gen and whether an mm has a global ASID. A sender decides on this view, as the
 * kernel's sender decides on what its loads return.
 */
final class TlbState {
    /** The message's {@code arg}: a CPU's loaded mm and lazy mode changed (value: 1 = lazy; a non-lazy loaded mm sets its bit). */
    static final int STATE = 0;
    /** The CPU left mm {@code extra}'s mm_cpumask (flush_tlb_func() found it on another mm). */
    static final int LEAVE = 1;
    /** mm {@code extra}'s tlb_gen is now {@code taskId}, bumped by a flush that read mm_cpumask at {@code value}. */
    static final int GEN = 2;
    /** mm {@code extra} got a global ASID (use_global_asid()). */
    static final int GLOBAL_ASID = 3;
    /** GEN flags: the flush freed page tables; this CPU is one of its targets (its CSD carries the flush). */
    static final int FREED = 1 << 4, TARGET = 1 << 5;

    /** Per CPU: cpu_tlbstate.loaded_mm as last seen (-1: init_mm, nothing loaded). */
    final int[] loadedMm;
    /** Per CPU: cpu_tlbstate_shared.is_lazy as last seen. */
    final boolean[] lazy;
    /** Per mm: mm_cpumask(mm) as this CPU sees it (its own bit is exact). */
    final BitSet[] mmCpumask;
    /** Per mm: mm->context.tlb_gen as this CPU sees it. */
    final long[] mmTlbGen;
    /** Per mm: cpu_tlbstate.ctxs[asid].tlb_gen of this CPU's ASID for the mm (one ASID per mm, never recycled). */
    final long[] localTlbGen;
    /** Per mm: when this CPU last came to run it non-lazily (set its mm_cpumask bit or cleared is_lazy). */
    final long[] activeSince;
    /** Per mm: mm_global_asid(mm) != 0 (INVLPGB). */
    final boolean[] globalAsid;
    /** Per mm: whether localTlbGen came from a full flush (it then covers every generation up to it). */
    final boolean[] localFull;
    /** When this CPU last ran a reclaim batch's flush_tlb_func() (no mm: a full flush of its loaded mm). */
    long batchFlushedAt = -1;

    TlbState(int cpus, int mms) {
        loadedMm = new int[cpus];
        Arrays.fill(loadedMm, -1);
        lazy = new boolean[cpus];
        mmCpumask = new BitSet[mms];
        for (int m = 0; m < mms; m++) mmCpumask[m] = new BitSet(cpus);
        mmTlbGen = new long[mms];
        localTlbGen = new long[mms];
        localFull = new boolean[mms];
        activeSince = new long[mms];
        globalAsid = new boolean[mms];
    }

    /** Another CPU's store, now visible here. */
    void seen(int src, int kind, int mm, long value) {
        switch (kind) {
            case STATE -> {
                loadedMm[src] = mm;
                lazy[src] = value != 0;
                if (mm >= 0 && value == 0) mmCpumask[mm].set(src);
            }
            case LEAVE -> mmCpumask[mm].clear(src);
            case GLOBAL_ASID -> globalAsid[mm] = true;
            default -> throw new IllegalStateException("tlb state message " + kind);
        }
    }

    /** atomic64_read(&mm->context.tlb_gen) as this CPU sees it, after a newer value arrived. */
    void genSeen(int mm, long gen) {
        if (gen > mmTlbGen[mm]) mmTlbGen[mm] = gen;
    }

    /** mm_active_cpus_exceeds(mm, n): CPUs in mm_cpumask whose loaded mm it is (this one included). */
    boolean activeCpusExceed(int mm, int n, int self, int selfLoaded) {
        BitSet mask = mmCpumask[mm];
        int count = 0;
        for (int c = mask.nextSetBit(0); c >= 0; c = mask.nextSetBit(c + 1)) {
            if (c == self ? selfLoaded == mm : loadedMm[c] == mm) count++;
        }
        return count > n;
    }
}
