package smpemu.node.model;

import java.util.Arrays;

/** A growable list of (int key, int value) pairs without boxing; small, scanned linearly. */
final class IntPairs {
    private int[] a = new int[8];
    private int n; // number of ints used (2 per pair)

    void add(int key, int value) {
        if (n + 2 > a.length) a = Arrays.copyOf(a, a.length * 2);
        a[n++] = key;
        a[n++] = value;
    }

    int size() { return n / 2; }

    boolean isEmpty() { return n == 0; }

    int key(int i) { return a[2 * i]; }

    /** The value of the latest pair with this key, or -1. */
    int valueOf(int key) {
        for (int i = n - 2; i >= 0; i -= 2) if (a[i] == key) return a[i + 1];
        return -1;
    }

    void clear() { n = 0; }

    int[] toArray() { return Arrays.copyOf(a, n); }
}
