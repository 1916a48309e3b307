package smpemu.config;

import java.util.List;

/**
 * A per-CPU device interrupt source (workload.irqs): on each CPU of {@code cpus}, interrupts
 * arrive with the given inter-arrival distribution and run a hard-IRQ handler for
 * {@code handler}. {@code wakes}, if not null, names a task instance the handler wakes;
 * the text {@code {cpu}} in it is replaced by the CPU number. {@code vcpuPreempted}: the
 * "handler" is the host preempting this vCPU; a KVM guest with PV TLB flush sees it preempted
 * and defers its flush to the next VM entry instead of waiting (docs/kernel-model.md#kvm-pv-flush).
 * {@code smi}: a System Management Interrupt; the CPU does not run for the "handler" time, whatever
 * its IRQ state, and the OS sees nothing (docs/kernel-model.md#smis). {@code kind}: what the
 * handler is (its default handler time, its name in blame chains); {@code softirq}, if not null,
 * the softirq the handler raises (docs/kernel-model.md#softirq).
 */
public record IrqSpec(String name, int[] cpus, Dist interarrival, Dist handler, String wakes,
                      List<String> path, boolean vcpuPreempted, boolean smi, IrqKind kind, SoftirqSpec softirq) {

    public String wakeTarget(int cpu) { return wakes == null ? null : wakes.replace("{cpu}", Integer.toString(cpu)); }
}
