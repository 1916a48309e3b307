package smpemu.coordinator.result;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Number formatting shared by the text reports (run, compare, bench). */
public final class Units {
    private Units() {}

    /** A simulated time with a human unit: 850ns, 12.3us, 4.56ms, 1.20s. */
    public static String time(long ns) {
        if (ns < 1_000) return ns + "ns";
        if (ns < 1_000_000) return scaled(ns / 1e3, "us");
        if (ns < 1_000_000_000) return scaled(ns / 1e6, "ms");
        return scaled(ns / 1e9, "s");
    }

    /** Exact nanoseconds with thousands separators: {@code 16,723,307 ns}. */
    public static String ns(long ns) {
        return grouped(ns) + " ns";
    }

    /** Exact nanoseconds and the human unit: {@code 16,723,307 ns (16.7ms)}; below 1 us just {@code 850 ns}. */
    public static String nsAndTime(long ns) {
        return ns < 1_000 ? ns(ns) : ns(ns) + " (" + time(ns) + ")";
    }

    /** An integer with thousands separators: 1,234,567. */
    public static String grouped(long v) {
        return String.format(Locale.ROOT, "%,d", v);
    }

    /** Three significant digits: 1.23, 12.3, 123. */
    private static String scaled(double v, String unit) {
        String f = v < 10 ? "%.2f%s" : v < 100 ? "%.1f%s" : "%.0f%s";
        return String.format(Locale.ROOT, f, v, unit);
    }

    /** A large count with a suffix: 950, 12.3k, 4.56M. */
    public static String count(double v) {
        if (v < 1e3) return String.format(Locale.ROOT, "%.0f", v);
        if (v < 1e6) return scaled(v / 1e3, "k");
        if (v < 1e9) return scaled(v / 1e6, "M");
        return scaled(v / 1e9, "G");
    }

    public static long mib(long bytes) { return bytes >> 20; }

    /** The kernel's CPU list notation: 4-7,12. */
    public static String cpuList(java.util.BitSet cpus) {
        StringBuilder b = new StringBuilder();
        for (int lo = cpus.nextSetBit(0); lo >= 0; lo = cpus.nextSetBit(lo)) {
            int hi = cpus.nextClearBit(lo) - 1;
            if (b.length() > 0) b.append(',');
            b.append(lo == hi ? Integer.toString(lo) : lo + "-" + hi);
            lo = hi + 1;
        }
        return b.toString();
    }

    public static String cpuList(int[] cpus) {
        java.util.BitSet set = new java.util.BitSet();
        for (int c : cpus) set.set(c);
        return cpuList(set);
    }

    /** Applied patches as a comma-separated list, or {@code none}. */
    public static String patchList(int[] p) {
        return p.length == 0 ? "none" : Arrays.stream(p).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /** The kernel configuration behind the figures: {@code preempt full, HZ 250, tracer preemptoff, series v6}. */
    public static String kernelConfig(RunResult.Origin o) {
        return "preempt " + o.preemption() + ", HZ " + o.hz() + ", tracer " + o.tracer() + ", series " + o.series();
    }

    /** Windows a run spans: the last one may be partial. */
    public static long windows(RunResult r) { return windows(r.simDurationNs(), r.windowNs()); }

    public static long windows(long durationNs, long windowNs) { return (durationNs + windowNs - 1) / windowNs; }

    /** The engine line of a text report: wall-clock figures, never part of the digest. */
    public static String engineLine(RunResult.EngineFigures e) {
        return String.format(Locale.ROOT, "%d events, %d windows, %d ms wall, %s events/s, peak heap %d MiB",
            e.events(), e.windows(), e.wallMs(), count(e.eventsPerSec()), mib(e.peakHeapBytes()));
    }
}
