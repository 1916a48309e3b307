package smpemu.coordinator.result;

import static smpemu.coordinator.result.Units.grouped;
import static smpemu.coordinator.result.Units.ns;
import static smpemu.coordinator.result.Units.nsAndTime;
import static smpemu.coordinator.result.Units.time;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * The text report of {@code smpemu compare}: two runs of one scenario and seed, "before" (the
 * first kernel, normally baseline) and "after" (normally patched), in the tables of the
 * series' cover letter (docs/architecture.md#measurement).
 */
public final class CompareReport {
    private CompareReport() {}

    private static final String GAP = "   ";

    /**
     * {@code 100 * (1 - after / before)} of the summary preempt-off p99 (the worst CPU's p99 of
     * the window maxima); 0 when before is 0. Negative when the after kernel is worse.
     */
    public static double reductionPct(RunResult before, RunResult after) {
        long b = before.summary().preemptoffP99Ns();
        return b == 0 ? 0.0 : 100.0 * (1.0 - (double) after.summary().preemptoffP99Ns() / b);
    }

    /**
     * The report; {@code beforeName} and {@code afterName} are the kernels as the user named them
     * ({@code baseline+2+3}, {@code patched-7}, ...), shown next to the variant and patches they ran.
     */
    public static String render(String beforeName, RunResult before, String afterName, RunResult after) {
        if (before.cpus().size() != after.cpus().size()) {
            throw new IllegalArgumentException("the two runs simulated different CPU counts: "
                + before.cpus().size() + " and " + after.cpus().size());
        }
        StringBuilder b = new StringBuilder();
        header(b, beforeName, before, afterName, after);
        perCpu(b, before, after);
        buckets(b, before, after);
        summary(b, before, after);
        rtWakeups(b, before.summary(), after.summary());
        shootdowns(b, before.summary(), after.summary());
        longest(b, "before", before);
        longest(b, "after", after);
        TextReport.violations(b, "checker violations before (" + beforeName + ")", before);
        TextReport.violations(b, "checker violations after (" + afterName + ")", after);
        b.append(String.format(Locale.ROOT, "%ndigest before: %s%ndigest after:  %s%n", before.digest(), after.digest()));
        b.append(String.format(Locale.ROOT, "engine before: %s%nengine after:  %s%n",
            Units.engineLine(before.engineStats()), Units.engineLine(after.engineStats())));
        return b.toString();
    }

    private static void header(StringBuilder b, String beforeName, RunResult before, String afterName, RunResult after) {
        b.append(String.format(Locale.ROOT,
            "compare: scenario %s | %d CPUs | simulated %s in %d windows of %s | seed %d | engine %s | %s%n",
            before.scenario(), before.cpusCount(), time(before.simDurationNs()), Units.windows(before),
            time(before.windowNs()), before.seed(), before.engine(), Units.kernelConfig(before.origin())));
        kernelLine(b, "before: ", beforeName, before);
        kernelLine(b, "after:  ", afterName, after);
    }

    /** "before: kernel baseline, patches 2,3 (baseline+2+3)": the name only when it is not the variant's. */
    private static void kernelLine(StringBuilder b, String label, String name, RunResult r) {
        b.append(String.format(Locale.ROOT, "  %skernel %s, patches %s%s%n", label, r.kernel(), Units.patchList(r.patches()),
            name.equals(r.kernel()) ? "" : " (" + name + ")"));
    }

    /** The cover letter's table: per CPU, p50 and p99 over windows of the window's longest section. */
    private static void perCpu(StringBuilder b, RunResult before, RunResult after) {
        b.append(String.format(Locale.ROOT, "%nlongest preempt-off section per %s window, per CPU (ns)%n", time(before.windowNs())));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"cpu", "before p50", "before p99", "after p50", "after p99"});
        for (int i = 0; i < before.cpus().size(); i++) {
            RunResult.CpuResult x = before.cpus().get(i), y = after.cpus().get(i);
            rows.add(new String[] {"cpu" + x.cpu(), grouped(x.preemptoffP50Ns()), grouped(x.preemptoffP99Ns()),
                grouped(y.preemptoffP50Ns()), grouped(y.preemptoffP99Ns())});
        }
        table(b, "  ", rows, 1);
    }

    /** Sections >= 1 ms per CPU, each cell "before / after". */
    private static void buckets(StringBuilder b, RunResult before, RunResult after) {
        b.append(String.format(Locale.ROOT, "%npreempt-off sections >= 1 ms per CPU (before / after)%n"));
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"cpu", "1-10ms", "10-50ms", "50-100ms", ">=100ms"});
        for (int i = 0; i < before.cpus().size(); i++) {
            rows.add(bucketRow("cpu" + before.cpus().get(i).cpu(), before.cpus().get(i).over1ms(), after.cpus().get(i).over1ms()));
        }
        rows.add(bucketRow("all", before.summary().over1ms(), after.summary().over1ms()));
        table(b, "  ", rows, 1);
    }

    private static String[] bucketRow(String label, RunResult.Over1ms x, RunResult.Over1ms y) {
        return new String[] {label, pair(x.ms1to10(), y.ms1to10()), pair(x.ms10to50(), y.ms10to50()),
            pair(x.ms50to100(), y.ms50to100()), pair(x.ms100plus(), y.ms100plus())};
    }

    private static String pair(long x, long y) { return grouped(x) + " / " + grouped(y); }

    private static void summary(StringBuilder b, RunResult before, RunResult after) {
        RunResult.Summary x = before.summary(), y = after.summary();
        b.append(String.format(Locale.ROOT, "%npreempt-off p99 (worst CPU): before %s, after %s, reduced by %.1f%%%n",
            nsAndTime(x.preemptoffP99Ns()), nsAndTime(y.preemptoffP99Ns()), reductionPct(before, after)));
        b.append(String.format(Locale.ROOT, "preempt-off p50 (worst CPU): before %s, after %s%n",
            nsAndTime(x.preemptoffP50Ns()), nsAndTime(y.preemptoffP50Ns())));
        b.append(String.format(Locale.ROOT, "longest section:             before %s, after %s%n",
            nsAndTime(x.preemptoffMaxNs()), nsAndTime(y.preemptoffMaxNs())));
    }

    private static void rtWakeups(StringBuilder b, RunResult.Summary x, RunResult.Summary y) {
        b.append(System.lineSeparator());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"RT wake-up latency", "before", "after"});
        rows.add(counts("wake-ups", x, y, RunResult.Summary::rtWakeups));
        rows.add(times("min", x, y, RunResult.Summary::rtWakeupMinNs));
        rows.add(times("avg", x, y, RunResult.Summary::rtWakeupAvgNs));
        rows.add(times("p50", x, y, RunResult.Summary::rtWakeupP50Ns));
        rows.add(times("p99", x, y, RunResult.Summary::rtWakeupP99Ns));
        rows.add(times("max", x, y, RunResult.Summary::rtWakeupMaxNs));
        table(b, "", rows, 1);
    }

    private static void shootdowns(StringBuilder b, RunResult.Summary x, RunResult.Summary y) {
        b.append(System.lineSeparator());
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TLB shootdowns", "before", "after"});
        rows.add(counts("shootdowns", x, y, RunResult.Summary::shootdowns));
        boolean any = x.shootdowns() > 0 || y.shootdowns() > 0;
        if (any) {
            rows.add(times("initiator time per shootdown p50", x, y, RunResult.Summary::flushTotalP50Ns));
            rows.add(times("initiator time per shootdown p99", x, y, RunResult.Summary::flushTotalP99Ns));
            rows.add(times("initiator time per shootdown max", x, y, RunResult.Summary::flushTotalMaxNs));
            rows.add(times("  of it pinned (preempt-off) p99", x, y, RunResult.Summary::flushPinnedP99Ns));
            rows.add(times("  of it pinned (preempt-off) max", x, y, RunResult.Summary::flushPinnedMaxNs));
        }
        rows.add(times("csd_lock_wait max", x, y, RunResult.Summary::csdLockWaitMaxNs));
        rows.add(counts("cross-calls", x, y, RunResult.Summary::crossCalls));
        rows.add(counts("IPIs sent", x, y, RunResult.Summary::ipisSent));
        rows.add(counts("CSD lock reports", x, y, RunResult.Summary::csdLockReports));
        table(b, "", rows, 1);
        if (any) {
            b.append(String.format(Locale.ROOT,
                "  after/before: initiator time p99 %s, pinned part p99 %s. The series lets the initiator be%n"
                    + "  preempted while it waits for the other CPUs; it still waits for them, so its total time%n"
                    + "  per shootdown does not fall, only the part with preemption disabled does.%n",
                ratio(y.flushTotalP99Ns(), x.flushTotalP99Ns()), ratio(y.flushPinnedP99Ns(), x.flushPinnedP99Ns())));
        }
    }

    private static String ratio(long after, long before) {
        return before == 0 ? "n/a" : String.format(Locale.ROOT, "%.2fx", (double) after / before);
    }

    private static String[] counts(String label, RunResult.Summary x, RunResult.Summary y, ToLongFunction<RunResult.Summary> f) {
        return new String[] {"  " + label, grouped(f.applyAsLong(x)), grouped(f.applyAsLong(y))};
    }

    private static String[] times(String label, RunResult.Summary x, RunResult.Summary y, ToLongFunction<RunResult.Summary> f) {
        return new String[] {"  " + label, nsAndTime(f.applyAsLong(x)), nsAndTime(f.applyAsLong(y))};
    }

    private static final int TOP = 5;

    private static void longest(StringBuilder b, String which, RunResult r) {
        b.append(String.format(Locale.ROOT, "%nlongest sections, %s (%s):%n", which, r.kernel()));
        List<RunResult.Section> top = r.longest().subList(0, Math.min(TOP, r.longest().size()));
        if (top.isEmpty()) {
            b.append(String.format(Locale.ROOT, "  none%n"));
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (RunResult.Section s : top) {
            rows.add(new String[] {ns(s.durationNs()), "(" + time(s.durationNs()) + ")", "cpu" + s.cpu(), s.task(),
                s.kind(), String.join(" > ", s.path())});
        }
        // Durations right-aligned, the rest left-aligned; the path is last and not padded.
        int[] w = widths(rows);
        for (int i = 0; i < rows.size(); i++) {
            String[] row = rows.get(i);
            StringBuilder line = new StringBuilder("  ").append(pad(row[0], w[0], false));
            for (int c = 1; c < row.length; c++) {
                line.append(c == 1 ? " " : GAP).append(c == row.length - 1 ? row[c] : pad(row[c], w[c], true));
            }
            b.append(line).append(System.lineSeparator());
            String blame = BlameLine.of(top.get(i));
            if (blame != null) b.append(String.format(Locale.ROOT, "    blame: %s%n", blame));
        }
    }

    /**
     * Renders rows (the first one the header) in aligned columns after {@code indent}: the
     * first {@code leftCols} columns left-aligned (labels), the others right-aligned (numbers).
     */
    private static void table(StringBuilder b, String indent, List<String[]> rows, int leftCols) {
        int[] w = widths(rows);
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < row.length; c++) {
                if (c > 0) line.append(GAP);
                line.append(pad(row[c], w[c], c < leftCols));
            }
            b.append(line.toString().stripTrailing()).append(System.lineSeparator());
        }
    }

    private static int[] widths(List<String[]> rows) {
        int[] w = new int[rows.get(0).length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) w[c] = Math.max(w[c], row[c].length());
        }
        return w;
    }

    private static String pad(String s, int width, boolean left) {
        String fill = " ".repeat(Math.max(0, width - s.length()));
        return left ? s + fill : fill + s;
    }
}
