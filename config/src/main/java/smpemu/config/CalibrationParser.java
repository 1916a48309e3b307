package smpemu.config;

import static smpemu.config.ConfigReader.duration;

import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.List;

/** Reads {@code smpemu.calibration}: a source and its target bands (see {@link Calibration}). */
final class CalibrationParser {
    private static final List<String> TARGET_KEYS = List.of("side", "figure", "cpus", "frames", "min", "max", "why");

    private CalibrationParser() {}

    static Calibration parse(ConfigReader c, int cpus) {
        int mark = c.mark();
        // Empty is allowed here (no calibration), unlike ConfigReader.STRING.
        String source = c.get("source", v -> v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : ConfigReader.STRING.apply(v));
        List<ConfigReader> items = c.objects("targets");
        List<Calibration.Target> targets = new ArrayList<>();
        if (items != null) for (ConfigReader t : items) targets.add(target(t, cpus));
        if (!c.cleanSince(mark)) return null;
        if (!targets.isEmpty() && source.isBlank()) {
            c.error("source", "is empty: targets need a source that says what they were measured on");
            return null;
        }
        return new Calibration(source, List.copyOf(targets));
    }

    private static Calibration.Target target(ConfigReader t, int cpus) {
        int mark = t.mark();
        t.checkKeys(TARGET_KEYS);
        Calibration.Side side = t.get("side", ConfigReader.choice(Calibration.Side.class));
        Calibration.Figure figure = t.get("figure", ConfigReader.choice(Calibration.Figure.class));
        String why = t.get("why", ConfigReader.STRING);
        if (figure == null) return null;
        int[] onCpus = null;
        if (figure.perCpu) {
            onCpus = t.get("cpus", CpuListParser.cpuList(cpus));
        } else if (t.has("cpus")) {
            t.reject("cpus", "is only for per-CPU figures (p50, p99, over-1ms-per-hour, over-50ms), not " + figure.spelling());
        }
        List<String> frames = List.of();
        if (figure == Calibration.Figure.PATH_MAX) {
            frames = t.list("frames", ConfigReader.NAME);
            if (frames != null && frames.isEmpty()) t.reject("frames", "is empty: name the functions whose paths count");
        } else if (t.has("frames")) {
            t.reject("frames", "is only for path-max, not " + figure.spelling());
        }
        if (!t.has("min") && !t.has("max")) t.error("min", "missing: a target needs min, max or both");
        double min = bound(t, "min", figure.unit), max = bound(t, "max", figure.unit);
        if (min > max) t.reject("min", "is above max");
        if (!t.cleanSince(mark)) return null;
        return new Calibration.Target(side, figure, onCpus, frames, min, max, why);
    }

    /** A bound in the figure's unit; NaN when absent (open). */
    private static double bound(ConfigReader t, String key, Calibration.Unit unit) {
        if (!t.has(key)) return Double.NaN;
        Double d;
        if (unit == Calibration.Unit.NS) {
            Long ns = t.get(key, duration(false));
            d = ns == null ? null : (double) ns;
        } else {
            d = t.get(key, ConfigReader.FINITE); // a reduction can be negative
        }
        return d == null ? Double.NaN : d;
    }
}
