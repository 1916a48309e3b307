package smpemu.node.engine;

/**
 * An indexed min-heap of CPUs keyed by a time (ties: lower CPU first): the sequential engine's
 * next events, a NodeHost's bounds of its CPUs, so that neither scans every CPU per event or window.
 */
public final class CpuHeap {
    private final int[] heap;
    private final int[] pos;
    private final long[] key;
    /** The walk's stack in {@link #below}: at most one entry per CPU. */
    private final int[] scratch;

    public CpuHeap(int n) {
        heap = new int[n];
        pos = new int[n];
        key = new long[n];
        scratch = new int[n];
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

    public long key(int cpu) { return key[cpu]; }

    /**
     * Writes to {@code out} every CPU whose key is below {@code bound}, in no particular order,
     * and returns how many: a walk of the heap that stops at keys >= bound, so it costs what it finds.
     */
    public int below(long bound, int[] out) {
        int found = 0, top = 0;
        if (heap.length == 0 || key[heap[0]] >= bound) return 0;
        int[] stack = scratch;
        stack[top++] = 0;
        while (top > 0) {
            int i = stack[--top];
            out[found++] = heap[i];
            int l = 2 * i + 1;
            if (l < heap.length && key[heap[l]] < bound) stack[top++] = l;
            if (l + 1 < heap.length && key[heap[l + 1]] < bound) stack[top++] = l + 1;
        }
        return found;
    }

    public void update(int cpu, long time) {
        long old = key[cpu];
        key[cpu] = time;
        if (time < old) up(pos[cpu]); else if (time > old) down(pos[cpu]);
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
