package smpemu.coordinator.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import com.fasterxml.jackson.databind.node.ObjectNode;
import smpemu.config.SimSettings;
import smpemu.coordinator.engine.Partition;
import smpemu.coordinator.engine.EngineFactory;
import smpemu.coordinator.engine.RunOutcome;
import smpemu.coordinator.engine.RunProgress;
import smpemu.coordinator.plot.RunPlots;
import smpemu.node.model.CpuStats;
import java.nio.file.Path;
import java.util.List;
import smpemu.coordinator.result.ByPathReport;
import smpemu.coordinator.result.ByTaskReport;
import smpemu.node.model.TaskRecording;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.LatencyTraceReport;
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

    @Option(names = "--json-config", description = "Put the whole effective configuration in the JSON (config); its SHA-256 is always there.")
    boolean jsonConfig;

    @Option(names = "--by-path", description = "Add every call path's sections (count, total, max, bpftrace-style histogram) to the text report.")
    boolean byPath;

    @Option(names = "--by-task", description = "Add every task's run time, switches and wake-up delays (perf sched latency layout) to the text report; with --json, tasks[].")
    boolean byTask;

    @Option(names = {"-q", "--quiet"}, description = "No text report.")
    boolean quiet;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    HistogramOptions histogram;

    @Mixin
    ProgressOptions progress;

    @Mixin
    TraceOptions trace;

    @Mixin
    LatencyTraceOptions latencyTrace;

    @Option(names = "--plot", paramLabel = "DIR", description = "Write PNG plots (per-CPU p99, RT wake-up latency CCDF) to DIR.")
    Path plot;

    @Override
    public Integer call() {
        cluster.validate(spec.commandLine());
        histogram.validate(spec.commandLine(), json);
        trace.validate(spec.commandLine(), cluster.enabled());
        latencyTrace.validate(spec.commandLine(), cluster.enabled(), json);
        if (byTask && cluster.enabled()) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--by-task records on every CPU of this process: it is not available for a cluster run (drop --cluster-local/--join)");
        }
        ConfigOptions.Loaded l = config.load("smoke", kernel == null ? Map.of() : Map.of("kernel.variant", kernel));
        RunResult r;
        List<CpuStats> cpus;
        Partition partition = null;
        ModelContext traced = null;
        ClusterRunner.Simulation sim = null;
        if (cluster.enabled()) {
            try (ClusterRunner c = ClusterRunner.open(spec.commandLine(), cluster, l.cluster(), l.settings())) {
                sim = c.simulate(l, progress.mode, spec.commandLine().getErr(), "run");
                r = sim.result();
                cpus = sim.cpus();
                partition = sim.partition();
            }
        } else {
            ModelContext ctx = new ModelContext(l.settings());
            trace.attach(spec.commandLine(), ctx);
            latencyTrace.attach(ctx);
            if (byTask) ctx.tasks = new TaskRecording(ctx.workload.taskCount(), ctx.topology.cpus());
            RunOutcome o = outcome(ctx, progress.mode, spec.commandLine().getErr(), "run");
            r = ResultBuilder.build(o);
            cpus = o.cpus();
            traced = ctx;
        }
        PrintWriter out = spec.commandLine().getOut();
        OutputFiles files = new OutputFiles();
        TaskRecording.Task[] tasks = traced != null && traced.tasks != null ? traced.tasks.finish(traced.durationNs) : null;
        if (json != null) {
            ObjectNode tree = JsonReport.tree(r, jsonConfig);
            if (partition != null) tree.set("partition", ClusterRunner.json(partition));
            if (tasks != null) tree.set("tasks", ByTaskReport.json(tasks, traced.workload));
            if (traced != null && traced.latency != null) {
                tree.set("latency_traces", LatencyTraceReport.json(traced.latency.longest(), traced.workload));
            }
            files.write(json, JsonReport.write(tree), out);
        }
        if (histogram.file != null) files.write(histogram.file, histogram.render(r), out);
        if (traced != null && traced.latency != null) files.write(latencyTrace.file, latencyTrace.render(traced), out);
        if (traced != null && trace.enabled()) {
            ModelContext ctx = traced;
            String machine = r.scenario() + " (" + r.kernel() + ", seed " + r.seed() + ")";
            files.write(trace.file, () -> trace.write(ctx, machine, spec.commandLine().getErr()));
        }
        if (plot != null) {
            for (Path p : RunPlots.write(plot, r, cpus)) spec.commandLine().getErr().println("smpemu: plot " + p);
        }
        // With --json - (or --histogram -) stdout carries that alone, so that it stays parseable.
        if (!quiet && !"-".equals(json) && !histogram.toStdout() && !latencyTrace.toStdout()) {
            out.print(TextReport.render(r));
            if (byPath) out.print(ByPathReport.render(r));
            if (tasks != null) out.print(ByTaskReport.render(tasks, traced.workload));
            if (sim != null) out.print(ClusterRunner.text(sim));
        }
        out.flush();
        // A checker that fired means the simulated kernel broke an invariant: the run failed.
        return files.finish(spec.commandLine().getErr(), r.violations().isEmpty() ? 0 : Main.FAILED);
    }

    /** One simulation on the engine the settings name. */
    static RunResult simulate(SimSettings s) {
        return ResultBuilder.build(EngineFactory.of(s.engine().kind()).run(new ModelContext(s)));
    }

    /** The same, with a progress line on {@code err} (see {@link RunProgressLine}). */
    static RunResult simulate(SimSettings s, Progress.Mode mode, PrintWriter err, String task) {
        return ResultBuilder.build(outcome(s, mode, err, task));
    }

    /** The engine's outcome (per-CPU measurements, for plots), with a progress line. */
    static RunOutcome outcome(SimSettings s, Progress.Mode mode, PrintWriter err, String task) {
        return outcome(new ModelContext(s), mode, err, task);
    }

    /** The same for a context the command prepared (recorders attached). */
    static RunOutcome outcome(ModelContext ctx, Progress.Mode mode, PrintWriter err, String task) {
        RunProgress p = new RunProgress();
        try (RunProgressLine line = RunProgressLine.start(mode, err, task, ctx.durationNs, p)) {
            return EngineFactory.of(ctx.settings.engine().kind()).run(ctx, p);
        }
    }

}
