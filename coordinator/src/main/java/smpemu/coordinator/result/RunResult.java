package smpemu.coordinator.result;

import java.util.List;

/**
 * The result model of one run (docs/architecture.md#contract, schema v1). Every report format (text, JSON)
 * renders this one object; {@link #digest} covers the simulated figures only.
 */
public record RunResult(int schemaVersion, String scenario, String kernel, int[] patches, long seed,
                        String engine, int nodes, int cpusCount, long simDurationNs, long windowNs,
                        String digest, Summary summary, List<CpuResult> cpus,
                        List<Section> longest, List<CsdLockReport> csdLockReports,
                        List<Violation> violations, Torture torture, Hotplug hotplug, Counters counters,
                        EngineFigures engineStats, Origin origin, List<CpuDistributions> distributions,
                        List<PathStats> paths, List<LockStats> locks) {

    public static final int SCHEMA_VERSION = 1;
    /** Below this many windows per CPU, p50 and p99 of the window maxima are coarse (JSON coarse_percentiles). */
    public static final int FEW_WINDOWS = 20;

    /**
     * What the figures are of, outside the digest: the preemption model and HZ of the simulated
     * kernel, the SHA-256 of the effective configuration and that configuration (concise JSON).
     */
    public record Origin(String preemption, int hz, String tracer, String series, String configSha256, String configJson) {}

    /** Whether p50 and p99 over the window maxima are coarse: fewer than FEW_WINDOWS windows. */
    public boolean coarsePercentiles() { return Units.windows(this) < FEW_WINDOWS; }

    /** Counts of sections of 1-10 ms, 10-50 ms, 50-100 ms and >= 100 ms. */
    public record Over1ms(long ms1to10, long ms10to50, long ms50to100, long ms100plus) {
        public long total() { return ms1to10 + ms10to50 + ms50to100 + ms100plus; }
    }

    /**
     * {@code shootdowns}: TLB shootdowns that sent IPIs; {@code flushTotal*}: the initiator's
     * whole time per shootdown (pinned and preemptible parts); {@code flushPinned*}: the part
     * of it with preemption disabled; {@code csdLockWaitMaxNs}: the longest csd_lock_wait();
     * {@code csdLockReports}: "non-responsive CSD lock" reports (csdlock_debug).
     */
    public record Summary(long preemptoffP50Ns, long preemptoffP99Ns, long preemptoffMaxNs,
                          Over1ms over1ms, long rtWakeupP50Ns, long rtWakeupP99Ns,
                          long rtWakeupMaxNs, long rtWakeups, long shootdowns, long ipisSent,
                          long csdLockWaitMaxNs, long flushTotalP50Ns, long flushTotalP99Ns,
                          long flushTotalMaxNs, long flushPinnedP99Ns, long flushPinnedMaxNs,
                          long crossCalls, long csdLockReports, long rtWakeupMinNs, long rtWakeupAvgNs) {}

    /** {@code rtWakeups}: RT wake-ups on this CPU; 0 means rtWakeupMaxNs has no meaning. */
    /**
     * One distribution, outside the digest: exact count, minimum, sum and maximum, and every
     * value at 3 significant digits ({@code histogram}, null when count is 0).
     */
    public record Distribution(long count, long minNs, long sumNs, long maxNs, org.HdrHistogram.AbstractHistogram histogram) {
        public static final Distribution EMPTY = new Distribution(0, 0, 0, 0, null);

        /** The mean, truncated to a nanosecond. */
        public long avgNs() { return count == 0 ? 0 : sumNs / count; }
    }

    /**
     * The sections of one call path over all CPUs, outside the digest: count, total, longest and
     * the count per power-of-two bucket of ns ({@code log2[0]}: 0 ns, {@code log2[k]}: [2^(k-1), 2^k)).
     */
    /**
     * One named lock of workload.locks over all CPUs, outside the digest: acquisitions, those
     * that queued behind a holder, total and longest spin, total and longest hold.
     */
    public record LockStats(String name, int home, long acquisitions, long contended, long spinTotalNs,
                            long spinMaxNs, long holdTotalNs, long holdMaxNs) {}

    public record PathStats(List<String> path, long count, long totalNs, long maxNs, long[] log2) {}

    /** One CPU's sections (the run's tracer's view) and RT wake-up latencies. */
    public record CpuDistributions(int cpu, Distribution sections, Distribution rtWakeups) {}

    /** {@code stealNs}: steal time (the host ran something else on this vCPU's pCPU), outside the digest. */
    public record CpuResult(int cpu, long preemptoffP50Ns, long preemptoffP99Ns,
                            long preemptoffMaxNs, Over1ms over1ms, long rtWakeupMaxNs, long rtWakeups, long stealNs) {}

    /**
     * A section; {@code kind}: what it had disabled, {@code preempt}, {@code irqs} or {@code preempt+irqs};
     * {@code blame}: for a section that ended in csd_lock_wait, its cross-CPU cause, hop by hop
     * (empty otherwise, or when no cause was recorded). Blame is outside the digest.
     */
    public record Section(int cpu, long startNs, long durationNs, String task, List<String> path, String kind,
                          List<BlameHop> blame) {
        public Section(int cpu, long startNs, long durationNs, String task, List<String> path, String kind) {
            this(cpu, startNs, durationNs, task, path, kind, List.of());
        }
    }

    /**
     * One hop of a blame chain (smpemu.node.model.BlameChains): CPU {@code cpu} acknowledged last and
     * held it back by {@code what} (irqs-off, hardirq, host, context-switch, csd_lock_wait, or
     * acked: no cause recorded) on {@code path} from {@code sinceNs} (-1: unknown) for {@code durationNs}.
     */
    public record BlameHop(int cpu, String what, List<String> path, long sinceNs, long durationNs) {}

    /** A csdlock_debug "non-responsive CSD lock" report (docs/kernel-model.md#csd_lock_wait_toolong). */
    public record CsdLockReport(int cpu, long timeNs, String task, int targetCpu, long waitingNs) {
        /** The kernel's wording, paraphrased. */
        public String message() {
            return "Detected non-responsive CSD lock on CPU#" + cpu + ", waiting " + waitingNs
                + " ns for CPU#" + targetCpu;
        }
    }

    /** A checker finding (docs/kernel-model.md#unsafe-variants): what, where, when, who, on which path. */
    public record Violation(String kind, int cpu, long timeNs, String task, List<String> path) {}

    /**
     * scftorture counters: invocations per primitive (TortureSettings.Prim order), handler runs;
     * {@code series}: the same at each stat_interval (each row: the 8 counts, then handler runs).
     */
    public record Torture(long[] invoked, long handlerInvocations, long violations, List<long[]> series) {}

    /** CPU hotplug: operations ordered and done; stop_machine() time seen by the dying CPU. */
    public record Hotplug(long offlineAttempts, long offlineSuccesses, long onlineAttempts,
                          long onlineSuccesses, long stopMachineMinNs, long stopMachineMaxNs,
                          long singleOffline, long csdArrayFrees, long csdArrayAllocs) {}

    public record Counters(long sections, long contextSwitches, long wakeups, long migrations,
                           long interrupts) {}

    public record EngineFigures(long events, long windows, long wallMs, long eventsPerSec,
                                long peakHeapBytes) {}
}
