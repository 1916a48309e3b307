package smpemu.node.engine;

/**
 * An indexed min-heap of CPUs keyed by their next event time (ties: lower CPU first): the
 * sequential engine's CPUs, and a CPU group's members when it runs them in time order.
 */
public final class CpuHeap {
    private final int[] heap;
    private final int[] pos;
    private final long[] key;

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
    public long minTime() { return heap.length == 0 ? Long.MAX_VALUE : key[heap[0]]; }

    /** The earliest key of any CPU but {@code cpu} (which may be the root, with a stale key). */
    public long minTimeExcept(int cpu) {
        if (heap[0] != cpu) return key[heap[0]];
        long m = Long.MAX_VALUE;
        if (heap.length > 1) m = key[heap[1]];
        if (heap.length > 2) m = Math.min(m, key[heap[2]]);
        return m;
    }

    public void update(int cpu, long time) {
        long old = key[cpu];
        key[cpu] = time;
        if (time < old) up(pos[cpu]); else if (time > old) down(pos[cpu]);
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
        for (int i = heap.length / 2 - 1; i >= 0; i--) down(i);
    }

    private boolean less(int a, int b) { return key[a] < key[b] || (key[a] == key[b] && a < b); }

    private void up(int i) {
        int c = heap[i];
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!less(c, heap[p])) break;
            heap[i] = heap[p];
            pos[heap[i]] = i;
            i = p;
        }
        heap[i] = c;
        pos[c] = i;
    }

    private void down(int i) {
        int c = heap[i], n = heap.length;
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) break;
            int r = l + 1;
            int m = (r < n && less(heap[r], heap[l])) ? r : l;
            if (!less(heap[m], c)) break;
            heap[i] = heap[m];
            pos[heap[i]] = i;
            i = m;
        }
        heap[i] = c;
        pos[c] = i;
    }
}
