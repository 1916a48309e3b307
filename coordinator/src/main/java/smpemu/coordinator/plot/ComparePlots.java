package smpemu.coordinator.plot;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.XYChart;
import smpemu.coordinator.result.RunResult;
import smpemu.coordinator.result.Units;
import smpemu.node.model.CpuStats;

/**
 * {@code compare --plot DIR}: the per-CPU p50/p99 before and after as bars, and the CCDF of the
 * longest preempt-off section per CPU and window (the sample the p50/p99 are taken over).
 */
public final class ComparePlots {
    private ComparePlots() {}

    public static List<Path> write(Path dir, String beforeName, RunResult before, List<CpuStats> beforeCpus,
                                   String afterName, RunResult after, List<CpuStats> afterCpus) {
        List<Path> out = new ArrayList<>();
        String about = "scenario " + before.scenario() + ", seed " + before.seed() + ", " + beforeName + " vs " + afterName;
        CategoryChart bars = Charts.bars("preempt-off p50 / p99 per CPU | " + about, "CPU",
            "longest section per " + Units.time(before.windowNs()) + " window (us)");
        List<String> cpus = new ArrayList<>();
        for (RunResult.CpuResult c : before.cpus()) cpus.add(Integer.toString(c.cpu()));
        bars.addSeries(beforeName + " p50", cpus, values(before, false));
        bars.addSeries(beforeName + " p99", cpus, values(before, true));
        bars.addSeries(afterName + " p50", cpus, values(after, false));
        bars.addSeries(afterName + " p99", cpus, values(after, true));
        out.add(Charts.save(bars, dir, "cpu-p50-p99.png"));

        XYChart ccdf = Charts.lines("CCDF of the longest preempt-off section per CPU and window | " + about,
            "section length (us)", "fraction of CPU-windows at least that long");
        ccdf.getStyler().setYAxisLogarithmic(true);
        ccdf.getStyler().setXAxisLogarithmic(true);
        addCcdf(ccdf, beforeName, beforeCpus);
        addCcdf(ccdf, afterName.equals(beforeName) ? afterName + "-2" : afterName, afterCpus);
        out.add(Charts.save(ccdf, dir, "section-ccdf.png"));
        return out;
    }

    private static List<Double> values(RunResult r, boolean p99) {
        List<Double> v = new ArrayList<>();
        for (RunResult.CpuResult c : r.cpus()) v.add(Charts.micros(p99 ? c.preemptoffP99Ns() : c.preemptoffP50Ns()));
        return v;
    }

    private static void addCcdf(XYChart chart, String name, List<CpuStats> cpus) {
        List<Long> all = new ArrayList<>();
        for (CpuStats c : cpus) for (long v : c.windowMax) all.add(v);
        if (all.isEmpty()) return;
        double[][] xy = Charts.ccdfMicros(all.stream().mapToLong(Long::longValue).toArray());
        chart.addSeries(name, xy[0], xy[1]);
    }
}
