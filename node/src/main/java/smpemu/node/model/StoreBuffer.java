package smpemu.node.model;

/**
 * Other CPUs' stores to the shared TLB state that reached this one and are not applied yet, in
 * (time, order key) order (docs/kernel-model.md#tlb-state): a binary min-heap of their fields
 * alone, in parallel primitive arrays. Never cancelled, only taken from the front, so it needs
 * none of an event queue's slots. Senders at different latencies make arrivals out of order, by
 * thousands at 4,096 CPUs: a sift is O(log n) however late one comes.
 */
final class StoreBuffer {
    private long[] time = new long[8];
    private long[] key = new long[8];
    /** The store's kind, its mm and its value (0 or 1: lazy), packed ({@link #pack}). */
    private long[] store = new long[8];
    private int size;

    boolean isEmpty() { return size == 0; }

    /** Whether the earliest store is ordered before an event at ({@code t}, {@code orderKey}). */
    boolean firstBefore(long t, long orderKey) {
        return size > 0 && before(time[0], key[0], t, orderKey);
    }

    long firstKey() { return key[0]; }

    long firstStore() { return store[0]; }

    void removeFirst() {
        int last = --size;
        if (last > 0) down(time[last], key[last], store[last], last);
    }

    void add(long t, long orderKey, long packed) {
        if (size == time.length) grow();
        int i = size++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(t, orderKey, time[p], key[p])) break;
            set(i, time[p], key[p], store[p]);
            i = p;
        }
        set(i, t, orderKey, packed);
    }

    static long pack(int kind, int mm, long value) { return ((long) mm << 32) | (value << 4) | kind; }

    static int kind(long packed) { return (int) (packed & 0xF); }

    static int mm(long packed) { return (int) (packed >> 32); }

    static long value(long packed) { return (packed >>> 4) & 1; }

    private static boolean before(long ta, long ka, long tb, long kb) { return ta < tb || ta == tb && ka < kb; }

    /** Puts (t, k, s) in the hole at the root, among the first {@code n} entries. */
    private void down(long t, long k, long s, int n) {
        int i = 0;
        while (true) {
            int c = 2 * i + 1;
            if (c >= n) break;
            if (c + 1 < n && before(time[c + 1], key[c + 1], time[c], key[c])) c++;
            if (!before(time[c], key[c], t, k)) break;
            set(i, time[c], key[c], store[c]);
            i = c;
        }
        set(i, t, k, s);
    }

    private void set(int i, long t, long k, long s) {
        time[i] = t;
        key[i] = k;
        store[i] = s;
    }

    private void grow() {
        int n = 2 * time.length;
        time = java.util.Arrays.copyOf(time, n);
        key = java.util.Arrays.copyOf(key, n);
        store = java.util.Arrays.copyOf(store, n);
    }
}
