package smpemu.node.model;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * What one CPU measured: the preempt-off tracer (per-window maxima, sections of 1 ms and more,
 * the longest sections with their call paths), RT wake-up latency and event counters.
 * A section is attributed to the window in which it ends, as the tracer reports at the enable.
 */
public final class CpuStats {
    /** Upper bounds (exclusive) of the >= 1 ms buckets: 1-10, 10-50, 50-100 ms, >= 100 ms. */
    static final long[] BUCKET_LIMITS = {10_000_000L, 50_000_000L, 100_000_000L, Long.MAX_VALUE};
    static final long ONE_MS = 1_000_000L;

    public final int cpu;
    private final long windowNs;
    public final long[] windowMax;
    public final long[] over1ms = new long[4];
    private final int keep;
    /** Longest sections, longest first: start, duration, task id, path id. */
    public final long[] longStart;
    public final long[] longDur;
    public final int[] longTask;
    public final int[] longPath;
    /** What each kept section had disabled: TraceIrqsoff.PREEMPT and/or IRQS bits. */
    public final int[] longKind;
    public int longCount;

    /**
     * Blame records ({@link BlameRecorder}), outside the digest, read by {@link BlameChains}:
     * this CPU's longest pinned csd_lock_wait()s (rows of {@link #WAIT_ROW}: duration, task,
     * call start, wait start, wait end, the target whose unlock ended it (-1: unknown), call
     * path) and the waited-for CSDs it served latest after their arrival (rows of
     * {@link #CSD_ROW}: delay, sending CPU, waiting task, arrival, callback start, cause
     * (BlameRecorder.CAUSE_*), cause since, cause's path id, or for a wait of its own the task).
     */
    public final long[] blameWaits;
    public int blameWaitCount;
    public final long[] blameCsds;
    public int blameCsdCount;
    static final int WAIT_ROW = 7, CSD_ROW = 8;

    private Histogram rtLatency;
    public long rtMax;
    public long rtCount;

    /**
     * Distributions for the histogram reports, outside the digest: every section and every RT
     * wake-up latency at 3 significant digits (int counts, auto-resized to the largest value
     * seen: about 45 KiB for values up to a few ms), and the exact minimum and sum for the
     * reports' min and avg. rtMin/rtSum count the wake-ups rtCount counts.
     */
    private IntCountsHistogram sectionDist;
    public long sectionMin = Long.MAX_VALUE;
    public long sectionMax;
    public long sectionSum;
    private IntCountsHistogram rtDist;
    public long rtMin = Long.MAX_VALUE;
    public long rtSum;
    static final int DIST_DIGITS = 3;

    /**
     * Per call path id (the workload's PathTable), outside the digest: sections, their total and
     * longest, and their count per power-of-two bucket of ns (bucket 0: 0, bucket k: [2^(k-1),
     * 2^k)), as bpftrace's hist() draws them. Grown to the largest id seen; a few dozen paths.
     */
    public long[] pathCount = new long[0];
    public long[] pathTotal = new long[0];
    public long[] pathMax = new long[0];
    public long[][] pathLog2 = new long[0][];
    public static final int LOG2_BUCKETS = 65;

    private Histogram flushTotal;
    private Histogram flushPinned;
    public long csdWaitMax;
    /** Exact maxima (the histograms keep two significant digits). */
    public long flushTotalMax;
    public long flushPinnedMax;
    public long crossCalls;
    /** Cross-calls that returned on this CPU (a migrated waiter returns where it runs). */
    public long crossCallsDone;
    public long shootdowns;
    public long csdReports;
    /** The first "non-responsive CSD lock" reports: time, waiting task, target, waited ns. */
    public final java.util.List<long[]> csdReportEvents = new java.util.ArrayList<>();
    static final int MAX_REPORT_EVENTS = 100;

    /** scftorture: invocations per primitive (TortureSettings.Prim order), handler invocations. */
    public final long[] scfInvoked = new long[8];
    public long callbacks;
    /** scftorture's statistics at each stat_interval: the counters above, cumulative. */
    public final java.util.List<long[]> scfSeries = new java.util.ArrayList<>();

    void scfSample() {
        long[] row = java.util.Arrays.copyOf(scfInvoked, scfInvoked.length + 1);
        row[scfInvoked.length] = callbacks;
        scfSeries.add(row);
    }
    /** Checker violations: kind, time, task id, path id (the first few). */
    public final java.util.List<Object[]> violations = new java.util.ArrayList<>();
    public long violationCount;

    /** Hotplug: stop-machine durations seen by the dying CPU, CPUs brought back, -ENXIO singles. */
    public long offlined;
    public long onlined;
    public long stopMachineMin = Long.MAX_VALUE;
    public long stopMachineMax;
    public long singleOffline;
    /** smpcfd_dead_cpu() freeing the CSD array, smpcfd_prepare_cpu() allocating it again (no patch 5). */
    public long csdArrayFrees;
    public long csdArrayAllocs;

    /**
     * The named locks this CPU's tasks took (docs/kernel-model.md#qspinlock), outside the digest:
     * per lock index a row of {@link #LOCK_ROW}: acquisitions, those that queued behind a holder,
     * total and longest spin, total and longest hold. Null until a lock is taken here.
     */
    public long[] locks;
    public static final int LOCK_ROW = 6;

    public long sections;
    public long contextSwitches;
    public long wakeups;
    public long ipisSent;
    public long migrationsOut;
    public long interrupts;
    public long events;
    /** Steal time: ns this vCPU's pCPU ran the host instead (docs/kernel-model.md#steal). */
    public long stealNs;
    /** TLB flushes KVM did at a VM entry for flushes deferred while the vCPU was preempted (one per episode). */
    public long pvFlushesAtEntry;

    public CpuStats(int cpu, long durationNs, long windowNs, int keep) {
        this.cpu = cpu;
        this.windowNs = windowNs;
        this.windowMax = new long[(int) ((durationNs + windowNs - 1) / windowNs)];
        this.keep = keep;
        longStart = new long[keep];
        longDur = new long[keep];
        longTask = new int[keep];
        longPath = new int[keep];
        longKind = new int[keep];
        blameWaits = new long[keep * WAIT_ROW];
        blameCsds = new long[2 * keep * CSD_ROW];
    }

    void lockAcquired(int lock, int lockCount, long spinNs, boolean queued) {
        if (locks == null) locks = new long[lockCount * LOCK_ROW];
        int r = lock * LOCK_ROW;
        locks[r]++;
        if (queued) locks[r + 1]++;
        locks[r + 2] += spinNs;
        locks[r + 3] = Math.max(locks[r + 3], spinNs);
    }

    void lockReleased(int lock, long heldNs) {
        int r = lock * LOCK_ROW;
        locks[r + 4] += heldNs;
        locks[r + 5] = Math.max(locks[r + 5], heldNs);
    }

    void blameWait(long d, int task, long callStart, long waitStart, long waitEnd, int target, int path) {
        int at = KeptRows.insertAt(blameWaits, blameWaitCount, WAIT_ROW, d);
        if (at < 0) return;
        if (blameWaitCount < blameWaits.length / WAIT_ROW) blameWaitCount++;
        long[] r = blameWaits;
        r[at] = d;
        r[at + 1] = task;
        r[at + 2] = callStart;
        r[at + 3] = waitStart;
        r[at + 4] = waitEnd;
        r[at + 5] = target;
        r[at + 6] = path;
    }

    void blameCsd(long delay, int src, int task, long arrived, long taken, int cause, long since, int what) {
        int at = KeptRows.insertAt(blameCsds, blameCsdCount, CSD_ROW, delay);
        if (at < 0) return;
        if (blameCsdCount < blameCsds.length / CSD_ROW) blameCsdCount++;
        long[] r = blameCsds;
        r[at] = delay;
        r[at + 1] = src;
        r[at + 2] = task;
        r[at + 3] = arrived;
        r[at + 4] = taken;
        r[at + 5] = cause;
        r[at + 6] = since;
        r[at + 7] = what;
    }

    /** A section's kind bits (TraceIrqsoff.PREEMPT, IRQS) as the reports spell them. */
    public static String kindName(int kind) {
        return switch (kind) {
            case TraceIrqsoff.PREEMPT -> "preempt";
            case TraceIrqsoff.IRQS -> "irqs";
            default -> "preempt+irqs";
        };
    }

    void section(long start, long end, int task, int path, int kind) {
        long d = end - start;
        if (d <= 0) return;
        sections++;
        if (sectionDist == null) sectionDist = new IntCountsHistogram(DIST_DIGITS);
        sectionDist.recordValue(d);
        sectionMin = Math.min(sectionMin, d);
        sectionMax = Math.max(sectionMax, d);
        sectionSum += d;
        if (path >= 0) byPath(path, d);
        int w = (int) (end / windowNs);
        if (w < windowMax.length && d > windowMax[w]) windowMax[w] = d;
        if (d >= ONE_MS) {
            int b = 0;
            while (d >= BUCKET_LIMITS[b]) b++;
            over1ms[b]++;
        }
        keepLongest(start, d, task, path, kind);
    }

    private void byPath(int path, long d) {
        if (path >= pathCount.length) {
            int n = Math.max(path + 1, 2 * pathCount.length);
            pathCount = java.util.Arrays.copyOf(pathCount, n);
            pathTotal = java.util.Arrays.copyOf(pathTotal, n);
            pathMax = java.util.Arrays.copyOf(pathMax, n);
            pathLog2 = java.util.Arrays.copyOf(pathLog2, n);
        }
        pathCount[path]++;
        pathTotal[path] += d;
        if (d > pathMax[path]) pathMax[path] = d;
        long[] h = pathLog2[path];
        if (h == null) h = pathLog2[path] = new long[LOG2_BUCKETS];
        h[64 - Long.numberOfLeadingZeros(d)]++;
    }

    /** Insertion into a small sorted array: longest first, earlier start first on ties. */
    private void keepLongest(long start, long d, int task, int path, int kind) {
        int i = longCount;
        if (i == keep) {
            if (d <= longDur[keep - 1]) return;
            i = keep - 1;
        } else {
            longCount++;
        }
        while (i > 0 && longDur[i - 1] < d) {
            longStart[i] = longStart[i - 1];
            longDur[i] = longDur[i - 1];
            longTask[i] = longTask[i - 1];
            longPath[i] = longPath[i - 1];
            longKind[i] = longKind[i - 1];
            i--;
        }
        longStart[i] = start;
        longDur[i] = d;
        longTask[i] = task;
        longPath[i] = path;
        longKind[i] = kind;
    }

    void rtWakeup(long latency) {
        if (rtLatency == null) rtLatency = new Histogram(100_000_000_000L, 2);
        rtLatency.recordValue(Math.max(0, Math.min(latency, 100_000_000_000L)));
        rtMax = Math.max(rtMax, latency);
        rtCount++;
        long clamped = Math.max(0, latency);
        if (rtDist == null) rtDist = new IntCountsHistogram(DIST_DIGITS);
        rtDist.recordValue(clamped);
        rtMin = Math.min(rtMin, clamped);
        rtSum += clamped;
    }

    /** A TLB shootdown that sent IPIs ended: its whole time and its pinned part. */
    void shootdown(long total, long pinned) {
        if (flushTotal == null) {
            flushTotal = new Histogram(100_000_000_000L, 2);
            flushPinned = new Histogram(100_000_000_000L, 2);
        }
        shootdowns++;
        flushTotalMax = Math.max(flushTotalMax, total);
        flushPinnedMax = Math.max(flushPinnedMax, pinned);
        flushTotal.recordValue(Math.min(total, 100_000_000_000L));
        flushPinned.recordValue(Math.min(pinned, 100_000_000_000L));
    }

    void stopMachine(long took) {
        offlined++;
        stopMachineMin = Math.min(stopMachineMin, took);
        stopMachineMax = Math.max(stopMachineMax, took);
    }

    void violation(String kind, long at, int task, int path) {
        violationCount++;
        if (violations.size() < MAX_REPORT_EVENTS) violations.add(new Object[] {kind, at, task, path});
    }

    void csdReport(long at, int task, int target, long waited) {
        csdReports++;
        if (csdReportEvents.size() < MAX_REPORT_EVENTS) csdReportEvents.add(new long[] {at, task, target, waited});
    }

    public Histogram flushTotal() { return flushTotal; }

    public Histogram flushPinned() { return flushPinned; }

    /** Every section's length, 3 significant digits (null when none); outside the digest. */
    public AbstractHistogram sectionDistribution() { return sectionDist; }

    /** Every RT wake-up latency, 3 significant digits (null when none); outside the digest. */
    public AbstractHistogram rtDistribution() { return rtDist; }

    /** RT wake-up latencies seen on this CPU (null when none). */
    public Histogram rtLatency() { return rtLatency; }
}
