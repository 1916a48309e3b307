package smpemu.coordinator.plot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import smpemu.coordinator.result.RunResult;
import smpemu.coordinator.result.Units;
import smpemu.node.model.CpuStats;

/** {@code run --plot DIR}: the per-CPU preempt-off p99, and the CCDF of the RT wake-up latency. */
public final class RunPlots {
    private RunPlots() {}

    public static List<Path> write(Path dir, RunResult r, List<CpuStats> cpus) {
        List<Path> out = new ArrayList<>();
        String about = about(r);
        CategoryChart bars = Charts.bars("preempt-off p99 per CPU | " + about,
            "CPU", "p99 of the longest section per " + Units.time(r.windowNs()) + " window (us)");
        List<String> names = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        for (RunResult.CpuResult c : r.cpus()) {
            names.add(Integer.toString(c.cpu()));
            p99.add(Charts.micros(c.preemptoffP99Ns()));
        }
        bars.addSeries("p99", names, p99);
        out.add(Charts.save(bars, dir, "cpu-p99.png"));

        Histogram all = null;
        for (CpuStats c : cpus) {
            if (c.rtLatency() == null) continue;
            if (all == null) all = c.rtLatency().copy(); else all.add(c.rtLatency());
        }
        if (all != null && all.getTotalCount() > 0) {
            XYChart ccdf = Charts.lines("RT wake-up latency CCDF, all CPUs | " + about, "wake-up latency (us)",
                "fraction of wake-ups at least that long");
            ccdf.getStyler().setYAxisLogarithmic(true);
            double[][] xy = Charts.ccdfMicros(expand(all));
            ccdf.addSeries(r.kernel(), xy[0], xy[1]);
            out.add(Charts.save(ccdf, dir, "rt-wakeup-ccdf.png"));
        }
        return out;
    }

    /** "scenario smoke, kernel baseline (patches none), seed 1". */
    static String about(RunResult r) {
        return "scenario " + r.scenario() + ", kernel " + r.kernel() + " (patches " + Units.patchList(r.patches())
            + "), seed " + r.seed();
    }

    /** The recorded values, each as often as it was recorded (at the histogram's precision). */
    static long[] expand(Histogram h) {
        long n = h.getTotalCount();
        // A very large sample is thinned evenly: the CCDF draws at most ~1000 points anyway.
        long every = Math.max(1, n / 1_000_000);
        long[] v = new long[(int) Math.min(n, n / every + 1)];
        int k = 0;
        long seen = 0;
        for (HistogramIterationValue x : h.recordedValues()) {
            for (long i = 0; i < x.getCountAtValueIteratedTo(); i++, seen++) {
                if (seen % every == 0 && k < v.length) v[k++] = h.highestEquivalentValue(x.getValueIteratedTo());
            }
        }
        return java.util.Arrays.copyOf(v, k);
    }
}
