package smpemu.config;

import java.util.List;

/**
 * The host under a KVM guest (smpemu.host, docs/kernel-model.md#steal): threads of the host that
 * share the pCPUs of some vCPUs, and the host scheduler's slice. A host task on a vCPU's pCPU
 * wakes every {@code interarrival}, and each of its {@code threads} then has a {@code burst} of
 * work; the host scheduler (EEVDF, kernel/sched/fair.c) runs each runnable thread at most
 * {@code baseSliceNs} in turn, then the vCPU gets one slice back, until the bursts are done. While it runs the vCPU is preempted (steal time).
 * Ignored when kernel.kvm.hints-realtime (dedicated pCPUs) is set.
 */
public record HostSettings(long baseSliceNs, List<HostTask> tasks) {

    /** Most threads one host task may wake at once on a pCPU. */
    public static final int MAX_THREADS = 64;

    /** One host task family: on each CPU of {@code cpus}, its own arrivals, waking {@code threads} threads with a burst each. */
    public record HostTask(String name, int[] cpus, Dist interarrival, Dist burst, int threads) {}

    public boolean any() { return !tasks.isEmpty(); }
}
