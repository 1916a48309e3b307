package smpemu.coordinator.plot;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.knowm.xchart.CategoryChart;

/**
 * A sweep's plots: against each swept parameter, the worst CPU's preempt-off p99 (one line per
 * kernel) and, with several kernels, the reduction against the first kernel; each value the mean
 * over the points with that value (its seeds, and the other parameters' values), error bars one
 * standard deviation. A sweep of kernels only is drawn as p99 per kernel.
 */
public final class SweepPlots {
    private SweepPlots() {}

    public static List<Path> write(Path dir, List<JsonNode> done, List<String> params) {
        List<Path> out = new ArrayList<>();
        if (done.isEmpty()) return out;
        List<String> kernels = new ArrayList<>(new LinkedHashSet<>(done.stream().map(SweepPlots::kernel).toList()));
        String about = "scenario " + done.get(0).get("result").get("scenario").asText() + ", seeds " + seeds(done)
            + ", mean +- sd";
        if (params.isEmpty()) {
            CategoryChart c = Charts.bars("worst-CPU preempt-off p99 per kernel | " + about, "kernel", "p99 (us)");
            Stats s = new Stats();
            for (JsonNode n : done) s.add(kernel(n), p99(n));
            c.addSeries("p99", kernels, s.means(kernels), s.sds(kernels));
            c.getStyler().setXAxisLabelRotation(45);
            out.add(Charts.save(c, dir, "p99-by-kernel.png"));
            return out;
        }
        for (String param : params) {
            List<String> values = new ArrayList<>(new LinkedHashSet<>(done.stream().map(n -> value(n, param)).toList()));
            CategoryChart p = Charts.bars("worst-CPU preempt-off p99 vs " + param + " | " + about, param, "p99 (us)");
            lineStyle(p);
            for (String k : kernels) {
                Stats s = new Stats();
                for (JsonNode n : done) if (kernel(n).equals(k)) s.add(value(n, param), p99(n));
                p.addSeries(k, values, s.means(values), s.sds(values));
            }
            out.add(Charts.save(p, dir, "p99-vs-" + file(param) + ".png"));
            if (kernels.size() < 2) continue;
            CategoryChart r = Charts.bars("reduction of the worst-CPU p99 against " + kernels.get(0) + " vs " + param
                + " | " + about, param, "reduction (%)");
            lineStyle(r);
            Map<String, Double> base = new LinkedHashMap<>();
            for (JsonNode n : done) if (kernel(n).equals(kernels.get(0))) base.put(twin(n), p99(n));
            for (String k : kernels.subList(1, kernels.size())) {
                Stats s = new Stats();
                for (JsonNode n : done) {
                    Double b = kernel(n).equals(k) ? base.get(twin(n)) : null;
                    if (b != null && b > 0) s.add(value(n, param), 100.0 * (1.0 - p99(n) / b));
                }
                r.addSeries(k, values, s.means(values), s.sds(values));
            }
            out.add(Charts.save(r, dir, "reduction-vs-" + file(param) + ".png"));
        }
        return out;
    }

    /** Lines through the categories, every series at the category's own x (not side by side like bars). */
    private static void lineStyle(CategoryChart c) {
        c.getStyler().setDefaultSeriesRenderStyle(org.knowm.xchart.CategorySeries.CategorySeriesRenderStyle.Line);
        c.getStyler().setOverlapped(true);
    }

    /** Means and standard deviations per category; an empty category draws as 0. */
    private static final class Stats {
        final Map<String, List<Double>> by = new LinkedHashMap<>();

        void add(String key, double v) { by.computeIfAbsent(key, k -> new ArrayList<>()).add(v); }

        List<Double> means(List<String> keys) {
            List<Double> m = new ArrayList<>();
            for (String k : keys) m.add(by.getOrDefault(k, List.of()).stream().mapToDouble(Double::doubleValue).average().orElse(0));
            return m;
        }

        List<Double> sds(List<String> keys) {
            List<Double> sd = new ArrayList<>();
            List<Double> m = means(keys);
            for (int i = 0; i < keys.size(); i++) {
                List<Double> v = by.getOrDefault(keys.get(i), List.of());
                double mean = m.get(i), ss = 0;
                for (double x : v) ss += (x - mean) * (x - mean);
                sd.add(v.size() < 2 ? 0 : Math.sqrt(ss / (v.size() - 1)));
            }
            return sd;
        }
    }

    private static String kernel(JsonNode n) {
        JsonNode k = n.get("point").get("kernel");
        return k.isNull() ? n.get("result").get("kernel").asText() : k.asText();
    }

    private static String value(JsonNode n, String param) { return n.get("point").get("params").get(param).asText(); }

    private static double p99(JsonNode n) { return n.get("result").get("summary").get("preemptoff_p99_ns").asLong() / 1e3; }

    /** The same point but for its kernel: parameters and seed. */
    private static String twin(JsonNode n) {
        return n.get("point").get("params").toString() + "/" + n.get("result").get("seed").asText();
    }

    private static String seeds(List<JsonNode> done) {
        Set<Long> s = new TreeSet<>();
        for (JsonNode n : done) s.add(n.get("result").get("seed").asLong());
        return s.size() <= 6 ? s.toString().replaceAll("[\\[\\] ]", "") : s.size() + " seeds";
    }

    private static String file(String param) { return param.replaceAll("[^A-Za-z0-9._-]", "_"); }
}
