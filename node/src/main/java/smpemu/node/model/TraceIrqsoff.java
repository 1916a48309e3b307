package smpemu.node.model;

/**
 * kernel/trace/trace_irqsoff.c: the latency tracer's bookkeeping of the section this CPU is in
 * (preemption or interrupts disabled, the preemptirqsoff view): when it started, in which task
 * and on which call path, and its recording when it ends. Interrupt handlers do not open a
 * section but extend one that is open, as the tracer's per-CPU "tracing_cpu" flag does.
 */
final class TraceIrqsoff {
    private final PerCpu cpu;
    private boolean tracing;
    private long start;
    private int task;
    private int path;

    TraceIrqsoff(PerCpu cpu) {
        this.cpu = cpu;
    }

    /** kernel/trace/trace_irqsoff.c: start_critical_timing() */
    void startCriticalTiming(int callPath, int taskId) {
        if (tracing) return;
        tracing = true;
        start = cpu.now;
        path = callPath;
        task = taskId;
        if (cpu.probe.sectionOpenedOn()) {
            cpu.probe.sectionOpened(cpu, callPath, taskId, cpu.preemptCount(), !cpu.irq.irqsEnabled());
        }
    }

    /** kernel/trace/trace_irqsoff.c: stop_critical_timing() */
    void stopCriticalTiming() {
        if (!tracing) return;
        tracing = false;
        cpu.stats.section(start, cpu.now, task, path);
        cpu.probe.sectionClosed(cpu, start, path, task);
    }

    /** The open section's innermost function changed (the call went on into csd_lock_wait). */
    void setCallPath(int callPath) { path = callPath; }
}
