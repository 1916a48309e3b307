package smpemu.coordinator.result;

import static smpemu.coordinator.result.Units.time;

import java.util.Locale;

/** The human-readable report of one run, as printed by {@code smpemu run}. */
public final class TextReport {
    private TextReport() {}

    private static final String ROW = "%5s  %10s %10s %10s  %7s  %13s%n";

    public static String render(RunResult r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT,
            "scenario %s | kernel %s%s | %s | engine %s | %d CPUs | simulated %s in %d windows of %s | seed %d%n%n",
            r.scenario(), r.kernel(), patches(r.patches()), Units.kernelConfig(r.origin()), r.engine(), r.cpusCount(),
            time(r.simDurationNs()), Units.windows(r), time(r.windowNs()), r.seed()));

        b.append(String.format(Locale.ROOT, "%7s%s%n", "", "longest preempt-off section per window"));
        b.append(String.format(Locale.ROOT, ROW, "cpu", "p50", "p99", "max", ">=1ms", "rt wakeup max"));
        for (RunResult.CpuResult c : r.cpus()) {
            // A CPU without RT wake-ups shows "-": a real wake-up never takes 0 ns.
            b.append(String.format(Locale.ROOT, ROW, c.cpu(), time(c.preemptoffP50Ns()), time(c.preemptoffP99Ns()),
                time(c.preemptoffMaxNs()), c.over1ms().total(), c.rtWakeups() == 0 ? "-" : time(c.rtWakeupMaxNs())));
        }

        RunResult.Summary s = r.summary();
        RunResult.Over1ms o = s.over1ms();
        b.append(String.format(Locale.ROOT,
            "%nsummary: preempt-off p50 %s, p99 %s (largest per CPU), max %s; sections 1-10ms %d, 10-50ms %d,"
                + " 50-100ms %d, >=100ms %d%n",
            time(s.preemptoffP50Ns()), time(s.preemptoffP99Ns()), time(s.preemptoffMaxNs()),
            o.ms1to10(), o.ms10to50(), o.ms50to100(), o.ms100plus()));
        b.append(String.format(Locale.ROOT,
            "         RT wake-ups %d: min %s, avg %s, p50 %s, p99 %s, max %s; IPIs sent %d, shootdowns %d,"
                + " csd_lock_wait max %s%n",
            s.rtWakeups(), time(s.rtWakeupMinNs()), time(s.rtWakeupAvgNs()), time(s.rtWakeupP50Ns()),
            time(s.rtWakeupP99Ns()), time(s.rtWakeupMaxNs()),
            s.ipisSent(), s.shootdowns(), time(s.csdLockWaitMaxNs())));
        if (s.shootdowns() > 0) {
            b.append(String.format(Locale.ROOT,
                "         shootdowns: initiator time p50 %s, p99 %s, max %s; pinned part p99 %s, max %s;"
                    + " %d cross-calls, %d CSD lock reports%n",
                time(s.flushTotalP50Ns()), time(s.flushTotalP99Ns()), time(s.flushTotalMaxNs()),
                time(s.flushPinnedP99Ns()), time(s.flushPinnedMaxNs()), s.crossCalls(), s.csdLockReports()));
        }
        RunResult.Counters k = r.counters();
        b.append(String.format(Locale.ROOT,
            "         %d sections, %d context switches, %d wake-ups, %d migrations, %d interrupts%n",
            k.sections(), k.contextSwitches(), k.wakeups(), k.migrations(), k.interrupts()));
        for (RunResult.LockStats l : r.locks()) {
            long n = Math.max(1, l.acquisitions());
            b.append(String.format(Locale.ROOT,
                "         lock %s (home cpu %d): %d acquisitions, %d contended; spin avg %s, max %s; hold avg %s, max %s%n",
                l.name(), l.home(), l.acquisitions(), l.contended(), time(l.spinTotalNs() / n), time(l.spinMaxNs()),
                time(l.holdTotalNs() / n), time(l.holdMaxNs())));
        }

        b.append(String.format(Locale.ROOT, "%nlongest sections:%n"));
        int taskWidth = r.longest().stream().mapToInt(x -> x.task().length()).max().orElse(4);
        for (RunResult.Section x : r.longest()) {
            b.append(String.format(Locale.ROOT, "  %10s  cpu %-4d at %-11s %-" + taskWidth + "s  %-12s %s%n",
                time(x.durationNs()), x.cpu(), time(x.startNs()), x.task(), x.kind(), String.join(" > ", x.path())));
            String blame = BlameLine.of(x);
            if (blame != null) b.append(String.format(Locale.ROOT, "  %10s  blame: %s%n", "", blame));
        }

        violations(b, "checker violations", r);
        for (RunResult.CsdLockReport c : r.csdLockReports()) {
            b.append(String.format(Locale.ROOT, "  csdlock_debug at %s: %s%n", time(c.timeNs()), c.message()));
        }

        b.append(String.format(Locale.ROOT, "%ndigest: %s%n", r.digest()));
        b.append(String.format(Locale.ROOT, "engine: %s%n", Units.engineLine(r.engineStats())));
        return b.toString();
    }

    /** The checkers' violations of a run, under {@code title}; nothing when none fired. */
    public static void violations(StringBuilder b, String title, RunResult r) {
        if (r.violations().isEmpty()) return;
        b.append(String.format(Locale.ROOT, "%n%s (%d):%n", title, r.torture().violations()));
        for (RunResult.Violation v : r.violations()) {
            b.append(String.format(Locale.ROOT, "  %s  cpu %d at %s  %s  %s%n", v.kind(), v.cpu(),
                time(v.timeNs()), v.task(), String.join(" > ", v.path())));
        }
    }

    private static String patches(int[] p) {
        return p.length == 0 ? "" : " (patches " + Units.patchList(p) + ")";
    }
}
