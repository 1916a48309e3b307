package smpemu.coordinator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import smpemu.coordinator.engine.Partition;
import smpemu.coordinator.engine.RunProgress;
import smpemu.coordinator.result.CalibrationCheck;
import smpemu.coordinator.result.CompareReport;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.RunResult;
import smpemu.coordinator.result.TextReport;

/**
 * Runs one scenario twice on the same seed, "before" and "after" kernel (baseline, then
 * patched, unless {@code --kernels} says otherwise), and prints the cover-letter tables
 * (docs/architecture.md#contract).
 */
@Command(name = "compare", description = "Run a scenario on two kernels (default baseline, then patched) and compare them.")
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--kernels", paramLabel = "BEFORE,AFTER", defaultValue = "baseline,patched",
        description = "The two kernels, before then after (default: ${DEFAULT-VALUE}): each a variant "
            + "(smpemu.kernel.variant) or a patch set of the series such as baseline+2+3+6 or patched-7.")
    String kernels;

    @Option(names = "--json", paramLabel = "FILE",
        description = "Write {\"<before>\": <run>, \"<after>\": <run>, \"reduction_pct\": x} to FILE (- = stdout).")
    String json;

    @Option(names = "--json-config", description = "Put the whole effective configuration in the JSON (config); its SHA-256 is always there.")
    boolean jsonConfig;

    @Option(names = {"-q", "--quiet"}, description = "No text report.")
    boolean quiet;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    HistogramOptions histogram;

    @Mixin
    ProgressOptions progress;

    @Option(names = "--plot", paramLabel = "DIR",
        description = "Write PNG plots (per-CPU p50/p99 before and after, CCDF of the per-window longest sections) to DIR.")
    java.nio.file.Path plot;

    @Override
    public Integer call() {
        String[] sides = kernels.split(",", -1);
        if (sides.length != 2 || sides[0].isBlank() || sides[1].isBlank()) {
            throw new ParameterException(spec.commandLine(),
                "--kernels takes two kernel variants, before and after, e.g. baseline,patched; got " + kernels);
        }
        KernelSpec beforeKernel = KernelSpec.parse("--kernels", sides[0]), afterKernel = KernelSpec.parse("--kernels", sides[1]);
        String beforeName = beforeKernel.name(), afterName = afterKernel.name();
        cluster.validate(spec.commandLine());
        histogram.validate(spec.commandLine(), json);
        // Both configurations are loaded before either runs: a bad one fails at once.
        ConfigOptions.Loaded beforeSettings = config.load("smoke", beforeKernel.keys());
        ConfigOptions.Loaded afterSettings = config.load("smoke", afterKernel.keys());
        beforeKernel.checkSeries("--kernels", beforeSettings.settings().kernel());
        afterKernel.checkSeries("--kernels", afterSettings.settings().kernel());
        RunResult before, after;
        java.util.List<smpemu.node.model.CpuStats> beforeCpus, afterCpus;
        Partition partition = null;
        ClusterRunner.Simulation a = null;
        if (cluster.enabled()) {
            // One cluster for both runs: the nodes join once.
            try (ClusterRunner c = ClusterRunner.open(spec.commandLine(), cluster, beforeSettings.cluster(),
                beforeSettings.settings())) {
                ClusterRunner.Simulation b = c.simulate(beforeSettings, progress.mode, spec.commandLine().getErr(), beforeName);
                before = b.result();
                beforeCpus = b.cpus();
                a = c.simulate(afterSettings, progress.mode, spec.commandLine().getErr(), afterName);
                after = a.result();
                afterCpus = a.cpus();
                partition = a.partition();
            }
        } else {
            // Both kernels at once, each on its share of the cores; the progress line follows the first.
            RunProgress p = new RunProgress();
            List<smpemu.coordinator.engine.RunOutcome> both;
            try (RunProgressLine line = RunProgressLine.start(progress.mode, spec.commandLine().getErr(),
                beforeName + " and " + afterName, beforeSettings.settings().durationNs(), p)) {
                both = ConcurrentRuns.outcomes(List.of(beforeSettings.settings(), afterSettings.settings()), p);
            }
            before = smpemu.coordinator.result.ResultBuilder.build(both.get(0));
            after = smpemu.coordinator.result.ResultBuilder.build(both.get(1));
            beforeCpus = both.get(0).cpus();
            afterCpus = both.get(1).cpus();
        }

        smpemu.config.Calibration calibration = afterSettings.settings().calibration();
        List<CalibrationCheck.Row> calibrationRows = CalibrationCheck.check(calibration, before, after);
        PrintWriter out = spec.commandLine().getOut();
        OutputFiles files = new OutputFiles();
        if (json != null) {
            ObjectNode tree = JsonReport.compareTree(beforeName, before, afterName, after, jsonConfig);
            if (!calibrationRows.isEmpty()) tree.set("calibration", JsonReport.calibration(calibration, calibrationRows));
            if (partition != null) tree.set("partition", ClusterRunner.json(partition));
            files.write(json, JsonReport.write(tree), out);
        }
        if (histogram.file != null) {
            files.write(histogram.file, histogram.render("before", before) + "\n" + histogram.render("after", after), out);
        }
        if (plot != null) {
            for (java.nio.file.Path p : smpemu.coordinator.plot.ComparePlots.write(plot, beforeName, before, beforeCpus,
                afterName, after, afterCpus)) {
                spec.commandLine().getErr().println("smpemu: plot " + p);
            }
        }
        // With --json - (or --histogram -) stdout carries that alone, so that it stays parseable.
        boolean text = !quiet && !"-".equals(json) && !histogram.toStdout();
        if (text) {
            out.print(CompareReport.render(beforeName, before, afterName, after));
            out.print(CalibrationCheck.render(calibration, calibrationRows));
            if (a != null) out.print(ClusterRunner.text(a));
        }
        out.flush();
        // A checker that fired in either run means a simulated kernel broke an invariant: the
        // comparison failed. Without the text report the violations go to stderr.
        boolean violated = !before.violations().isEmpty() || !after.violations().isEmpty();
        if (violated) {
            if (!text) {
                StringBuilder b = new StringBuilder();
                TextReport.violations(b, "checker violations before (" + beforeName + ")", before);
                TextReport.violations(b, "checker violations after (" + afterName + ")", after);
                spec.commandLine().getErr().print(b);
            }
            spec.commandLine().getErr().printf("smpemu: compare failed: checker violations (before %s: %d, after %s: %d)%n",
                beforeName, before.violations().size(), afterName, after.violations().size());
        }
        return files.finish(spec.commandLine().getErr(), violated ? Main.FAILED : 0);
    }
}
