package smpemu.node.engine;

/**
 * An indexed min-heap of CPUs keyed by their next event time (ties: lower CPU first): the
 * in-order loop's order above 16 CPUs ({@link CpuOrder#of}).
 */
public final class CpuHeap implements CpuOrder {
    /** Heap position -> CPU, and that CPU's key: a sift reads the keys it compares side by side. */
    private final int[] heap;
    private final long[] key;
    /** CPU -> heap position. */
    private final int[] pos;

    public CpuHeap(int n) {
        heap = new int[n];
        pos = new int[n];
        key = new long[n];
        for (int i = 0; i < n; i++) {
            heap[i] = i;
            pos[i] = i;
            key[i] = Long.MAX_VALUE;
        }
    }

    public int min() { return heap[0]; }

    /** The earliest key; MAX_VALUE without CPUs. */
    public long minTime() { return heap.length == 0 ? Long.MAX_VALUE : key[0]; }

    /** The earliest key of any CPU but {@code cpu} (which may be the root, with a stale key). */
    public long minTimeExcept(int cpu) {
        if (heap[0] != cpu) return key[0];
        long m = Long.MAX_VALUE;
        if (heap.length > 1) m = key[1];
        if (heap.length > 2) m = Math.min(m, key[2]);
        return m;
    }

    public void update(int cpu, long time) {
        int i = pos[cpu];
        long old = key[i];
        if (time < old) up(i, cpu, time); else if (time > old) down(i, cpu, time);
    }

    /**
     * Sets every CPU's key at once ({@code keys[cpu]}) and restores the heap in O(n), with
     * sequential access: cheaper than n updates when most keys changed.
     */
    public void rebuild(long[] keys) {
        System.arraycopy(keys, 0, key, 0, key.length);
        for (int i = 0; i < heap.length; i++) {
            heap[i] = i;
            pos[i] = i;
        }
        for (int i = heap.length / 2 - 1; i >= 0; i--) down(i, heap[i], key[i]);
    }

    /** Whether (ka, CPU a) comes before (kb, CPU b): ties go to the lower CPU. */
    private static boolean before(long ka, int a, long kb, int b) { return ka < kb || ka == kb && a < b; }

    private void up(int i, int c, long k) {
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(k, c, key[p], heap[p])) break;
            move(p, i);
            i = p;
        }
        put(i, c, k);
    }

    private void down(int i, int c, long k) {
        int n = heap.length;
        while (true) {
            int m = 2 * i + 1;
            if (m >= n) break;
            int r = m + 1;
            if (r < n && before(key[r], heap[r], key[m], heap[m])) m = r;
            if (!before(key[m], heap[m], k, c)) break;
            move(m, i);
            i = m;
        }
        put(i, c, k);
    }

    private void move(int from, int to) {
        heap[to] = heap[from];
        key[to] = key[from];
        pos[heap[to]] = to;
    }

    private void put(int i, int c, long k) {
        heap[i] = c;
        key[i] = k;
        pos[c] = i;
    }
}
