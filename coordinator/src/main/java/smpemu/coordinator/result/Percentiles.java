package smpemu.coordinator.result;

import java.util.Arrays;

/** Nearest-rank percentiles: the value at rank ceil(p/100 * n) of the ascending list. */
public final class Percentiles {
    private Percentiles() {}

    public static long nearestRank(long[] values, double p) {
        if (values.length == 0) return 0;
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, Math.min(rank, sorted.length)) - 1];
    }
}
