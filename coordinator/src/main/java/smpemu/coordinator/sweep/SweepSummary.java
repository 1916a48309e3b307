package smpemu.coordinator.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import smpemu.coordinator.result.Units;

/**
 * summary.txt: per parameter combination and kernel, the worst CPU's preempt-off p99 over the
 * seeds (mean, min, max) and, when the sweep has several kernels, the reduction of the mean
 * against the first kernel at the same parameters (the compare report's reduction_pct).
 */
final class SweepSummary {
    private SweepSummary() {}

    static String render(List<JsonNode> done) {
        Map<String, List<Long>> byGroup = new LinkedHashMap<>();
        Map<String, String[]> labels = new LinkedHashMap<>();
        Map<String, String> firstKernelOf = new LinkedHashMap<>();
        for (JsonNode n : done) {
            String params = params(n), kernel = SweepFiles.kernelName(n);
            String group = params + "\u0000" + kernel;
            byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(n.get("result").get("summary").get("preemptoff_p99_ns").asLong());
            labels.putIfAbsent(group, new String[] {params, kernel});
            firstKernelOf.putIfAbsent(params, kernel);
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"parameters", "kernel", "seeds", "p99 mean (ns)", "min", "max", "reduction"});
        for (Map.Entry<String, List<Long>> e : byGroup.entrySet()) {
            String[] l = labels.get(e.getKey());
            double mean = mean(e.getValue());
            String first = firstKernelOf.get(l[0]);
            String red = "";
            if (!first.equals(l[1])) {
                double base = mean(byGroup.get(l[0] + "\u0000" + first));
                red = base == 0 ? "-" : String.format(Locale.ROOT, "%.1f%% vs %s", 100.0 * (1.0 - mean / base), first);
            }
            rows.add(new String[] {l[0].isEmpty() ? "-" : l[0], l[1], Integer.toString(e.getValue().size()),
                Units.grouped(Math.round(mean)), Units.grouped(e.getValue().stream().mapToLong(Long::longValue).min().orElse(0)),
                Units.grouped(e.getValue().stream().mapToLong(Long::longValue).max().orElse(0)), red});
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nworst-CPU preempt-off p99 per parameters and kernel, over seeds%n"));
        int[] w = new int[rows.get(0).length];
        for (String[] r : rows) for (int i = 0; i < r.length; i++) w[i] = Math.max(w[i], r[i].length());
        for (String[] r : rows) {
            b.append(' ');
            for (int i = 0; i < r.length; i++) {
                boolean right = i >= 2 && i <= 5;
                b.append(' ').append(right ? pad(r[i], w[i], true) : pad(r[i], w[i], false));
            }
            b.append(System.lineSeparator());
        }
        return b.toString().replaceAll(" +(\\R)", "$1");
    }

    private static String params(JsonNode n) {
        List<String> p = new ArrayList<>();
        n.get("point").get("params").fields().forEachRemaining(e -> p.add(e.getKey() + "=" + e.getValue().asText()));
        return String.join(" ", p);
    }

    private static double mean(List<Long> v) { return v.stream().mapToLong(Long::longValue).average().orElse(0); }

    private static String pad(String s, int w, boolean right) {
        String sp = " ".repeat(Math.max(0, w - s.length()));
        return right ? sp + s : s + sp;
    }
}
