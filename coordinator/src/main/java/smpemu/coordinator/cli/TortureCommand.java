package smpemu.coordinator.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.RunResult;
import smpemu.coordinator.result.TortureReport;

/**
 * scftorture (docs/kernel-model.md#scftorture): invokers hammering the cross-call primitives, checked by the
 * run-time checkers; prints scftorture's banner, statistics and verdict. Exit 1 on FAILURE.
 */
@Command(name = "torture", description = "scftorture-style stress of the cross-call primitives with invariant checks.")
final class TortureCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--kernel", paramLabel = "VARIANT", description = "Kernel variant (smpemu.kernel.variant), e.g. unsafe-u4.")
    String kernel;

    @Option(names = "--bootargs", paramLabel = "ARGS",
        description = "scftorture module parameters as on a kernel command line, e.g. \"scftorture.nthreads=8 scftorture.weight_single=4\".")
    String bootargs;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON result to FILE (- = stdout).")
    String json;

    @Option(names = "--json-config", description = "Put the whole effective configuration in the JSON (config); its SHA-256 is always there.")
    boolean jsonConfig;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    ProgressOptions progress;

    @Override
    public Integer call() {
        cluster.validate(spec.commandLine());
        config.perWindowFigures = false; // its report has no per-window percentiles
        if (bootargs != null) config.addBootArgs(bootargs);
        Map<String, Object> keys = new java.util.HashMap<>(Map.of("checkers.enabled", true));
        if (kernel != null) keys.put("kernel.variant", kernel);
        if (config.rawInt("torture", keys, "scftorture.nthreads", 0) < 0) { // -1: one invoker per CPU
            keys.put("scftorture.nthreads", config.rawInt("torture", keys, "topology.cpus", 1));
        }
        ConfigOptions.Loaded l = config.load("torture", keys);
        SimSettings s = l.settings();
        RunResult r;
        if (cluster.enabled()) {
            try (ClusterRunner c = ClusterRunner.open(spec.commandLine(), cluster, l.cluster(), s)) {
                r = c.simulate(l, progress.mode, spec.commandLine().getErr(), "torture").result();
            }
        } else {
            r = RunCommand.simulate(s, progress.mode, spec.commandLine().getErr(), "torture");
        }
        PrintWriter out = spec.commandLine().getOut();
        OutputFiles files = new OutputFiles();
        if (json != null) files.write(json, JsonReport.write(JsonReport.tree(r, jsonConfig)), out);
        if (!"-".equals(json)) out.print(TortureReport.render(s, r));
        out.flush();
        return files.finish(spec.commandLine().getErr(), TortureReport.success(r) ? 0 : Main.FAILED);
    }
}
