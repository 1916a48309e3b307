package smpemu.node.model;

/**
 * The coordinator's view at its last instant (immutable): where every task was. Wake-ups are
 * addressed by it (a CPU a task has left since forwards them). mm_cpumask is not here: each CPU
 * sees the others' switches as they become visible ({@link TlbState}).
 */
public final class Directory {
    private final int[] cpuOf;

    public Directory(int[] cpuOf) {
        this.cpuOf = cpuOf;
    }

    public int cpuOf(int task) { return cpuOf[task]; }

    /** A copy with the given moves (task, cpu pairs) applied; this one when there are none. */
    public Directory with(int[] moves) {
        if (moves.length == 0) return this;
        int[] c = cpuOf.clone();
        for (int i = 0; i < moves.length; i += 2) c[moves[i]] = moves[i + 1];
        return new Directory(c);
    }

    /** What one decision changed (the task moves), sent to every node instead of the whole directory. */
    public record Delta(int[] moves) {
        public Directory applyTo(Directory d) { return d.with(moves); }
    }
}
