package smpemu.coordinator.result;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import smpemu.node.model.TaskRecording.Task;
import smpemu.node.model.Workload;

/**
 * {@code run --by-task}: per task, in the layout of {@code perf sched latency}
 * (tools/perf/builtin-sched.c output_lat_thread()): "comm:pid", run time, switches in, average
 * and maximum delay from runnable to switched in, and when that maximum began and ended, in
 * seconds of simulated time. pid is the task id + 1, as in the latency traces. The average is
 * over the switches that followed a wait (a task placed at boot has none before its first).
 * Sorted as perf's default keys, largest first: average, maximum, switches, run time.
 */
public final class ByTaskReport {
    private ByTaskReport() {}

    private static final String RULE = " " + "-".repeat(139) + "\n";

    /** The tasks that ran at least once, in report order. */
    public static List<Task> ran(Task[] tasks) {
        List<Task> out = new ArrayList<>();
        for (Task t : tasks) if (t.switches() > 0) out.add(t);
        out.sort(Comparator.comparingLong(ByTaskReport::avg).reversed()
            .thenComparing(Comparator.comparingLong(Task::maxDelayNs).reversed())
            .thenComparing(Comparator.comparingLong(Task::switches).reversed())
            .thenComparing(Comparator.comparingLong(Task::runtimeNs).reversed())
            .thenComparingInt(Task::id));
        return out;
    }

    static long avg(Task t) { return t.delays() == 0 ? 0 : t.delaySumNs() / t.delays(); }

    public static String render(Task[] tasks, Workload w) {
        StringBuilder b = new StringBuilder("\n");
        b.append(RULE);
        b.append("  Task                  |   Runtime ms  | Switches | Avg delay ms    | Max delay ms    | Max delay start           | Max delay end          |\n");
        b.append(RULE);
        long runtime = 0, switches = 0;
        for (Task t : ran(tasks)) {
            String who = "  " + w.name(t.id()) + ":" + (t.id() + 1) + " ";
            b.append(who).append(" ".repeat(Math.max(0, 24 - who.length())));
            long start = t.maxDelayAt() < 0 ? 0 : t.maxDelayAt();
            long end = t.maxDelayAt() < 0 ? 0 : t.maxDelayAt() + t.maxDelayNs();
            b.append(String.format(Locale.ROOT, "|%11.3f ms |%9d | avg:%10.3f ms | max:%10.3f ms | max start: %12s s | max end: %12s s\n",
                t.runtimeNs() / 1e6, t.switches(), avg(t) / 1e6, t.maxDelayNs() / 1e6, seconds(start), seconds(end)));
            runtime += t.runtimeNs();
            switches += t.switches();
        }
        b.append(" -----------------------------------------------------------------------------------------------------------------\n");
        b.append(String.format(Locale.ROOT, "  TOTAL:                |%11.3f ms |%9d |\n", runtime / 1e6, switches));
        b.append(" ---------------------------------------------------\n");
        return b.toString();
    }

    /** timestamp__scnprintf_usec(): seconds and microseconds. */
    static String seconds(long ns) { return String.format(Locale.ROOT, "%d.%06d", ns / 1_000_000_000L, ns % 1_000_000_000L / 1000); }

    /** The same for the JSON report ({@code tasks}). */
    public static ArrayNode json(Task[] tasks, Workload w) {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Task t : ran(tasks)) {
            ObjectNode n = a.addObject();
            n.put("task", w.name(t.id()));
            n.put("pid", t.id() + 1);
            n.put("runtime_ns", t.runtimeNs());
            n.put("switches", t.switches());
            n.put("delays", t.delays());
            n.put("avg_delay_ns", avg(t));
            n.put("max_delay_ns", t.maxDelayNs());
            if (t.maxDelayAt() < 0) n.putNull("max_delay_start_ns");
            else n.put("max_delay_start_ns", t.maxDelayAt());
        }
        return a;
    }
}
