package smpemu.config;

/**
 * What a hard-IRQ handler leaves to its softirq (workload.irqs[i].softirq): it raises
 * {@code vector} with {@code units} units of work of {@code work} each (for NET_RX: packets and
 * the per-packet cost of the driver's poll and the stack; the per-unit cost is drawn once per
 * interrupt). Only NET_RX counts units against a budget (net.core.netdev_budget).
 */
public record SoftirqSpec(SoftirqVector vector, Dist work, int units) {}
