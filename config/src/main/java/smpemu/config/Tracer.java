package smpemu.config;

/**
 * The latency tracer whose view the sections are, after kernel/trace/trace_irqsoff.c
 * (docs/kernel-model.md#trace_irqsoff): preemptoff times preempt_count > 0 (preempt_disable,
 * spinlocks, local_bh_disable), not hard-IRQ entry; irqsoff times IRQs disabled, hard-IRQ
 * handlers included; preemptirqsoff the union.
 */
public enum Tracer {
    PREEMPTOFF, IRQSOFF, PREEMPTIRQSOFF;

    /** The tracer's name as ftrace spells it. */
    public String ftraceName() { return name().toLowerCase(java.util.Locale.ROOT); }

    public boolean preempt() { return this != IRQSOFF; }

    public boolean irqs() { return this != PREEMPTOFF; }
}
