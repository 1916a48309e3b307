package smpemu.coordinator.result;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import smpemu.config.Calibration;

/**
 * A compare pair measured against the scenario's calibration bands (docs/costs.md#calibration).
 * Each band reads one figure of one run; a per-CPU band holds when every CPU of it does, and its
 * row shows the range over those CPUs and, when it fails, the first CPU outside the band.
 */
public final class CalibrationCheck {
    /** One band and what the runs gave: lowest and highest value over its CPUs; {@code offCpu} -1 when it holds. */
    public record Row(Calibration.Target target, double low, double high, int offCpu, boolean holds) {}

    private CalibrationCheck() {}

    public static List<Row> check(Calibration c, RunResult before, RunResult after) {
        List<Row> rows = new ArrayList<>(c.targets().size());
        for (Calibration.Target t : c.targets()) {
            RunResult r = t.side() == Calibration.Side.BEFORE ? before : after;
            if (!t.figure().perCpu) {
                double v = single(t, r, before, after);
                rows.add(new Row(t, v, v, -1, t.holds(v)));
                continue;
            }
            double low = Double.POSITIVE_INFINITY, high = Double.NEGATIVE_INFINITY;
            int off = -1;
            for (int cpu : t.cpus()) {
                double v = perCpu(t.figure(), r, r.cpus().get(cpu));
                low = Math.min(low, v);
                high = Math.max(high, v);
                if (off < 0 && !t.holds(v)) off = cpu;
            }
            rows.add(new Row(t, low, high, off, off < 0));
        }
        return rows;
    }

    private static double perCpu(Calibration.Figure f, RunResult r, RunResult.CpuResult c) {
        return switch (f) {
            case P50 -> c.preemptoffP50Ns();
            case P99 -> c.preemptoffP99Ns();
            case OVER_1MS_PER_HOUR -> c.over1ms().total() * 3_600e9 / r.simDurationNs();
            case OVER_50MS -> c.over1ms().ms50to100() + c.over1ms().ms100plus();
            default -> throw new IllegalArgumentException(f + " is not per CPU");
        };
    }

    private static double single(Calibration.Target t, RunResult r, RunResult before, RunResult after) {
        return switch (t.figure()) {
            case WORST_P99 -> r.summary().preemptoffP99Ns();
            case REDUCTION_PCT -> CompareReport.reductionPct(before, after);
            case PATH_MAX -> {
                long max = 0;
                for (RunResult.PathStats p : r.paths()) {
                    for (String frame : p.path()) {
                        if (t.frames().contains(frame)) {
                            max = Math.max(max, p.maxNs());
                            break;
                        }
                    }
                }
                yield max;
            }
            default -> throw new IllegalArgumentException(t.figure() + " is per CPU");
        };
    }

    /** The text block compare prints after its tables; empty when the scenario has no calibration. */
    public static String render(Calibration c, List<Row> rows) {
        if (rows.isEmpty()) return "";
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"side", "figure", "cpus / frames", "band", "measured", ""});
        for (Row row : rows) {
            Calibration.Target t = row.target();
            String where = t.cpus() != null ? Units.cpuList(t.cpus()) : t.frames().isEmpty() ? "-" : String.join(",", t.frames());
            String measured = row.low() == row.high() ? value(t, row.low())
                : value(t, row.low()) + " - " + value(t, row.high());
            String verdict = row.holds() ? "holds" : row.offCpu() >= 0 ? "OFF at cpu" + row.offCpu() : "OFF";
            cells.add(new String[] {t.side().name().toLowerCase(Locale.ROOT), t.figure().spelling(), where, band(t), measured, verdict});
        }
        int[] width = new int[5];
        for (String[] r : cells) for (int i = 0; i < width.length; i++) width[i] = Math.max(width[i], r[i].length());
        long held = rows.stream().filter(Row::holds).count();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%ncalibration: %d of %d bands hold (%s)%n", held, rows.size(), c.source()));
        for (int k = 0; k < cells.size(); k++) {
            String[] r = cells.get(k);
            b.append(' ');
            for (int i = 0; i < width.length; i++) b.append(' ').append(r[i]).append(" ".repeat(width[i] - r[i].length() + 1));
            b.append(r[5].isEmpty() ? "" : ' ' + r[5]);
            b.append('\n');
            if (k > 0) b.append("    ").append(rows.get(k - 1).target().why()).append('\n');
        }
        return b.toString();
    }

    private static String band(Calibration.Target t) {
        if (Double.isNaN(t.min())) return "<= " + value(t, t.max());
        if (Double.isNaN(t.max())) return ">= " + value(t, t.min());
        return value(t, t.min()) + " - " + value(t, t.max());
    }

    private static String value(Calibration.Target t, double v) {
        if (t.figure().unit == Calibration.Unit.NS) return Units.time((long) v);
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }
}
