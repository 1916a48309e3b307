package smpemu.node.model;

import java.util.BitSet;

/**
 * What one CPU can see of arch/x86/mm/tlb.c's shared TLB state (docs/kernel-model.md#tlb-state),
 * and its own ASIDs' generations. Every other CPU's stores reach it as TLB_STATE messages, one
 * cache-line transfer latency after they were made: cpu_tlbstate.loaded_mm and
 * cpu_tlbstate_shared.is_lazy (what should_flush_tlb() reads on the sender), the mm_cpumask bits
 * and mm->context.tlb_gen. A sender decides on this view, as the kernel's sender decides on what
 * its loads return. Only the tracked mms have generations and masks here, and only a CPU that
 * flushers run on keeps the others' state ({@link TlbScope}): memory stays linear in CPUs where
 * nothing reads it.
 */
final class TlbState implements StoreBuffer.Sink {
    /** The message's {@code arg}: a CPU's loaded mm and lazy mode changed (value: 1 = lazy; a non-lazy loaded mm sets its bit). */
    static final int STATE = 0;
    /** The CPU left mm {@code extra}'s mm_cpumask (flush_tlb_func() found it on another mm). */
    static final int LEAVE = 1;
    /** mm {@code extra}'s tlb_gen is now {@code value}, bumped by a flush that read mm_cpumask {@code taskId} ns before it sent this. */
    static final int GEN = 2;
    /** mm {@code extra} got a global ASID (consider_global_asid(), AMD INVLPGB): its flushes are broadcasts. */
    static final int GLOBAL_ASID = 3;
    /** GEN flags: the flush freed page tables; this CPU is one of its targets (its CSD carries the flush). */
    static final int FREED = 1 << 4, TARGET = 1 << 5;
    private static final BitSet NONE = new BitSet();

    private final TlbScope scope;
    /** Per CPU (on a reader): cpu_tlbstate.loaded_mm as last seen (-1: init_mm, nothing loaded). */
    private final int[] loadedMm;
    /** Per CPU (on a reader): cpu_tlbstate_shared.is_lazy as last seen. */
    private final boolean[] lazy;
    /** Per tracked mm (on a reader): mm_cpumask(mm) as this CPU sees it (without itself). */
    private final BitSet[] mmCpumask;
    /** Per tracked mm: mm->context.tlb_gen as this CPU sees it. */
    private final long[] mmTlbGen;
    /** Per tracked mm: cpu_tlbstate.ctxs[asid].tlb_gen of this CPU's ASID for it (one ASID per mm, never recycled). */
    private final long[] localTlbGen;
    /** Per tracked mm: whether localTlbGen came from a full flush (it then covers every generation up to it). */
    private final boolean[] localFull;
    /** Per tracked mm: when this CPU last came to run it non-lazily (set its bit or cleared is_lazy). */
    private final long[] activeSince;
    /** Per tracked mm: mm_global_asid(mm) != 0 as this CPU sees it. */
    private final boolean[] globalAsid;
    /** When this CPU last ran a reclaim batch's flush_tlb_func() (no mm: a full flush of its loaded mm). */
    long batchFlushedAt = -1;

    TlbState(TlbScope scope, int cpus, boolean reader) {
        this.scope = scope;
        int n = scope.trackedCount();
        loadedMm = new int[reader ? cpus : 0];
        java.util.Arrays.fill(loadedMm, -1);
        lazy = new boolean[reader ? cpus : 0];
        mmCpumask = new BitSet[reader ? n : 0];
        for (int i = 0; i < mmCpumask.length; i++) mmCpumask[i] = new BitSet();
        mmTlbGen = new long[n];
        localTlbGen = new long[n];
        localFull = new boolean[n];
        activeSince = new long[n];
        globalAsid = new boolean[n];
    }

    /** Another CPU's store, now visible here. */
    @Override
    public void seen(int src, int kind, int mm, long value) {
        int i = scope.index(mm);
        switch (kind) {
            case STATE -> {
                loadedMm[src] = mm;
                lazy[src] = value != 0;
                if (i >= 0 && value == 0) mmCpumask[i].set(src);
            }
            case LEAVE -> {
                if (i >= 0) mmCpumask[i].clear(src);
            }
            case GLOBAL_ASID -> {
                if (i >= 0) globalAsid[i] = true;
            }
            default -> throw new IllegalStateException("tlb state message " + kind);
        }
    }

    int loadedMm(int c) { return loadedMm[c]; }

    boolean globalAsid(int mm) {
        int i = scope.index(mm);
        return i >= 0 && globalAsid[i];
    }

    /** use_global_asid(): this CPU gave {@code mm} a global ASID. */
    void useGlobalAsid(int mm) {
        int i = scope.index(mm);
        if (i >= 0) globalAsid[i] = true;
    }

    boolean lazy(int c) { return lazy[c]; }

    /** mm_cpumask(mm) as seen here, without this CPU (do not modify). */
    BitSet mmCpumask(int mm) {
        int i = scope.index(mm);
        return i < 0 || mmCpumask.length == 0 ? NONE : mmCpumask[i];
    }

    /** atomic64_read(&mm->context.tlb_gen) as this CPU sees it (0 for an mm nobody flushes). */
    long mmTlbGen(int mm) {
        int i = scope.index(mm);
        return i < 0 ? 0 : mmTlbGen[i];
    }

    /** A newer tlb_gen became visible. */
    void genSeen(int mm, long gen) {
        int i = scope.index(mm);
        if (i >= 0 && gen > mmTlbGen[i]) mmTlbGen[i] = gen;
    }

    long localTlbGen(int mm) {
        int i = scope.index(mm);
        return i < 0 ? 0 : localTlbGen[i];
    }

    boolean localFull(int mm) {
        int i = scope.index(mm);
        return i >= 0 && localFull[i];
    }

    /** This CPU's ASID for {@code mm} is flushed up to {@code gen} (by a full flush: every generation up to it). */
    void flushed(int mm, long gen, boolean full) {
        int i = scope.index(mm);
        if (i < 0) return;
        localTlbGen[i] = gen;
        localFull[i] = full;
    }

    long activeSince(int mm) {
        int i = scope.index(mm);
        return i < 0 ? 0 : activeSince[i];
    }

    void active(int mm, long at) {
        int i = scope.index(mm);
        if (i >= 0) activeSince[i] = at;
    }
}
