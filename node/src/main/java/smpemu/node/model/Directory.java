package smpemu.node.model;

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

    /**
     * A copy with the given moves (task, cpu pairs) and mm_cpumask changes applied; unchanged
     * masks are shared (the directory is immutable), so an instant costs what changed.
     */
    public Directory with(int[] moves, CpuMmChanges changes) {
        if (moves.length == 0 && changes.isEmpty()) return this;
        int[] c = cpuOf;
        if (moves.length > 0) {
            c = cpuOf.clone();
            for (int i = 0; i < moves.length; i += 2) c[moves[i]] = moves[i + 1];
        }
        BitSet[] mms = mmCpus;
        if (!changes.isEmpty()) {
            mms = mmCpus.clone();
            boolean[] copied = new boolean[mms.length];
            for (int i = 0; i < changes.size(); i++) {
                int m = changes.mm(i);
                if (!copied[m]) {
                    mms[m] = (BitSet) mms[m].clone();
                    copied[m] = true;
                }
                mms[m].set(changes.cpu(i), changes.joined(i));
            }
        }
        return new Directory(c, mms);
    }

    /** mm_cpumask changes in the order they happened: (cpu, mm, joined). */
    public static final class CpuMmChanges {
        private final java.util.List<int[]> list = new java.util.ArrayList<>();

        public void add(int cpu, int change) { list.add(new int[] {cpu, change}); }

        boolean isEmpty() { return list.isEmpty(); }

        int size() { return list.size(); }

        int cpu(int i) { return list.get(i)[0]; }

        int mm(int i) {
            int c = list.get(i)[1];
            return c >= 0 ? c : -c - 1;
        }

        boolean joined(int i) { return list.get(i)[1] >= 0; }
    }
}
