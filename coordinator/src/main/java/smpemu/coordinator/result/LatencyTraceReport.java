package smpemu.coordinator.result;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import smpemu.config.Policy;
import smpemu.config.PreemptionModel;
import smpemu.config.SimSettings;
import smpemu.config.TaskSpec;
import smpemu.node.model.CpuStats;
import smpemu.node.model.LatencyRecording.Flags;
import smpemu.node.model.LatencyRecording.Section;
import smpemu.node.model.Workload;

/**
 * {@code run --latency-trace}: each of the longest sections as the irqsoff-family tracers print
 * their max snapshot with latency-format on (kernel/trace/trace.c print_trace_header(),
 * print_lat_help_header(), trace_output.c lat_print_generic()), without the function tracer: a
 * header (tracer, latency, entries, CPU, preemption model, CPU count), the task, started at /
 * ended at, then three entries (the section's start, its end, the stack trace at the end,
 * innermost first). "started at" is the innermost function of the call path that opened the
 * section, "ended at" the innermost of the path it closed on: the model knows which function
 * re-enabled only as the last element of that path (csd_lock_wait when a cross-call's wait
 * ended the section). pid is the task id + 1, so that 0 stays the idle task, as in Linux.
 */
public final class LatencyTraceReport {
    private LatencyTraceReport() {}

    public static String render(List<Section> sections, SimSettings s, Workload w) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < sections.size(); i++) {
            if (i > 0) b.append('\n');
            trace(b, sections.get(i), s, w);
        }
        return b.toString();
    }

    /** The preemption model as print_trace_header() names it. */
    static String model(PreemptionModel m) {
        return switch (m) {
            case NONE -> "server";
            case VOLUNTARY -> "desktop";
            case FULL -> "preempt";
            case RT -> "preempt_rt";
        };
    }

    private static void trace(StringBuilder b, Section x, SimSettings s, Workload w) {
        String tracer = s.tracer().ftraceName();
        String comm = comm(x, w);
        int pid = pid(x);
        b.append("# tracer: ").append(tracer).append("\n#\n");
        b.append("# ").append(tracer).append(" latency trace v1.1.5 on smpemu (kernel ").append(s.kernel().variant())
            .append(", series ").append(s.kernel().series().name().toLowerCase(java.util.Locale.ROOT)).append(")\n");
        b.append("# --------------------------------------------------------------------\n");
        b.append("# latency: ").append(x.durationNs() / 1000).append(" us, #3/3, CPU#").append(x.cpu())
            .append(" | (M:").append(model(s.kernel().preemption())).append(" VP:0, KP:0, SP:0 HP:0 #P:")
            .append(s.topology().cpus()).append(")\n");
        b.append("#    -----------------\n");
        b.append("#    | task: ").append(comm.length() > 16 ? comm.substring(0, 16) : comm).append('-').append(pid)
            .append(" (uid:0 nice:").append(nice(x, s, w)).append(" policy:").append(policy(x, w))
            .append(" rt_prio:").append(rtPrio(x, w)).append(")\n");
        b.append("#    -----------------\n");
        b.append("#  => started at: ").append(last(x.startPath())).append('\n');
        b.append("#  => ended at:   ").append(last(x.endPath())).append('\n');
        b.append("#\n#\n");
        b.append("#                    _------=> CPU#\n");
        b.append("#                   / _-----=> irqs-off/BH-disabled\n");
        b.append("#                  | / _----=> need-resched\n");
        b.append("#                  || / _---=> hardirq/softirq\n");
        b.append("#                  ||| / _--=> preempt-depth\n");
        b.append("#                  |||| / _-=> migrate-disable\n");
        b.append("#                  ||||| /     delay\n");
        b.append("#  cmd     pid     |||||| time  |   caller\n");
        b.append("#     \\   /        ||||||  \\    |    /\n");
        entry(b, comm, pid, x.cpu(), x.opened(), 0, x.durationNs(), caller(x.startPath()));
        entry(b, comm, pid, x.cpu(), x.closed(), x.durationNs(), 0, caller(x.endPath()));
        entry(b, comm, pid, x.cpu(), x.closed(), x.durationNs(), 0, "<stack trace>");
        for (String f : innermostFirst(x.endPath())) b.append(" => ").append(f).append('\n');
    }

    /** lat_print_generic() and lat_print_timestamp(): comm-pid, CPU, the five flags, time and delay mark. */
    private static void entry(StringBuilder b, String comm, int pid, int cpu, Flags f, long atNs, long toNextNs, String what) {
        b.append(String.format("%8.8s-%-7d %3d", comm, pid, cpu));
        b.append(flags(f));
        b.append(String.format(" %4dus%c: ", atNs / 1000, mark(toNextNs)));
        b.append(what).append('\n');
    }

    /** irqs-off, need-resched, hardirq, preempt-depth (hex, '.' for 0), migrate-disable (never in the model). */
    public static String flags(Flags f) {
        return "" + (f.irqsOff() ? 'd' : '.') + (f.needResched() ? 'N' : '.') + (f.hardirq() ? 'h' : '.')
            + (f.preemptDepth() == 0 ? '.' : Character.forDigit(Math.min(f.preemptDepth(), 15), 16)) + '.';
    }

    /** trace_find_mark(): how far the next entry is. */
    static char mark(long deltaNs) {
        if (deltaNs > 1_000_000_000L) return '$';
        if (deltaNs > 100_000_000L) return '@';
        if (deltaNs > 10_000_000L) return '*';
        if (deltaNs > 1_000_000L) return '#';
        if (deltaNs > 100_000L) return '!';
        if (deltaNs > 10_000L) return '+';
        return ' ';
    }

    private static String caller(List<String> path) {
        if (path.isEmpty()) return "<unknown>";
        String fn = path.get(path.size() - 1);
        return path.size() > 1 ? fn + " <-" + path.get(path.size() - 2) : fn;
    }

    private static String last(List<String> path) { return path.isEmpty() ? "<unknown>" : path.get(path.size() - 1); }

    private static List<String> innermostFirst(List<String> path) {
        List<String> r = new ArrayList<>(path);
        java.util.Collections.reverse(r);
        return r;
    }

    private static int pid(Section x) { return x.task() < 0 ? 0 : x.task() + 1; }

    private static String comm(Section x, Workload w) { return x.task() < 0 ? "swapper/" + x.cpu() : w.name(x.task()); }

    private static int nice(Section x, SimSettings s, Workload w) {
        if (x.task() < 0) return 0;
        TaskSpec t = s.tasks().get(w.specIndex(x.task()));
        return t.policy().isRealTime() ? 0 : t.nice();
    }

    /** SCHED_OTHER 0, SCHED_FIFO 1, SCHED_RR 2. */
    private static int policy(Section x, Workload w) {
        if (x.task() < 0) return 0;
        Policy p = w.policy(x.task());
        return p == Policy.FIFO ? 1 : p == Policy.RR ? 2 : 0;
    }

    private static int rtPrio(Section x, Workload w) {
        return x.task() < 0 || !w.policy(x.task()).isRealTime() ? 0 : w.priority(x.task()) - 100;
    }

    /** The same traces for the JSON report ({@code latency_traces}). */
    public static ArrayNode json(List<Section> sections, Workload w) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Section x : sections) {
            ObjectNode n = a.addObject();
            n.put("cpu", x.cpu());
            n.put("start_ns", x.startNs());
            n.put("duration_ns", x.durationNs());
            n.put("latency_us", x.durationNs() / 1000);
            n.put("task", x.task() < 0 ? "-" : w.name(x.task())); // as longest[].task; the text says swapper/N, as ftrace

            n.put("pid", pid(x));
            n.put("kind", CpuStats.kindName(x.kind()));
            n.put("started_at", last(x.startPath()));
            n.put("ended_at", last(x.endPath()));
            n.put("start_flags", flags(x.opened()));
            n.put("end_flags", flags(x.closed()));
            ArrayNode stack = n.putArray("stack");
            innermostFirst(x.endPath()).forEach(stack::add);
        }
        return a;
    }
}
