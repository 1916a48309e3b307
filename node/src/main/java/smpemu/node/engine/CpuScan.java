package smpemu.node.engine;

/**
 * A few CPUs in time order by a scan: the earliest CPU and the earliest key of the others are
 * found in one pass and kept while updates allow (a key that falls is compared with them; a key
 * that rises past them makes the next query scan again). In-order runs of one CPU at a time need
 * one pass per run.
 */
public final class CpuScan implements CpuOrder {
    private final long[] key;
    /** The earliest CPU (-1: not known, scan first) and the earliest key of all the others. */
    private int first = -1;
    private long others = Long.MAX_VALUE;

    public CpuScan(int n) {
        key = new long[n];
        java.util.Arrays.fill(key, Long.MAX_VALUE);
    }

    public int min() {
        if (first < 0) scan();
        return first;
    }

    public long minTime() { return key.length == 0 ? Long.MAX_VALUE : key[min()]; }

    public long minTimeExcept(int cpu) {
        if (first < 0) scan();
        if (cpu == first) return others;
        return key[first];
    }

    public void update(int cpu, long time) {
        long old = key[cpu];
        key[cpu] = time;
        if (first < 0) return;
        if (cpu == first) {
            // The first's own key moved: still first if before all the others (a tie: scan).
            if (time >= others) first = -1;
        } else if (time < old) {
            long f = key[first];
            if (time < f || time == f && cpu < first) {
                others = f;
                first = cpu;
            } else {
                others = Math.min(others, time);
            }
        } else if (time > old && old <= others) {
            first = -1; // it may have been the second earliest
        }
    }

    public void rebuild(long[] keys) {
        System.arraycopy(keys, 0, key, 0, key.length);
        first = -1;
    }

    /** One pass: the earliest (the lowest CPU of a tie) and the smallest key besides it. */
    private void scan() {
        if (key.length == 0) return;
        int f = 0;
        long m1 = key[0], m2 = Long.MAX_VALUE;
        for (int i = 1; i < key.length; i++) {
            long k = key[i];
            m2 = Math.min(m2, Math.max(m1, k));
            if (k < m1) {
                m1 = k;
                f = i;
            }
        }
        first = f;
        others = m2;
    }
}
