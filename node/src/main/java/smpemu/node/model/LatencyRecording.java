package smpemu.node.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A request for the ftrace latency traces of the longest sections ({@code run --latency-trace}):
 * each CPU keeps its {@code keep} longest with what the preemptoff tracer's snapshot holds (the
 * task, where the section started and ended, the flags at both ends, the stack at the end).
 * A probe listener attached only when asked for; it never touches the model.
 */
public final class LatencyRecording {
    /**
     * The context flags of one trace entry as ftrace's latency format prints them: IRQs off,
     * need-resched, in a hard IRQ, and the preempt_count's low byte (the task's depth).
     */
    public record Flags(boolean irqsOff, boolean needResched, boolean hardirq, int preemptDepth) {}

    /**
     * One section: {@code startPath} is the call path when it opened (the stack of "started at"),
     * {@code endPath} the one when it closed (the last function is "ended at", the path
     * innermost first the stack trace).
     */
    public record Section(int cpu, long startNs, long durationNs, int task, int kind,
                          List<String> startPath, List<String> endPath, Flags opened, Flags closed) {}

    /** Longest first; ties: earlier start, then lower CPU (as the run's longest[] orders them). */
    public static final Comparator<Section> ORDER = Comparator.comparingLong(Section::durationNs).reversed()
        .thenComparingLong(Section::startNs).thenComparingInt(Section::cpu);

    public final int keep;
    private final List<LatencyRecorder> recorders = new ArrayList<>();

    public LatencyRecording(int keep) {
        if (keep < 1) throw new IllegalArgumentException("keep must be >= 1, got " + keep);
        this.keep = keep;
    }

    synchronized ProbeListener recorder(PerCpu cpu) {
        LatencyRecorder r = new LatencyRecorder(cpu, keep);
        recorders.add(r);
        return r;
    }

    /** The machine's {@link #keep} longest sections, in {@link #ORDER}. */
    public synchronized List<Section> longest() {
        List<Section> all = new ArrayList<>();
        for (LatencyRecorder r : recorders) all.addAll(r.kept);
        all.sort(ORDER);
        return List.copyOf(all.subList(0, Math.min(keep, all.size())));
    }
}
