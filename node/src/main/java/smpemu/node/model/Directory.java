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
    /** Per CPU, in how many mms' masks it is: kept so that anyMm follows a change at its cost. */
    private final int[] mmRefs;

    public Directory(int[] cpuOf, BitSet[] mmCpus) {
        this.cpuOf = cpuOf;
        this.mmCpus = mmCpus;
        this.anyMm = new BitSet();
        int n = 0;
        for (BitSet b : mmCpus) n = Math.max(n, b.length());
        this.mmRefs = new int[n];
        for (BitSet b : mmCpus) {
            anyMm.or(b);
            for (int c = b.nextSetBit(0); c >= 0; c = b.nextSetBit(c + 1)) mmRefs[c]++;
        }
    }

    private Directory(int[] cpuOf, BitSet[] mmCpus, BitSet anyMm, int[] mmRefs) {
        this.cpuOf = cpuOf;
        this.mmCpus = mmCpus;
        this.anyMm = anyMm;
        this.mmRefs = mmRefs;
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
        BitSet any = anyMm;
        int[] refs = mmRefs;
        if (!changes.isEmpty()) {
            mms = mmCpus.clone();
            any = (BitSet) anyMm.clone();
            refs = mmRefs;
            boolean[] copied = new boolean[mms.length];
            for (int i = 0; i < changes.size(); i++) {
                int m = changes.mm(i), cpu = changes.cpu(i);
                boolean joined = changes.joined(i);
                if (mms[m].get(cpu) == joined) continue; // already so
                if (!copied[m]) {
                    mms[m] = (BitSet) mms[m].clone();
                    copied[m] = true;
                }
                mms[m].set(cpu, joined);
                if (refs == mmRefs) refs = java.util.Arrays.copyOf(mmRefs, Math.max(mmRefs.length, cpu + 1));
                if (cpu >= refs.length) refs = java.util.Arrays.copyOf(refs, cpu + 1);
                refs[cpu] += joined ? 1 : -1;
                any.set(cpu, refs[cpu] > 0);
            }
        }
        return new Directory(c, mms, any, refs);
    }

    /**
     * What one decision changed (the task moves and the mm_cpumask changes), small enough to send
     * to every node instead of the whole directory; each node applies it to its own copy.
     */
    public record Delta(int[] moves, int[] mmChanges) {
        public Directory applyTo(Directory d) {
            CpuMmChanges c = new CpuMmChanges();
            for (int i = 0; i < mmChanges.length; i += 2) c.add(mmChanges[i], mmChanges[i + 1]);
            return d.with(moves, c);
        }
    }

    /** mm_cpumask changes in the order they happened: (cpu, mm, joined). */
    public static final class CpuMmChanges {
        private final java.util.List<int[]> list = new java.util.ArrayList<>();

        public void add(int cpu, int change) { list.add(new int[] {cpu, change}); }

        boolean isEmpty() { return list.isEmpty(); }

        /** As flat (cpu, change) pairs, for a {@link Delta}. */
        public int[] flat() {
            int[] f = new int[2 * list.size()];
            for (int i = 0; i < list.size(); i++) {
                f[2 * i] = list.get(i)[0];
                f[2 * i + 1] = list.get(i)[1];
            }
            return f;
        }

        int size() { return list.size(); }

        int cpu(int i) { return list.get(i)[0]; }

        int mm(int i) {
            int c = list.get(i)[1];
            return c >= 0 ? c : -c - 1;
        }

        boolean joined(int i) { return list.get(i)[1] >= 0; }
    }
}
