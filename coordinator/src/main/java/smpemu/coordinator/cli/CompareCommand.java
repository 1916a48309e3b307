package smpemu.coordinator.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import smpemu.coordinator.engine.Partition;
import smpemu.coordinator.result.CompareReport;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.RunResult;

/**
 * Runs one scenario twice on the same seed, "before" and "after" kernel (baseline, then
 * patched, unless {@code --kernels} says otherwise), and prints the cover-letter tables
 * (architecture.md §1, §8).
 */
@Command(name = "compare", description = "Run a scenario on two kernels (default baseline, then patched) and compare them.")
final class CompareCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--kernels", paramLabel = "BEFORE,AFTER", defaultValue = "baseline,patched",
        description = "The two kernel variants (smpemu.kernel.variant), before then after (default: ${DEFAULT-VALUE}).")
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

    @Override
    public Integer call() {
        String[] names = kernels.split(",", -1);
        if (names.length != 2 || names[0].isBlank() || names[1].isBlank()) {
            throw new ParameterException(spec.commandLine(),
                "--kernels takes two kernel variants, before and after, e.g. baseline,patched; got " + kernels);
        }
        String beforeName = names[0].trim(), afterName = names[1].trim();
        cluster.validate(spec.commandLine());
        histogram.validate(spec.commandLine(), json);
        // Both configurations are loaded before either runs: a bad one fails at once.
        ConfigOptions.Loaded beforeSettings = settings(beforeName), afterSettings = settings(afterName);
        RunResult before, after;
        Partition partition = null;
        ClusterRunner.Simulation a = null;
        if (cluster.enabled()) {
            // One cluster for both runs: the nodes join once.
            try (ClusterRunner c = ClusterRunner.open(spec.commandLine(), cluster, beforeSettings.cluster(),
                beforeSettings.settings())) {
                before = c.simulate(beforeSettings).result();
                a = c.simulate(afterSettings);
                after = a.result();
                partition = a.partition();
            }
        } else {
            before = RunCommand.simulate(beforeSettings.settings());
            after = RunCommand.simulate(afterSettings.settings());
        }

        PrintWriter out = spec.commandLine().getOut();
        OutputFiles files = new OutputFiles();
        if (json != null) {
            ObjectNode tree = JsonReport.compareTree(beforeName, before, afterName, after, jsonConfig);
            if (partition != null) tree.set("partition", ClusterRunner.json(partition));
            files.write(json, JsonReport.write(tree), out);
        }
        if (histogram.file != null) {
            files.write(histogram.file, histogram.render("before", before) + "\n" + histogram.render("after", after), out);
        }
        // With --json - (or --histogram -) stdout carries that alone, so that it stays parseable.
        if (!quiet && !"-".equals(json) && !histogram.toStdout()) {
            out.print(CompareReport.render(before, after));
            if (a != null) out.print(ClusterRunner.text(a));
        }
        out.flush();
        return files.finish(spec.commandLine().getErr(), 0);
    }

    /**
     * The kernel variant over the configured settings. {@code baseline} means the kernel before
     * the series, so it also clears any patches the configuration lists; other variants keep
     * the configured patches (the loader gives {@code patched} the whole series).
     */
    private ConfigOptions.Loaded settings(String variant) {
        Map<String, Object> keys = variant.equals("baseline")
            ? Map.of("kernel.variant", variant, "kernel.patches", List.of())
            : Map.of("kernel.variant", variant);
        return config.load("smoke", keys);
    }
}
