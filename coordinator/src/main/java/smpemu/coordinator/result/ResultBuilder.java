package smpemu.coordinator.result;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;
import smpemu.config.SimSettings;
import smpemu.coordinator.engine.RunOutcome;
import smpemu.node.model.BlameChains;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Workload;

/** Turns an engine's raw per-CPU measurements into the result model, with its digest. */
public final class ResultBuilder {
    private ResultBuilder() {}

    public static RunResult build(RunOutcome o) {
        SimSettings s = o.context().settings;
        Workload w = o.context().workload;
        List<RunResult.CpuResult> cpus = new ArrayList<>();
        Histogram rtAll = new Histogram(100_000_000_000L, 2);
        Histogram flushTotal = new Histogram(100_000_000_000L, 2);
        Histogram flushPinned = new Histogram(100_000_000_000L, 2);
        long csdWaitMax = 0, crossCalls = 0, csdReports = 0, flushMax = 0, pinnedMax = 0;
        long p50 = 0, p99 = 0, max = 0, rtMax = 0;
        long[] over = new long[4];
        long sections = 0, switches = 0, wakeups = 0, migrations = 0, irqs = 0, ipis = 0;
        List<RunResult.Section> longest = new ArrayList<>();
        List<RunResult.CsdLockReport> reports = new ArrayList<>();
        List<RunResult.Violation> violations = new ArrayList<>();
        long[] invoked = new long[8];
        long callbacks = 0, violationCount = 0, offlined = 0, onlined = 0, ofl = 0, frees = 0, allocs = 0;
        long stopMin = Long.MAX_VALUE, stopMax = 0;
        long rtMin = Long.MAX_VALUE, rtSum = 0;
        List<RunResult.CpuDistributions> distributions = new ArrayList<>();
        BlameChains chains = new BlameChains(o.cpus(), w);
        for (CpuStats c : o.cpus()) {
            distributions.add(new RunResult.CpuDistributions(c.cpu,
                distribution(c.sections, c.sectionMin, c.sectionSum, c.sectionMax, c.sectionDistribution()),
                distribution(c.rtCount, c.rtMin, c.rtSum, c.rtMax, c.rtDistribution())));
            rtMin = Math.min(rtMin, c.rtMin);
            rtSum += c.rtSum;
            long cp50 = Percentiles.nearestRank(c.windowMax, 50);
            long cp99 = Percentiles.nearestRank(c.windowMax, 99);
            long cmax = 0;
            for (long v : c.windowMax) cmax = Math.max(cmax, v);
            cpus.add(new RunResult.CpuResult(c.cpu, cp50, cp99, cmax, over1ms(c.over1ms), c.rtMax, c.rtCount, c.stealNs));
            p50 = Math.max(p50, cp50);
            p99 = Math.max(p99, cp99);
            max = Math.max(max, cmax);
            rtMax = Math.max(rtMax, c.rtMax);
            for (int i = 0; i < 4; i++) over[i] += c.over1ms[i];
            if (c.rtLatency() != null) rtAll.add(c.rtLatency());
            if (c.flushTotal() != null) {
                flushTotal.add(c.flushTotal());
                flushPinned.add(c.flushPinned());
            }
            csdWaitMax = Math.max(csdWaitMax, c.csdWaitMax);
            flushMax = Math.max(flushMax, c.flushTotalMax);
            pinnedMax = Math.max(pinnedMax, c.flushPinnedMax);
            crossCalls += c.crossCalls;
            csdReports += c.csdReports;
            sections += c.sections;
            switches += c.contextSwitches;
            wakeups += c.wakeups;
            migrations += c.migrationsOut;
            irqs += c.interrupts;
            ipis += c.ipisSent;
            for (Object[] v : c.violations) {
                violations.add(new RunResult.Violation((String) v[0], c.cpu, (Long) v[1], taskName(w, (Integer) v[2]),
                    w.paths.path((Integer) v[3])));
            }
            for (int i = 0; i < invoked.length; i++) invoked[i] += c.scfInvoked[i];
            callbacks += c.callbacks;
            offlined += c.offlined;
            onlined += c.onlined;
            ofl += c.singleOffline;
            frees += c.csdArrayFrees;
            allocs += c.csdArrayAllocs;
            stopMin = Math.min(stopMin, c.stopMachineMin);
            stopMax = Math.max(stopMax, c.stopMachineMax);
            violationCount += c.violationCount;
            for (long[] e : c.csdReportEvents) {
                reports.add(new RunResult.CsdLockReport(c.cpu, e[0], w.name((int) e[1]), (int) e[2], e[3]));
            }
            for (int i = 0; i < c.longCount; i++) {
                List<String> path = w.paths.path(c.longPath[i]);
                longest.add(new RunResult.Section(c.cpu, c.longStart[i], c.longDur[i],
                    taskName(w, c.longTask[i]), path, CpuStats.kindName(c.longKind[i]),
                    blame(w, chains, c.cpu, c.longStart[i], c.longDur[i], c.longTask[i], path)));
            }
        }
        longest.sort(Comparator.comparingLong(RunResult.Section::durationNs).reversed()
            .thenComparingLong(RunResult.Section::startNs).thenComparingInt(RunResult.Section::cpu));
        if (longest.size() > s.longestSections()) longest = new ArrayList<>(longest.subList(0, s.longestSections()));
        long rtCount = rtAll.getTotalCount();
        RunResult.Summary summary = new RunResult.Summary(p50, p99, max, over1ms(over),
            rtCount == 0 ? 0 : rtAll.getValueAtPercentile(50), rtCount == 0 ? 0 : rtAll.getValueAtPercentile(99),
            rtMax, rtCount, flushTotal.getTotalCount(), ipis, csdWaitMax, pct(flushTotal, 50),
            pct(flushTotal, 99), flushMax, pct(flushPinned, 99), pinnedMax,
            crossCalls, csdReports, rtCount == 0 ? 0 : rtMin, rtCount == 0 ? 0 : rtSum / rtCount);
        RunResult.Counters counters = new RunResult.Counters(sections, switches, wakeups, migrations, irqs);
        violations.sort(java.util.Comparator.comparingLong(RunResult.Violation::timeNs)
            .thenComparingInt(RunResult.Violation::cpu));
        RunResult.Torture torture = new RunResult.Torture(invoked, callbacks, violationCount, scfSeries(o.cpus()));

        long[] attempts = smpemu.coordinator.sched.HotplugPlan.attempts(s);
        RunResult.Hotplug hotplug = new RunResult.Hotplug(attempts[0], offlined, attempts[1], onlined,
            offlined == 0 ? 0 : stopMin, stopMax, ofl, frees, allocs);
        String digest = digest(s, o.cpus(), summary, longest, counters, rtAll, torture, hotplug, violations);
        var es = o.engineStats();
        return new RunResult(RunResult.SCHEMA_VERSION, s.scenario(), s.kernel().variant(),
            s.kernel().effectivePatches(), s.seed(), o.engine(), o.nodes(), s.topology().cpus(),
            s.durationNs(), s.windowNs(), digest, summary, cpus, longest, reports, violations, torture, hotplug, counters,
            new RunResult.EngineFigures(es.events(), es.windows(), es.wallMs(),
                (long) es.eventsPerSec(), es.peakHeapBytes()), origin(s), distributions, paths(w, o.cpus()),
            locks(s, o.cpus()));
    }

    /** The named locks' figures, summed (maxima: the largest) over the CPUs that took them. */
    private static List<RunResult.LockStats> locks(SimSettings s, List<CpuStats> cpus) {
        List<smpemu.config.LockSpec> specs = s.locks().locks();
        List<RunResult.LockStats> out = new ArrayList<>(specs.size());
        for (int l = 0; l < specs.size(); l++) {
            long[] v = new long[CpuStats.LOCK_ROW];
            for (CpuStats c : cpus) {
                if (c.locks == null) continue;
                int r = l * CpuStats.LOCK_ROW;
                v[0] += c.locks[r];
                v[1] += c.locks[r + 1];
                v[2] += c.locks[r + 2];
                v[3] = Math.max(v[3], c.locks[r + 3]);
                v[4] += c.locks[r + 4];
                v[5] = Math.max(v[5], c.locks[r + 5]);
            }
            out.add(new RunResult.LockStats(specs.get(l).name(), specs.get(l).home(), v[0], v[1], v[2], v[3], v[4], v[5]));
        }
        return out;
    }

    /** The blame chain of a section that ended in csd_lock_wait (none for any other). */
    private static List<RunResult.BlameHop> blame(Workload w, BlameChains chains, int cpu, long start, long d, int task,
                                                  List<String> path) {
        if (path.isEmpty() || !path.get(path.size() - 1).equals("csd_lock_wait")) return List.of();
        List<RunResult.BlameHop> hops = new ArrayList<>();
        for (BlameChains.Hop h : chains.of(cpu, start, start + d, task)) {
            hops.add(new RunResult.BlameHop(h.cpu(), h.what(), h.path() < 0 ? List.of() : w.paths.path(h.path()),
                h.sinceNs(), h.durationNs()));
        }
        return hops;
    }

    /** Every call path that opened a section, summed over CPUs, longest first (then most frequent, then by name). */
    private static List<RunResult.PathStats> paths(Workload w, List<CpuStats> cpus) {
        int n = cpus.stream().mapToInt(c -> c.pathCount.length).max().orElse(0);
        List<RunResult.PathStats> paths = new ArrayList<>();
        for (int p = 0; p < n; p++) {
            long count = 0, total = 0, max = 0;
            long[] log2 = new long[CpuStats.LOG2_BUCKETS];
            for (CpuStats c : cpus) {
                if (p >= c.pathCount.length || c.pathCount[p] == 0) continue;
                count += c.pathCount[p];
                total += c.pathTotal[p];
                max = Math.max(max, c.pathMax[p]);
                for (int k = 0; k < log2.length; k++) log2[k] += c.pathLog2[p][k];
            }
            if (count > 0) paths.add(new RunResult.PathStats(w.paths.path(p), count, total, max, log2));
        }
        paths.sort(Comparator.comparingLong(RunResult.PathStats::maxNs).reversed()
            .thenComparing(Comparator.comparingLong(RunResult.PathStats::count).reversed())
            .thenComparing(x -> String.join(">", x.path())));
        return paths;
    }

    private static RunResult.Distribution distribution(long count, long min, long sum, long max,
                                                      org.HdrHistogram.AbstractHistogram h) {
        return count == 0 ? RunResult.Distribution.EMPTY : new RunResult.Distribution(count, min, sum, max, h);
    }

    private static RunResult.Origin origin(SimSettings s) {
        try {
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(s.effectiveConfig().getBytes(StandardCharsets.UTF_8)));
            return new RunResult.Origin(s.kernel().preemption().name().toLowerCase(java.util.Locale.ROOT),
                s.kernel().hz(), s.tracer().ftraceName(), s.kernel().series().name().toLowerCase(java.util.Locale.ROOT),
                sha, s.effectiveConfig());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    /** The machine's scftorture counters at each stat_interval (a CPU that saw no event since repeats its last row). */
    private static List<long[]> scfSeries(List<CpuStats> cpus) {
        int rows = cpus.stream().mapToInt(c -> c.scfSeries.size()).max().orElse(0);
        List<long[]> series = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            long[] sum = new long[9];
            for (CpuStats c : cpus) {
                if (c.scfSeries.isEmpty()) continue;
                long[] row = c.scfSeries.get(Math.min(i, c.scfSeries.size() - 1));
                for (int k = 0; k < sum.length; k++) sum[k] += row[k];
            }
            series.add(sum);
        }
        return series;
    }

    /** Task -1 is the kernel itself (a stopper, a handler): no task of the workload. */
    private static String taskName(Workload w, int task) {
        return task < 0 ? "-" : w.name(task);
    }

    private static long pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p);
    }

    private static RunResult.Over1ms over1ms(long[] b) {
        return new RunResult.Over1ms(b[0], b[1], b[2], b[3]);
    }

    /**
     * SHA-256 over a canonical encoding of everything simulated: per-CPU window maxima and
     * counters, the RT latency histogram, the longest sections. Engine and nodes are left out.
     */
    private static String digest(SimSettings s, List<CpuStats> cpus, RunResult.Summary summary,
                                 List<RunResult.Section> longest, RunResult.Counters counters,
                                 Histogram rt, RunResult.Torture torture, RunResult.Hotplug hotplug,
                                 List<RunResult.Violation> violations) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(64);
            put(md, b, s.seed(), s.topology().cpus(), s.durationNs(), s.windowNs());
            for (CpuStats c : cpus) {
                put(md, b, c.cpu, c.sections, c.contextSwitches, c.wakeups, c.ipisSent,
                    c.migrationsOut, c.interrupts, c.rtMax);
                put(md, b, c.rtCount);
                for (long v : c.windowMax) put(md, b, v);
                for (long v : c.over1ms) put(md, b, v);
            }
            for (HistogramIterationValue v : rt.recordedValues()) {
                put(md, b, v.getValueIteratedTo(), v.getCountAtValueIteratedTo());
            }
            for (RunResult.Section sec : longest) {
                put(md, b, sec.cpu(), sec.startNs(), sec.durationNs());
                md.update((sec.task() + "|" + String.join(">", sec.path()) + "|" + sec.kind()).getBytes(StandardCharsets.UTF_8));
            }
            put(md, b, summary.preemptoffP99Ns(), counters.sections(), summary.shootdowns(),
                summary.flushTotalMaxNs(), summary.flushPinnedMaxNs(), summary.csdLockWaitMaxNs(),
                summary.crossCalls(), summary.csdLockReports());
            put(md, b, torture.invoked());
            for (long[] row : torture.series()) {
                put(md, b, java.util.Arrays.copyOf(row, 8));
                put(md, b, row[8]);
            }
            put(md, b, torture.handlerInvocations(), torture.violations(), hotplug.offlineSuccesses(),
                hotplug.onlineSuccesses(), hotplug.stopMachineMinNs(), hotplug.stopMachineMaxNs(), hotplug.singleOffline());
            for (RunResult.Violation v : violations) { // what the checkers found is a simulated result too
                put(md, b, v.cpu(), v.timeNs());
                md.update((v.kind() + "|" + v.task()).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    private static void put(MessageDigest md, ByteBuffer b, long... values) {
        b.clear();
        for (long v : values) b.putLong(v);
        md.update(b.array(), 0, b.position());
    }
}
