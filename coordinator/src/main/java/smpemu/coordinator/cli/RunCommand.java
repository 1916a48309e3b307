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
import smpemu.coordinator.engine.EngineFactory;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.ResultBuilder;
import smpemu.coordinator.result.RunResult;
import smpemu.coordinator.result.TextReport;
import smpemu.node.model.ModelContext;

@Command(name = "run", description = "Simulate one scenario with one kernel variant and report.")
final class RunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--kernel", paramLabel = "VARIANT", description = "Kernel variant (smpemu.kernel.variant).")
    String kernel;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON result to FILE (- = stdout).")
    String json;

    @Option(names = {"-q", "--quiet"}, description = "No text report.")
    boolean quiet;

    @Override
    public Integer call() {
        SimSettings s = config.settings("smoke", kernel == null ? Map.of() : Map.of("kernel.variant", kernel));
        RunResult r = simulate(s);
        PrintWriter out = spec.commandLine().getOut();
        if (json != null) JsonReport.emit(json, JsonReport.render(r), out);
        // With --json - stdout carries the JSON alone, so that it stays parseable.
        if (!quiet && !"-".equals(json)) out.print(TextReport.render(r));
        out.flush();
        return 0;
    }

    /** One simulation on the engine the settings name. */
    static RunResult simulate(SimSettings s) {
        return ResultBuilder.build(EngineFactory.of(s.engine().kind()).run(new ModelContext(s)));
    }
}
