package smpemu.node.model;

import smpemu.config.Tracer;

/**
 * kernel/trace/trace_irqsoff.c on this CPU: the preemptoff, irqsoff and preemptirqsoff tracers'
 * bookkeeping of the stretch this CPU is in. Two hooks feed it, as in the kernel:
 * trace_preempt_off()/on() when the task's preempt_count leaves or returns to zero
 * (preempt_disable, spinlocks, local_bh_disable; not hard-IRQ entry) and
 * trace_hardirqs_off()/on() when interrupts are disabled or enabled (hard-IRQ handlers
 * included). The configured tracer records a section from the first of its hooks to go off until
 * all of its hooks are on again; the section says which kinds it saw (kind bits
 * {@link #PREEMPT} and {@link #IRQS}).
 */
final class TraceIrqsoff {
    static final int PREEMPT = 1, IRQS = 2;

    private final PerCpu cpu;
    /** The hooks the configured tracer listens to. */
    private final int traced;
    /** The hooks that are off now (preemption disabled, IRQs disabled). */
    private int off;
    private boolean tracing;
    private long start;
    private int task;
    private int path;
    private int kind;

    TraceIrqsoff(PerCpu cpu) {
        this.cpu = cpu;
        Tracer t = cpu.ctx.settings.tracer();
        this.traced = (t.preempt() ? PREEMPT : 0) | (t.irqs() ? IRQS : 0);
    }

    /** kernel/trace/trace_irqsoff.c: tracer_preempt_off(): preempt_count left zero (a section on {@code callPath}). */
    void tracerPreemptOff(int callPath, int taskId) { startCriticalTiming(PREEMPT, callPath, taskId); }

    /** kernel/trace/trace_irqsoff.c: tracer_preempt_on(): preempt_count is back at zero. */
    void tracerPreemptOn() { stopCriticalTiming(PREEMPT); }

    /** kernel/trace/trace_irqsoff.c: tracer_hardirqs_off(): interrupts disabled (or a hard-IRQ handler entered). */
    void tracerHardirqsOff(int callPath, int taskId) { startCriticalTiming(IRQS, callPath, taskId); }

    /** kernel/trace/trace_irqsoff.c: tracer_hardirqs_on(): interrupts enabled again. */
    void tracerHardirqsOn() { stopCriticalTiming(IRQS); }

    /**
     * __do_softirq()'s start on IRQ exit (or at local_bh_enable()): the BH count goes up
     * (tracer_preempt_off() when {@code preemptOff}, the count having been zero) and IRQs come on,
     * at one instant. preemptirqsoff's section of the handler goes on into the softirq; irqsoff's
     * ends there; preemptoff's opens there.
     */
    void tracerSoftirqEntry(boolean preemptOff, int callPath, int taskId) {
        if (preemptOff && tracing && (traced & PREEMPT) != 0) {
            startCriticalTiming(PREEMPT, callPath, taskId);
            stopCriticalTiming(IRQS);
        } else {
            stopCriticalTiming(IRQS);
            if (preemptOff) startCriticalTiming(PREEMPT, callPath, taskId);
        }
    }

    /** kernel/trace/trace_irqsoff.c: start_critical_timing(): the first traced hook to go off opens the section. */
    private void startCriticalTiming(int hook, int callPath, int taskId) {
        if ((off & hook) != 0) return;
        off |= hook;
        if (hook == IRQS) cpu.probe.hardirqsOff(cpu, callPath, taskId);
        if (tracing) { // already in a section: it now covers this kind too
            kind |= hook;
            return;
        }
        if ((traced & hook) == 0) return;
        tracing = true;
        start = cpu.now;
        path = callPath;
        task = taskId;
        kind = off;
        if (cpu.probe.sectionOpenedOn()) {
            cpu.probe.sectionOpened(cpu, callPath, taskId, cpu.preemptCount(), !cpu.irq.irqsEnabled());
        }
    }

    /** kernel/trace/trace_irqsoff.c: stop_critical_timing(): the section ends when no traced hook is off. */
    private void stopCriticalTiming(int hook) {
        if ((off & hook) == 0) return;
        off &= ~hook;
        if (hook == IRQS) cpu.probe.hardirqsOn(cpu);
        if (!tracing || (off & traced) != 0) return;
        tracing = false;
        cpu.stats.section(start, cpu.now, task, path, kind);
        cpu.probe.sectionClosed(cpu, start, path, task);
    }

    /** The kinds the last (or open) section covers, for listeners of sectionClosed. */
    int kind() { return kind; }

    /** The open section's innermost function changed (the call went on into csd_lock_wait). */
    void setCallPath(int callPath) { path = callPath; }
}
