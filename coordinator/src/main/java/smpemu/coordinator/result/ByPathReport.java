package smpemu.coordinator.result;

import java.util.List;
import java.util.Locale;

/**
 * {@code run --by-path}: every call path that opened a section, longest section first, as
 * bpftrace prints {@code @[kstack] = hist(duration)}: the stack innermost first, then count,
 * total and max, then the power-of-two histogram in bpftrace's hist() layout (text.cpp: bucket
 * label left in 16 columns, count right in 8, a bar of up to 52 '@').
 */
public final class ByPathReport {
    private ByPathReport() {}

    private static final int BAR = 52;

    public static String render(RunResult r) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
            "%nsections by call path (%d paths; bpftrace: @%s_ns[kstack] = hist(ns)), longest first:%n",
            r.paths().size(), r.origin().tracer()));
        for (RunResult.PathStats p : r.paths()) {
            b.append("\n@").append(r.origin().tracer()).append("_ns[\n");
            List<String> path = p.path();
            for (int i = path.size() - 1; i >= 0; i--) b.append("        ").append(path.get(i)).append('\n');
            b.append(String.format(Locale.ROOT, "]: count %s, total %s, max %s%n", Units.grouped(p.count()),
                Units.time(p.totalNs()), Units.time(p.maxNs())));
            hist(b, p.log2());
        }
        return b.toString();
    }

    /** bpftrace's TextOutput::hist() over our buckets: 0 is [0], 1 is [1], k >= 2 is [2^(k-1), 2^k). */
    static void hist(StringBuilder b, long[] log2) {
        int lo = -1, hi = -1;
        long max = 0;
        for (int k = 0; k < log2.length; k++) {
            if (log2[k] == 0) continue;
            if (lo < 0) lo = k;
            hi = k;
            max = Math.max(max, log2[k]);
        }
        for (int k = lo; k >= 0 && k <= hi; k++) {
            String header = k == 0 ? "[0]" : k == 1 ? "[1]" : "[" + label(k - 1) + ", " + label(k) + ")";
            int width = (int) (log2[k] / (float) max * BAR);
            b.append(String.format(Locale.ROOT, "%-16s%8d |%-" + BAR + "s|%n", header, log2[k], "@".repeat(width)));
        }
    }

    /** bpftrace's hist_index_label(): 2^power with a K, M, G, T, P or E suffix per 10 bits. */
    static String label(int power) {
        int decade = power / 10;
        String suffix = decade == 0 ? "" : String.valueOf("KMGTPE".charAt(decade - 1));
        return (1L << (power - 10 * decade)) + suffix;
    }
}
