package smpemu.node.model;

import java.util.Arrays;

/**
 * Other CPUs' TLB-state stores that have reached this CPU but are not yet applied to its view
 * ({@link TlbState}), in (time, order key) order. A store only writes the view, so it need not
 * be an event of its own: before each event the CPU applies the stores ordered before it, and
 * the event reads exactly the view it would have read had each store been processed as an
 * event at its own time (docs/kernel-model.md#tlb-state). In dpdk-16 they are 97% of the
 * messages: as events they cost a queue insertion and removal each.
 */
final class StoreBuffer {
    /** Where a store is applied (the CPU's view). */
    interface Sink {
        void seen(int src, int kind, int mm, long value);
    }

    private long[] time = new long[8];
    private long[] key = new long[8];
    private int[] src = new int[8];
    private int[] kind = new int[8];
    private int[] mm = new int[8];
    private long[] value = new long[8];
    private int head, size;

    void add(long t, long k, int from, int what, int ofMm, long v) {
        if (head > 0 && size == time.length) compact();
        if (size == time.length) grow();
        int i = size++;
        // Stores mostly come in order: insertion from the end is a step or two.
        while (i > head && (time[i - 1] > t || time[i - 1] == t && key[i - 1] > k)) {
            move(i - 1, i);
            i--;
        }
        time[i] = t;
        key[i] = k;
        src[i] = from;
        kind[i] = what;
        mm[i] = ofMm;
        value[i] = v;
    }

    /** Applies to {@code view}, in order, every store ordered before an event at (t, k). */
    void applyBefore(long t, long k, Sink view) {
        while (head < size && (time[head] < t || time[head] == t && key[head] < k)) {
            view.seen(src[head], kind[head], mm[head], value[head]);
            head++;
        }
        if (head == size) head = size = 0;
    }

    private void move(int from, int to) {
        time[to] = time[from];
        key[to] = key[from];
        src[to] = src[from];
        kind[to] = kind[from];
        mm[to] = mm[from];
        value[to] = value[from];
    }

    private void compact() {
        int n = size - head;
        for (int i = 0; i < n; i++) move(head + i, i);
        head = 0;
        size = n;
    }

    private void grow() {
        int c = time.length * 2;
        time = Arrays.copyOf(time, c);
        key = Arrays.copyOf(key, c);
        src = Arrays.copyOf(src, c);
        kind = Arrays.copyOf(kind, c);
        mm = Arrays.copyOf(mm, c);
        value = Arrays.copyOf(value, c);
    }
}
