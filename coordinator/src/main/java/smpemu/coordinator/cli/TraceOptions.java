package smpemu.coordinator.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import smpemu.config.Durations;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.ChromeTrace;
import smpemu.node.model.ModelContext;
import smpemu.node.model.TraceRecording;

/** {@code --trace FILE --trace-window FROM,TO}: a Perfetto / chrome://tracing timeline of a slice of the run. */
final class TraceOptions {
    @Option(names = "--trace", paramLabel = "FILE",
        description = "Write a Trace Event Format timeline (ui.perfetto.dev, chrome://tracing) of --trace-window to FILE.")
    String file;

    @Option(names = "--trace-window", paramLabel = "FROM,TO",
        description = "The simulated time the trace covers, two durations (e.g. 10ms,12ms); default: the whole run.")
    String window;

    private long from;
    private long to;

    boolean enabled() { return file != null; }

    /** Usage errors before the run: the window, stdout, a cluster run. */
    void validate(CommandLine cl, boolean cluster) {
        if (file == null) {
            if (window != null) throw new ParameterException(cl, "--trace-window needs --trace FILE");
            return;
        }
        if ("-".equals(file)) throw new ParameterException(cl, "--trace needs a file, not - (the trace is not meant for a terminal)");
        if (cluster) throw new ParameterException(cl, "--trace records on every CPU of this process: it is not available for a cluster run (drop --cluster-local/--join)");
    }

    /** The window in ns, checked against the run's length, and the recorder attached to {@code ctx}. */
    void attach(CommandLine cl, ModelContext ctx) {
        if (file == null) return;
        SimSettings s = ctx.settings;
        if (window == null) {
            from = 0;
            to = s.durationNs();
        } else {
            String[] p = window.split(",", -1);
            if (p.length != 2) throw new ParameterException(cl, "--trace-window " + window + ": expected FROM,TO (two durations, e.g. 10ms,12ms)");
            try {
                from = Durations.parseNs(p[0]);
                to = Durations.parseNs(p[1]);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cl, "--trace-window " + window + ": " + e.getMessage());
            }
            if (to <= from) throw new ParameterException(cl, "--trace-window " + window + ": TO must be after FROM");
            if (to > s.durationNs()) {
                throw new ParameterException(cl, "--trace-window " + window + ": ends after the run (" + s.durationNs() / 1_000_000.0 + " ms, smpemu.duration)");
            }
        }
        ctx.trace = new TraceRecording(from, to, ctx.topology.cpus());
    }

    /** After the run: the file, and its size on {@code err}. */
    void write(ModelContext ctx, String machine, PrintWriter err) {
        if (ctx.trace == null) return;
        List<List<TraceRecording.Event>> events = ctx.trace.finish(ctx.durationNs);
        long n = events.stream().mapToLong(List::size).sum();
        long size = ChromeTrace.write(Path.of(file), machine, events);
        err.println("smpemu: trace " + file + ": " + n + " events, " + size + " bytes, " + from + ".." + to + " ns");
    }
}
