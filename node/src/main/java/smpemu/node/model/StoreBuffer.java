package smpemu.node.model;

/**
 * Other CPUs' stores to the shared TLB state that reached this one and are not applied yet
 * (docs/kernel-model.md#tlb-state), in arrival order: their fields alone, in parallel primitive
 * arrays, appended to and compacted by each pass that applies the ones ordered before an event.
 *
 * <p>Arrival order is as good as time order here. Each store writes only its own CPU's slots of
 * the view (its loaded mm and lazy mode, its mm_cpumask bits; a global ASID only ever turns on),
 * so two CPUs' stores commute; and one CPU's stores arrive in the order it made them, one latency
 * after each (every engine delivers one sender's messages to one receiver in send order, as x86
 * makes one CPU's stores visible in program order). A pass that applies the stores ordered
 * before an event therefore applies a prefix of each sender's, in that sender's order.
 */
final class StoreBuffer {
    /** Where a pass applies a store: the view ({@link TlbState}). */
    interface Sink {
        void seen(int src, int kind, int mm, long value);
    }

    private long[] time = new long[8];
    private long[] key = new long[8];
    /** The store's kind, its mm and its value (0 or 1: lazy), packed ({@link #pack}). */
    private long[] store = new long[8];
    private int size;

    int size() { return size; }

    void add(long t, long orderKey, long packed) {
        if (size == time.length) grow();
        time[size] = t;
        key[size] = orderKey;
        store[size] = packed;
        size++;
    }

    /**
     * Applies to {@code view} every store ordered before an event at ({@code t}, {@code orderKey}),
     * in arrival order, and keeps the others, in theirs.
     */
    void applyBefore(long t, long orderKey, Sink view) {
        int kept = 0;
        for (int i = 0; i < size; i++) {
            long ti = time[i], ki = key[i], si = store[i];
            if (ti < t || ti == t && ki < orderKey) {
                view.seen(EventQueue.srcOf(ki), kind(si), mm(si), value(si));
            } else {
                time[kept] = ti;
                key[kept] = ki;
                store[kept] = si;
                kept++;
            }
        }
        size = kept;
    }

    static long pack(int kind, int mm, long value) { return ((long) mm << 32) | (value << 4) | kind; }

    static int kind(long packed) { return (int) (packed & 0xF); }

    static int mm(long packed) { return (int) (packed >> 32); }

    static long value(long packed) { return (packed >>> 4) & 1; }

    private void grow() {
        int n = 2 * time.length;
        time = java.util.Arrays.copyOf(time, n);
        key = java.util.Arrays.copyOf(key, n);
        store = java.util.Arrays.copyOf(store, n);
    }
}
