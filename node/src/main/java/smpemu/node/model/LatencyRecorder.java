package smpemu.node.model;

import java.util.ArrayList;
import java.util.List;

/**
 * One CPU's part of {@link LatencyRecording}: the open section's start (path and flags), and at
 * its close, if it ranks among this CPU's longest, the whole entry. Like the tracer's max
 * snapshot, only the winners are kept.
 */
final class LatencyRecorder implements ProbeListener {
    private final PerCpu cpu;
    private final int keep;
    final List<LatencyRecording.Section> kept = new ArrayList<>();
    private int openPath = -1;
    private LatencyRecording.Flags openFlags;

    LatencyRecorder(PerCpu cpu, int keep) {
        this.cpu = cpu;
        this.keep = keep;
    }

    private LatencyRecording.Flags flags() {
        return new LatencyRecording.Flags(!cpu.irq.irqsEnabled(), cpu.needResched, cpu.inIrq, cpu.taskPreemptCount() & 0xff);
    }

    @Override
    public void sectionOpened(PerCpu c, int path, int task, int preemptCount, boolean irqsOff) {
        openPath = path;
        openFlags = new LatencyRecording.Flags(irqsOff, cpu.needResched, cpu.inIrq, preemptCount & 0xff);
    }

    @Override
    public void sectionClosed(PerCpu c, long start, int path, int task) {
        long d = cpu.now - start;
        if (d <= 0 || openPath < 0) return; // CpuStats counts no empty section either
        if (kept.size() == keep && d <= kept.get(keep - 1).durationNs()) return;
        var paths = cpu.w.paths;
        LatencyRecording.Section s = new LatencyRecording.Section(cpu.id, start, d, task, cpu.trace.kind(),
            paths.path(openPath), path < 0 ? List.of() : paths.path(path), openFlags, flags());
        int i = 0;
        while (i < kept.size() && LatencyRecording.ORDER.compare(kept.get(i), s) <= 0) i++;
        kept.add(i, s);
        if (kept.size() > keep) kept.remove(keep);
    }
}
