package smpemu.config;

import java.util.List;

/**
 * A per-CPU device interrupt source (workload.irqs): on each CPU of {@code cpus}, interrupts
 * arrive with the given inter-arrival distribution and run a hard-IRQ handler for
 * {@code handler}. {@code wakes}, if not null, names a task instance the handler wakes;
 * the text {@code {cpu}} in it is replaced by the CPU number.
 */
public record IrqSpec(String name, int[] cpus, Dist interarrival, Dist handler, String wakes,
                      List<String> path) {

    public String wakeTarget(int cpu) { return wakes == null ? null : wakes.replace("{cpu}", Integer.toString(cpu)); }
}
