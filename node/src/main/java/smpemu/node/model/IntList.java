package smpemu.node.model;

import java.util.Arrays;

/** A small growable list of ints without boxing, scanned linearly (also used as a set). */
final class IntList {
    private int[] a = new int[4];
    private int n;

    void add(int v) {
        if (n == a.length) a = Arrays.copyOf(a, n * 2);
        a[n++] = v;
    }

    boolean contains(int v) {
        for (int i = 0; i < n; i++) if (a[i] == v) return true;
        return false;
    }

    void remove(int v) {
        for (int i = 0; i < n; i++) {
            if (a[i] == v) {
                a[i] = a[--n];
                return;
            }
        }
    }

    boolean isEmpty() { return n == 0; }

    int size() { return n; }

    int get(int i) { return a[i]; }

    /** In insertion order (deterministic: the model's own event order). */
    int[] toArray() { return Arrays.copyOf(a, n); }

    void clear() { n = 0; }
}
