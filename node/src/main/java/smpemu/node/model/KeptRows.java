package smpemu.node.model;

/**
 * The longest few rows of a record, kept in a flat {@code long[]} of rows {@code width} longs
 * wide, sorted by their first long (the key), largest first, earlier rows first on ties: a
 * bounded record with no per-row object, so it crosses the wire as a plain array.
 */
final class KeptRows {
    private KeptRows() {}

    /**
     * Makes room for a row keyed {@code key} among the {@code count} rows in use (a full array
     * drops its last row) and returns the offset the caller writes it at, or -1 when it is not
     * kept. The caller counts the row when the array was not full.
     */
    static int insertAt(long[] rows, int count, int width, long key) {
        int cap = rows.length / width;
        if (cap == 0) return -1;
        if (count == cap && key <= rows[(cap - 1) * width]) return -1;
        int last = Math.min(count, cap - 1);
        int i = last;
        while (i > 0 && rows[(i - 1) * width] < key) i--;
        System.arraycopy(rows, i * width, rows, (i + 1) * width, (last - i) * width);
        return i * width;
    }
}
