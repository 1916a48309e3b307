package smpemu.coordinator.result;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Power-of-two buckets of nanoseconds, as bpftrace's hist() draws them: bucket 0 is [0, 1),
 * bucket k >= 1 is [2^(k-1), 2^k). Exact from a 3-digit HdrHistogram: its sub-buckets have width
 * 1 below 2048 and are aligned powers of two above, so none straddles a bound.
 */
final class Log2Buckets {
    private Log2Buckets() {}

    static final int COUNT = 65;

    static long[] counts(RunResult.Distribution d) {
        long[] c = new long[COUNT];
        AbstractHistogram h = d.histogram();
        if (h == null) return c;
        for (HistogramIterationValue v : h.recordedValues()) {
            c[index(h.lowestEquivalentValue(v.getValueIteratedTo()))] += v.getCountAtValueIteratedTo();
        }
        return c;
    }

    static int index(long ns) { return 64 - Long.numberOfLeadingZeros(ns); }

    static long from(int k) { return k == 0 ? 0 : 1L << (k - 1); }

    /** Exclusive upper bound. */
    static long to(int k) { return k == 0 ? 1 : k == 64 ? Long.MAX_VALUE : 1L << k; }
}
