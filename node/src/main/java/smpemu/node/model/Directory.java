package smpemu.node.model;

/**
 * Where every task was at the last coordinator instant (immutable). Wake-ups are addressed by
 * it; a CPU a task has left since forwards the wake-up along the task's path.
 */
public final class Directory {
    private final int[] cpuOf;

    public Directory(int[] cpuOf) { this.cpuOf = cpuOf; }

    public int cpuOf(int task) { return cpuOf[task]; }

    public int[] toArray() { return cpuOf.clone(); }

    /** A copy with the given moves (task, cpu pairs) applied. */
    public Directory with(int[] moves) {
        if (moves.length == 0) return this;
        int[] c = cpuOf.clone();
        for (int i = 0; i < moves.length; i += 2) c[moves[i]] = moves[i + 1];
        return new Directory(c);
    }
}
