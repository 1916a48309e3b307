package smpemu.coordinator.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code rtla timerlat hist} layout (tools/tracing/rtla/src/timerlat_hist.c): an Index
 * column, per CPU two columns where rtla has IRQ and Thr — {@code Off-NNN}, the CPU's
 * sections (in the run's tracer's view), and {@code Wak-NNN}, its RT wake-up latencies — rows without any
 * count left out, then the over:, count:, min:, avg: and max: rows and the ALL: block over all
 * CPUs. CPUs with neither are left out, as rtla leaves out idle CPUs.
 */
final class RtlaHistogram {
    private RtlaHistogram() {}

    static String render(RunResult r, HistogramLayout layout) {
        List<RunResult.CpuDistributions> cpus = new ArrayList<>();
        for (RunResult.CpuDistributions c : r.distributions()) {
            if (c.sections().count() > 0 || c.rtWakeups().count() > 0) cpus.add(c);
        }
        List<long[]> columns = new ArrayList<>();
        List<RunResult.Distribution> dists = new ArrayList<>();
        for (RunResult.CpuDistributions c : cpus) {
            for (RunResult.Distribution d : List.of(c.sections(), c.rtWakeups())) {
                dists.add(d);
                columns.add(layout.counts(d));
            }
        }
        StringBuilder b = new StringBuilder();
        b.append("# smpemu histogram of ").append(r.origin().tracer()).append(" sections and RT wake-up latency (rtla timerlat hist layout)\n");
        b.append("# Time unit is ").append(layout.unitWord()).append(" (").append(layout.unitName()).append(")\n");
        b.append("# Duration: ").append(duration(r.simDurationNs())).append('\n');
        b.append("# Off-NNN: ").append(r.origin().tracer()).append(" sections on CPU NNN; Wak-NNN: RT wake-up latency on CPU NNN\n");
        b.append("Index");
        for (RunResult.CpuDistributions c : cpus) b.append(String.format(Locale.ROOT, "   Off-%03d   Wak-%03d", c.cpu(), c.cpu()));
        b.append('\n');
        for (int bucket = 0; bucket < layout.entries(); bucket++) {
            long total = 0;
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-6d", bucket * layout.bucketSize()));
            for (long[] col : columns) {
                total += col[bucket];
                row.append(String.format(Locale.ROOT, "%9d ", col[bucket]));
            }
            if (total > 0) b.append(row).append('\n');
        }
        b.append("over: ");
        for (long[] col : columns) b.append(String.format(Locale.ROOT, "%9d ", col[layout.entries()]));
        b.append('\n');
        summary(b, dists, layout);
        all(b, cpus, layout);
        return b.toString();
    }

    private static void summary(StringBuilder b, List<RunResult.Distribution> dists, HistogramLayout layout) {
        b.append("count:");
        for (RunResult.Distribution d : dists) b.append(String.format(Locale.ROOT, "%9d ", d.count()));
        b.append("\nmin:  ");
        for (RunResult.Distribution d : dists) b.append(value(d, layout, d.minNs()));
        b.append("\navg:  ");
        for (RunResult.Distribution d : dists) b.append(value(d, layout, d.avgNs()));
        b.append("\nmax:  ");
        for (RunResult.Distribution d : dists) b.append(value(d, layout, d.maxNs()));
        b.append('\n');
    }

    /** rtla's ALL: block: the two kinds over every CPU shown. */
    private static void all(StringBuilder b, List<RunResult.CpuDistributions> cpus, HistogramLayout layout) {
        RunResult.Distribution off = merged(cpus, true), wak = merged(cpus, false);
        b.append("ALL:        Off       Wak\n");
        summary(b, List.of(off, wak), layout);
    }

    private static RunResult.Distribution merged(List<RunResult.CpuDistributions> cpus, boolean sections) {
        long count = 0, min = Long.MAX_VALUE, sum = 0, max = 0;
        for (RunResult.CpuDistributions c : cpus) {
            RunResult.Distribution d = sections ? c.sections() : c.rtWakeups();
            if (d.count() == 0) continue;
            count += d.count();
            min = Math.min(min, d.minNs());
            sum += d.sumNs();
            max = Math.max(max, d.maxNs());
        }
        return count == 0 ? RunResult.Distribution.EMPTY : new RunResult.Distribution(count, min, sum, max, null);
    }

    /** format_summary_value(): the figure, or '-' when the column counted nothing. */
    private static String value(RunResult.Distribution d, HistogramLayout layout, long ns) {
        return d.count() == 0 ? String.format(Locale.ROOT, "%9c ", '-') : String.format(Locale.ROOT, "%9d ", layout.inUnit(ns));
    }

    /** rtla's get_duration(): days, then hh:mm:ss, of the simulated time. */
    static String duration(long ns) {
        long s = ns / 1_000_000_000L;
        return String.format(Locale.ROOT, "%3d %02d:%02d:%02d", s / 86_400, s / 3600 % 24, s / 60 % 60, s % 60);
    }
}
