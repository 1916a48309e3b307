package smpemu.coordinator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import smpemu.coordinator.result.HistogramLayout;
import smpemu.coordinator.result.HistogramReports;
import smpemu.coordinator.result.RunResult;
import smpemu.coordinator.result.Units;

/** {@code --histogram FILE} and its layout, as rtla timerlat hist and cyclictest -h take them. */
final class HistogramOptions {
    @Option(names = "--histogram", paramLabel = "FILE",
        description = "Write per-CPU histograms of sections and RT wake-up latency to FILE (- = stdout).")
    String file;

    @Option(names = "--histogram-format", paramLabel = "rtla|cyclictest", defaultValue = "rtla",
        description = "Layout: rtla (rtla timerlat hist) or cyclictest (cyclictest -h, RT wake-ups only); default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--bucket-size", paramLabel = "N", defaultValue = "1",
        description = "Histogram bucket size in the unit (rtla -b; default: ${DEFAULT-VALUE}).")
    long bucketSize;

    @Option(names = "--entries", paramLabel = "N", defaultValue = "256",
        description = "Histogram buckets before over: (rtla -E, cyclictest -h N; default: ${DEFAULT-VALUE}).")
    int entries;

    @Option(names = "--histogram-unit", paramLabel = "us|ns", defaultValue = "us",
        description = "Unit of the rtla layout (rtla -n is ns; default: ${DEFAULT-VALUE}).")
    String unit;

    private static final int MAX_ENTRIES = 1_000_000;

    /** Bad layouts are usage errors, found before the run. */
    void validate(CommandLine cl, String json) {
        if (HistogramReports.of(format) == null) {
            throw new ParameterException(cl, "--histogram-format " + format + " is not one of " + String.join(", ", HistogramReports.names()));
        }
        if (bucketSize < 1) throw new ParameterException(cl, "--bucket-size must be >= 1, got " + bucketSize);
        if (entries < 1 || entries > MAX_ENTRIES) {
            throw new ParameterException(cl, "--entries must be 1.." + MAX_ENTRIES + ", got " + entries);
        }
        if (!unit.equals("us") && !unit.equals("ns")) throw new ParameterException(cl, "--histogram-unit is us or ns, got " + unit);
        if ("-".equals(file) && "-".equals(json)) {
            throw new ParameterException(cl, "--histogram - and --json - would share stdout: give one of them a file");
        }
    }

    boolean toStdout() { return "-".equals(file); }

    String render(RunResult r) {
        return HistogramReports.of(format).render(r, new HistogramLayout(unit.equals("ns") ? 1 : 1000, bucketSize, entries));
    }

    /** One run of a compare: a comment line naming it ("before", "after") and its kernel, then its histogram. */
    String render(String role, RunResult r) {
        return "# " + role + ": kernel " + r.kernel() + ", patches " + Units.patchList(r.patches()) + "\n" + render(r);
    }
}
