package smpemu.node.model;

import java.util.ArrayList;
import java.util.List;

/**
 * A request for a timeline of {@code [fromNs, toNs)} ({@code run --trace}) and what each CPU
 * recorded for it: slices (the running task, tracer sections, hard-IRQ handlers and SMIs,
 * csd_lock_wait), instants (hotplug steps, wake-up IPIs sent) and IPI flows from sender to
 * receiver, each clipped to the window. Recorded by a probe listener attached only when asked
 * for, so it never touches the model or its digest. Only slices that overlap the window are
 * kept, so the window bounds the memory. Engine-independent: each CPU records what it alone saw.
 */
public final class TraceRecording {
    /** Tracks of one CPU; the task track's tid is the CPU number. */
    public static final int TASK = 0, SECTIONS = 1, HARDIRQ = 2, CSD_WAIT = 3, LANES = 4;
    public static final String[] LANE_NAMES = {"", " sections", " hardirq", " csd_lock_wait"};

    /**
     * One event: {@code ph} X (slice, {@code dur}), i (instant), s/f (flow start/finish, paired
     * by {@code id}); {@code cpu} and {@code lane} give its track; times in ns.
     */
    public record Event(char ph, int cpu, int lane, long ts, long dur, String name, String cat, long id) {}

    public final long fromNs;
    public final long toNs;
    private final List<List<Event>> perCpu = new ArrayList<>();
    private final List<TraceRecorder> recorders = new ArrayList<>();

    public TraceRecording(long fromNs, long toNs, int cpus) {
        if (fromNs < 0 || toNs <= fromNs) throw new IllegalArgumentException("trace window [" + fromNs + ", " + toNs + ") is empty");
        this.fromNs = fromNs;
        this.toNs = toNs;
        for (int i = 0; i < cpus; i++) {
            perCpu.add(null);
            recorders.add(null);
        }
    }

    /** The listener for one CPU (each CPU's model, on whatever thread runs it, writes only its own slot). */
    synchronized ProbeListener recorder(PerCpu cpu) {
        TraceRecorder r = new TraceRecorder(cpu, this);
        recorders.set(cpu.id, r);
        perCpu.set(cpu.id, r.events);
        return r;
    }

    /** After the run: closes what is still open at the window's end (or the run's), then each CPU's events. */
    public synchronized List<List<Event>> finish(long runEndNs) {
        long end = Math.min(toNs, runEndNs);
        for (TraceRecorder r : recorders) if (r != null) r.closeAll(end);
        List<List<Event>> out = new ArrayList<>();
        for (List<Event> e : perCpu) out.add(e == null ? List.of() : e);
        return out;
    }

    boolean inside(long t) { return t >= fromNs && t < toNs; }
}
