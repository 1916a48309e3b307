package smpemu.node.model;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The coordinator's view at its last instant (immutable): where every task was, and which CPUs
 * each mm's mm_cpumask held. Wake-ups are addressed by it (a CPU a task has left since forwards
 * them); TLB shootdowns read mm_cpumask from it, plus the sender's own CPU.
 */
public final class Directory {
    private final int[] cpuOf;
    private final BitSet[] mmCpus;
    private final BitSet anyMm;

    public Directory(int[] cpuOf, BitSet[] mmCpus) {
        this.cpuOf = cpuOf;
        this.mmCpus = mmCpus;
        this.anyMm = new BitSet();
        for (BitSet b : mmCpus) anyMm.or(b);
    }

    public int cpuOf(int task) { return cpuOf[task]; }

    /** CPUs in mm_cpumask(mm) at the last instant (do not modify). */
    public BitSet mmCpus(int mm) { return mmCpus[mm]; }

    /** CPUs in the mm_cpumask of any user mm: what a reclaim batch accumulates. */
    public BitSet anyMmCpus() { return anyMm; }

    /** A copy with the given moves (task, cpu pairs) applied and mm_cpumask replaced. */
    public Directory with(int[] moves, BitSet[] mms) {
        int[] c = cpuOf;
        if (moves.length > 0) {
            c = cpuOf.clone();
            for (int i = 0; i < moves.length; i += 2) c[moves[i]] = moves[i + 1];
        }
        if (c == cpuOf && Arrays.equals(mms, mmCpus)) return this;
        return new Directory(c, mms);
    }
}
