package smpemu.node.model;

/**
 * Other CPUs' stores to the shared TLB state that reached this one and are not applied yet
 * (docs/kernel-model.md#tlb-state): their fields alone, in parallel primitive arrays, in two
 * parts. New stores are appended to a short list in arrival order; a pass that applies the stores
 * ordered before an event first takes those of a time-ordered heap, then scans the list, applying
 * what is ordered before the event and keeping the rest (stores still in flight). When they fill
 * half the list they move to the heap: every store in the heap came before every one in the list.
 *
 * <p>Each sender's stores are applied in the order it made them, which is all the view needs: a
 * store writes only its sender's slots (its loaded mm and lazy mode, its mm_cpumask bits; a
 * global ASID only ever turns on), so two senders' stores commute. One sender's stores arrive in
 * the order it made them (every engine delivers one sender's messages to one receiver in send
 * order, as x86 makes one CPU's stores visible in program order), and whether a store is ordered
 * before an event is monotone along them. So a sender's stores in the heap, which came first,
 * are applied before its stores in the list, and the list's in arrival order.
 */
final class StoreBuffer {
    /** Where a pass applies a store: the view ({@link TlbState}). */
    interface Sink {
        void seen(int src, int kind, int mm, long value);
    }

    /** The list's length: a delivery that fills it makes the receiver apply a pass. */
    static final int LIST = 64;

    /** Allocated by the first store: most CPUs of a large machine read nobody's TLB state. */
    private long[] listTime, listKey;
    /** The store's kind, its mm and its value (0 or 1: lazy), packed ({@link #pack}). */
    private long[] listStore;
    private int listSize;

    /** A binary min-heap by (time, order key): senders at different latencies arrive out of order. */
    private long[] time = NONE, key = NONE, store = NONE;
    private int size;
    private static final long[] NONE = new long[0];

    int size() { return listSize + size; }

    /** Appends a store; returns whether the list is now full (the caller applies a pass). */
    boolean add(long t, long orderKey, long packed) {
        if (listTime == null) {
            listTime = new long[LIST];
            listKey = new long[LIST];
            listStore = new long[LIST];
        }
        listTime[listSize] = t;
        listKey[listSize] = orderKey;
        listStore[listSize] = packed;
        return ++listSize == LIST;
    }

    /**
     * Applies to {@code view} every store ordered before an event at ({@code t},
     * {@code orderKey}), each sender's in the order it made them; keeps the others. Leaves the
     * list at most half full.
     */
    void applyBefore(long t, long orderKey, Sink view) {
        while (size > 0 && before(time[0], key[0], t, orderKey)) {
            long s = store[0];
            view.seen(EventQueue.srcOf(key[0]), kind(s), mm(s), value(s));
            int last = --size;
            if (last > 0) down(time[last], key[last], store[last], last);
        }
        int kept = 0;
        for (int i = 0; i < listSize; i++) {
            long ti = listTime[i], ki = listKey[i], si = listStore[i];
            if (before(ti, ki, t, orderKey)) {
                view.seen(EventQueue.srcOf(ki), kind(si), mm(si), value(si));
            } else {
                listTime[kept] = ti;
                listKey[kept] = ki;
                listStore[kept] = si;
                kept++;
            }
        }
        // Many stores in flight (a large machine): they go to the heap, so that the list has
        // room and a pass does not scan them again and again.
        if (kept >= LIST / 2) {
            for (int i = 0; i < kept; i++) push(listTime[i], listKey[i], listStore[i]);
            kept = 0;
        }
        listSize = kept;
    }

    static long pack(int kind, int mm, long value) { return ((long) mm << 32) | (value << 4) | kind; }

    static int kind(long packed) { return (int) (packed & 0xF); }

    static int mm(long packed) { return (int) (packed >> 32); }

    static long value(long packed) { return (packed >>> 4) & 1; }

    private static boolean before(long ta, long ka, long tb, long kb) { return ta < tb || ta == tb && ka < kb; }

    private void push(long t, long k, long s) {
        if (size == time.length) grow();
        int i = size++;
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(t, k, time[p], key[p])) break;
            set(i, time[p], key[p], store[p]);
            i = p;
        }
        set(i, t, k, s);
    }

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
        int n = Math.max(8, 2 * time.length);
        time = java.util.Arrays.copyOf(time, n);
        key = java.util.Arrays.copyOf(key, n);
        store = java.util.Arrays.copyOf(store, n);
    }
}
