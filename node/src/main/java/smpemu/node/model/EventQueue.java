package smpemu.node.model;

import java.util.Arrays;

/**
 * A CPU's pending events on a primitive binary heap, ordered by (time, event class, source CPU,
 * source sequence). Events live in slots of parallel arrays; the heap holds slot numbers and
 * each slot knows its heap position, so an event can be cancelled in O(log n) without boxing.
 */
public final class EventQueue {
    private static final int SRC_SHIFT = 36;
    private static final long SEQ_MASK = (1L << SRC_SHIFT) - 1;

    private long[] time;
    private long[] key;
    private int[] task;
    private int[] arg;
    private Object[] payload;
    private int[] pos;          // slot -> heap index, -1 when free
    private int[] heap;         // heap index -> slot
    private int size;
    private int[] free;
    private int freeCount;
    /** The earliest event's time and order key, kept at hand: every step of an engine reads them. */
    private long topTime = Long.MAX_VALUE;
    private long topKey;

    public EventQueue(int capacity) {
        int c = Math.max(4, capacity);
        time = new long[c];
        key = new long[c];
        task = new int[c];
        arg = new int[c];
        payload = new Object[c];
        pos = new int[c];
        heap = new int[c];
        free = new int[c];
        for (int i = 0; i < c; i++) {
            free[i] = c - 1 - i;
            pos[i] = -1;
        }
        freeCount = c;
    }

    /** Orders same-time events: class first, then source CPU, then that source's sequence. */
    public static long orderKey(int eventClass, int src, long seq) {
        return ((long) eventClass << 56) | ((long) src << SRC_SHIFT) | (seq & SEQ_MASK);
    }

    /** The source CPU in an order key. */
    public static int srcOf(long orderKey) { return (int) ((orderKey >>> SRC_SHIFT) & ((1 << (56 - SRC_SHIFT)) - 1)); }

    /** Files an event; returns its slot (valid until it is polled or cancelled). */
    public int add(long t, long orderKey, int taskId, int a, Object p) {
        if (freeCount == 0) grow();
        int s = free[--freeCount];
        time[s] = t;
        key[s] = orderKey;
        task[s] = taskId;
        arg[s] = a;
        payload[s] = p;
        heap[size] = s;
        pos[s] = size;
        siftUp(size++);
        noteTop();
        return s;
    }

    public boolean isEmpty() { return size == 0; }

    public int size() { return size; }

    /** Time of the earliest event, or Long.MAX_VALUE when empty. */
    public long peekTime() { return topTime; }

    public long peekKey() { return topKey; }

    /** Slot of the earliest event (the queue must not be empty). */
    public int peekSlot() { return heap[0]; }

    public long time(int slot) { return time[slot]; }

    public int eventClass(int slot) { return (int) (key[slot] >>> 56); }

    public int task(int slot) { return task[slot]; }

    public int arg(int slot) { return arg[slot]; }

    public Object payload(int slot) { return payload[slot]; }

    /** Removes the event in {@code slot} (the earliest or any other) and frees the slot. */
    public void remove(int slot) {
        int i = pos[slot];
        int last = heap[--size];
        if (i != size) {
            heap[i] = last;
            pos[last] = i;
            siftDown(i);
            siftUp(pos[last]);
        }
        pos[slot] = -1;
        payload[slot] = null;
        free[freeCount++] = slot;
        noteTop();
    }

    private void noteTop() {
        if (size == 0) {
            topTime = Long.MAX_VALUE;
        } else {
            topTime = time[heap[0]];
            topKey = key[heap[0]];
        }
    }

    /** Slot at heap position {@code i} (0 <= i < size): lets callers scan every pending event. */
    public int slotAt(int i) { return heap[i]; }

    private boolean less(int a, int b) {
        long ta = time[a], tb = time[b];
        return ta < tb || (ta == tb && key[a] < key[b]);
    }

    private void siftUp(int i) {
        int s = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int ps = heap[parent];
            if (!less(s, ps)) break;
            heap[i] = ps;
            pos[ps] = i;
            i = parent;
        }
        heap[i] = s;
        pos[s] = i;
    }

    private void siftDown(int i) {
        int s = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            int cs = heap[c];
            int r = c + 1;
            if (r < size && less(heap[r], cs)) {
                c = r;
                cs = heap[r];
            }
            if (!less(cs, s)) break;
            heap[i] = cs;
            pos[cs] = i;
            i = c;
        }
        heap[i] = s;
        pos[s] = i;
    }

    private void grow() {
        int old = time.length, c = old * 2;
        time = Arrays.copyOf(time, c);
        key = Arrays.copyOf(key, c);
        task = Arrays.copyOf(task, c);
        arg = Arrays.copyOf(arg, c);
        payload = Arrays.copyOf(payload, c);
        heap = Arrays.copyOf(heap, c);
        pos = Arrays.copyOf(pos, c);
        Arrays.fill(pos, old, c, -1);
        free = Arrays.copyOf(free, c);
        for (int i = old; i < c; i++) free[freeCount++] = i;
    }
}
