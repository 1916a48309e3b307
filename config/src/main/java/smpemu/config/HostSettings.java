package smpemu.config;

import java.util.List;

/**
 * The host under a KVM guest (smpemu.host, docs/kernel-model.md#steal): threads of the host that
 * share the pCPUs of some vCPUs, and the host scheduler's slice. A host task on a vCPU's pCPU
 * wakes every {@code interarrival} with {@code burst} of work; the host scheduler (EEVDF,
 * kernel/sched/fair.c) lets it run at most {@code baseSliceNs} at a time, then the vCPU gets one
 * slice back, until the burst is done. While it runs the vCPU is preempted (steal time).
 * Ignored when kernel.kvm.hints-realtime (dedicated pCPUs) is set.
 */
public record HostSettings(long baseSliceNs, List<HostTask> tasks) {

    /** One host thread family: on each CPU of {@code cpus}, its own arrivals and bursts. */
    public record HostTask(String name, int[] cpus, Dist interarrival, Dist burst) {}

    public boolean any() { return !tasks.isEmpty(); }
}
