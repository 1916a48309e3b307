package smpemu.config;

/**
 * Presets of workload.irqs sources (docs/costs.md#irq-kinds): what the handler is, which sets
 * the default hard-IRQ handler time.
 * {@code device} is the generic source of before (default handler 2 us).
 */
public enum IrqKind {
    DEVICE(2_000), NIC(1_000), DISK(3_000), TIMER(1_000);

    /** Default hard-IRQ handler time in ns (docs/costs.md#irq-kinds: estimates). */
    public final long defaultHandlerNs;

    IrqKind(long defaultHandlerNs) { this.defaultHandlerNs = defaultHandlerNs; }
}
