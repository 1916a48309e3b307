package smpemu.coordinator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import smpemu.coordinator.result.LatencyTraceReport;
import smpemu.node.model.LatencyRecording;
import smpemu.node.model.ModelContext;

/** {@code --latency-trace FILE}: the longest sections as ftrace's preemptoff / irqsoff tracers print them. */
final class LatencyTraceOptions {
    @Option(names = "--latency-trace", paramLabel = "FILE",
        description = "Write the longest sections (measurement.longest-sections of them) as ftrace latency traces to FILE (- = stdout); with --json, also latency_traces[].")
    String file;

    void validate(CommandLine cl, boolean cluster, String json) {
        if (file == null) return;
        if (cluster) throw new ParameterException(cl, "--latency-trace records on every CPU of this process: it is not available for a cluster run (drop --cluster-local/--join)");
        if ("-".equals(file) && "-".equals(json)) throw new ParameterException(cl, "--latency-trace - and --json - would share stdout: give one of them a file");
    }

    boolean toStdout() { return "-".equals(file); }

    void attach(ModelContext ctx) {
        if (file != null) ctx.latency = new LatencyRecording(ctx.settings.longestSections());
    }

    String render(ModelContext ctx) {
        return LatencyTraceReport.render(ctx.latency.longest(), ctx.settings, ctx.workload);
    }
}
