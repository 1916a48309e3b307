package smpemu.coordinator.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The {@code cyclictest -h N} layout (rt-tests' print_hist): the RT wake-up latency, what
 * cyclictest measures, one column per CPU that had RT wake-ups where cyclictest has one per
 * thread, every 1 us bucket below {@code entries}, then the Total, Min, Avg and Max latency,
 * Overflows and overflow lines. smpemu keeps no cycle numbers, so each overflow line counts its
 * overflows as "others", as cyclictest does past its stored outliers.
 */
final class CyclictestHistogram {
    private CyclictestHistogram() {}

    static String render(RunResult r, HistogramLayout requested) {
        HistogramLayout layout = new HistogramLayout(1000, 1, requested.entries()); // cyclictest: 1 us buckets
        List<RunResult.CpuDistributions> cpus = new ArrayList<>();
        for (RunResult.CpuDistributions c : r.distributions()) if (c.rtWakeups().count() > 0) cpus.add(c);
        List<long[]> columns = new ArrayList<>();
        for (RunResult.CpuDistributions c : cpus) columns.add(layout.counts(c.rtWakeups()));

        StringBuilder b = new StringBuilder();
        b.append("# smpemu RT wake-up latency (cyclictest -h layout), one column per CPU: ")
            .append(cpus.stream().map(c -> "CPU " + c.cpu()).collect(Collectors.joining(", "))).append('\n');
        b.append("# Histogram\n");
        for (int i = 0; i < layout.entries(); i++) {
            b.append(String.format(Locale.ROOT, "%06d ", i));
            for (int j = 0; j < columns.size(); j++) {
                b.append(String.format(Locale.ROOT, "%06d", columns.get(j)[i]));
                if (j < columns.size() - 1) b.append('\t');
            }
            b.append('\n');
        }
        b.append("# Total:");
        for (long[] col : columns) {
            long total = 0;
            for (int i = 0; i < layout.entries(); i++) total += col[i];
            b.append(String.format(Locale.ROOT, " %09d", total));
        }
        line(b, "# Min Latencies:", cpus, c -> layout.inUnit(c.rtWakeups().minNs()));
        line(b, "# Avg Latencies:", cpus, c -> layout.inUnit(c.rtWakeups().avgNs()));
        line(b, "# Max Latencies:", cpus, c -> layout.inUnit(c.rtWakeups().maxNs()));
        b.append("\n# Histogram Overflows:");
        for (long[] col : columns) b.append(String.format(Locale.ROOT, " %05d", col[layout.entries()]));
        b.append("\n# Histogram Overflow at cycle number:\n");
        for (int j = 0; j < columns.size(); j++) {
            long over = columns.get(j)[layout.entries()];
            b.append("# Thread ").append(j).append(':');
            if (over > 0) b.append(String.format(Locale.ROOT, " # %05d others", over));
            b.append('\n');
        }
        b.append('\n');
        return b.toString();
    }

    private static void line(StringBuilder b, String label, List<RunResult.CpuDistributions> cpus,
                             java.util.function.ToLongFunction<RunResult.CpuDistributions> us) {
        b.append('\n').append(label);
        for (RunResult.CpuDistributions c : cpus) b.append(String.format(Locale.ROOT, " %05d", us.applyAsLong(c)));
    }
}
