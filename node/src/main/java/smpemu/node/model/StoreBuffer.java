package smpemu.node.model;

/**
 * Other CPUs' stores to the shared TLB state that reached this one and are not applied yet, in
 * (time, order key) order (docs/kernel-model.md#tlb-state). They come almost in order (every
 * sender's in its own order, one transfer latency late), so a ring kept sorted by insertion from
 * its tail costs one comparison per store where a heap would sift; a store keeps only its fields.
 */
final class StoreBuffer {
    private long[] time = new long[8];
    private long[] key = new long[8];
    /** The store's kind, its mm and its value (0 or 1: lazy), packed ({@link #pack}). */
    private long[] store = new long[8];
    private int head;
    private int size;

    boolean isEmpty() { return size == 0; }

    /** Whether the earliest store is ordered before an event at ({@code t}, {@code orderKey}). */
    boolean firstBefore(long t, long orderKey) {
        if (size == 0) return false;
        long st = time[head];
        return st < t || st == t && key[head] < orderKey;
    }

    long firstKey() { return key[head]; }

    long firstStore() { return store[head]; }

    void removeFirst() {
        head = (head + 1) & (time.length - 1);
        size--;
    }

    void add(long t, long orderKey, long packed) {
        if (size == time.length) grow();
        int mask = time.length - 1;
        int i = size++;
        // Shift the later ones up by one, from the tail: usually none.
        while (i > 0) {
            int prev = (head + i - 1) & mask;
            if (time[prev] < t || time[prev] == t && key[prev] < orderKey) break;
            int at = (head + i) & mask;
            time[at] = time[prev];
            key[at] = key[prev];
            store[at] = store[prev];
            i--;
        }
        int at = (head + i) & mask;
        time[at] = t;
        key[at] = orderKey;
        store[at] = packed;
    }

    static long pack(int kind, int mm, long value) { return ((long) mm << 32) | (value << 4) | kind; }

    static int kind(long packed) { return (int) (packed & 0xF); }

    static int mm(long packed) { return (int) (packed >> 32); }

    static long value(long packed) { return (packed >>> 4) & 1; }

    private void grow() {
        int n = time.length;
        long[] t = new long[2 * n], k = new long[2 * n], s = new long[2 * n];
        for (int i = 0; i < size; i++) {
            int from = (head + i) & (n - 1);
            t[i] = time[from];
            k[i] = key[from];
            s[i] = store[from];
        }
        time = t;
        key = k;
        store = s;
        head = 0;
    }
}
