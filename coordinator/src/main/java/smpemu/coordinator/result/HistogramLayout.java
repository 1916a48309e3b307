package smpemu.coordinator.result;

import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Linear buckets as rtla and cyclictest print them: bucket i holds the values v (in the unit)
 * with {@code v / bucketSize == i}, for i below {@code entries}; {@code counts[entries]} is the
 * overflow. Values come from the 3-significant-digit distribution: a value is placed by the
 * highest value of its HdrHistogram sub-bucket, kept within the exact minimum and maximum, so
 * counts are exact below 2048 ns and within 0.1% of the value above, and no row lies beyond the
 * min: and max: footers.
 */
public record HistogramLayout(long unitNs, long bucketSize, int entries) {
    public HistogramLayout {
        if (unitNs != 1 && unitNs != 1000) throw new IllegalArgumentException("unit is ns or us, got " + unitNs + " ns");
        if (bucketSize < 1 || entries < 1) throw new IllegalArgumentException("bucket size and entries must be >= 1");
    }

    public String unitName() { return unitNs == 1 ? "ns" : "us"; }

    public String unitWord() { return unitNs == 1 ? "nanoseconds" : "microseconds"; }

    public long[] counts(RunResult.Distribution d) {
        long[] c = new long[entries + 1];
        AbstractHistogram h = d.histogram();
        if (h == null) return c;
        for (HistogramIterationValue v : h.recordedValues()) {
            long ns = Math.max(d.minNs(), Math.min(d.maxNs(), h.highestEquivalentValue(v.getValueIteratedTo())));
            long bucket = ns / unitNs / bucketSize;
            c[bucket < entries ? (int) bucket : entries] += v.getCountAtValueIteratedTo();
        }
        return c;
    }

    /** A nanosecond figure in the unit, truncated as rtla truncates. */
    public long inUnit(long ns) { return ns / unitNs; }
}
