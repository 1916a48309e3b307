package smpemu.node.engine;

/**
 * The CPUs of an in-order loop ({@link EarliestFirst}) by their next event time, ties to the
 * lower CPU: the earliest, and the earliest of the others.
 *
 * <p>A tournament (winner) tree: the CPUs are leaves in CPU order, each inner node holds the
 * earlier of its two children, so the root is the earliest CPU. An update replays one
 * leaf-to-root path, one comparison per level, and stops where a node's winner is unchanged; the
 * earliest of the others is the best sibling on the root's path, kept until an update moves it.
 */
public final class CpuOrder {
    /** Leaves from {@code leaves}; padding leaves hold MAX_VALUE and lose every tie to real CPUs. */
    private final int leaves;
    private final long[] time;
    private final int[] winner;
    /** The earliest key of all CPUs but the root's winner; valid while {@code othersOf} is it. */
    private long others;
    private int othersOf = -1;

    public CpuOrder(int n) {
        int m = 1;
        while (m < n) m <<= 1;
        leaves = m;
        time = new long[2 * m];
        winner = new int[2 * m];
        java.util.Arrays.fill(time, Long.MAX_VALUE);
        for (int i = 0; i < m; i++) winner[m + i] = i;
        for (int i = m - 1; i >= 1; i--) winner[i] = winner[2 * i];
    }

    /** The earliest CPU. */
    public int min() { return winner[1]; }

    /** The earliest key; MAX_VALUE without CPUs. */
    public long minTime() { return time[1]; }

    /** The earliest key of any CPU but {@code cpu}. */
    public long minTimeExcept(int cpu) {
        int root = winner[1];
        if (cpu != root) return time[1];
        if (othersOf != root) {
            long m = Long.MAX_VALUE;
            for (int i = leaves + cpu; i > 1; i >>>= 1) m = Math.min(m, time[i ^ 1]);
            others = m;
            othersOf = root;
        }
        return others;
    }

    /** Sets {@code cpu}'s key. */
    public void update(int cpu, long t) {
        int i = leaves + cpu;
        long old = time[i];
        if (t == old) return;
        time[i] = t;
        if (othersOf >= 0 && cpu != othersOf) {
            // Another CPU's key: the cached minimum of the others holds if it fell, or if it rose
            // from above the minimum (it was not the one that made it).
            if (t < others) others = t;
            else if (old <= others) othersOf = -1;
        }
        for (i >>>= 1; i >= 1; i >>>= 1) {
            if (!play(i)) return; // the rest of the path stays as it was
        }
        if (winner[1] != othersOf) othersOf = -1;
    }

    /** Sets every CPU's key at once ({@code keys[cpu]}): one pass over the inner nodes. */
    public void rebuild(long[] keys) {
        System.arraycopy(keys, 0, time, leaves, keys.length);
        for (int i = leaves - 1; i >= 1; i--) play(i);
        othersOf = -1;
    }

    /** Inner node {@code i} takes the earlier of its children (a tie goes left, to the lower CPUs); false if it held it already. */
    private boolean play(int i) {
        int l = 2 * i, r = l + 1;
        int w = time[r] < time[l] ? r : l;
        long wt = time[w];
        int wc = winner[w];
        if (wt == time[i] && wc == winner[i]) return false;
        time[i] = wt;
        winner[i] = wc;
        return true;
    }
}
