package smpemu.config;

import java.util.List;

/**
 * What a bundled scenario was calibrated to (the {@code smpemu.calibration} block): a source and
 * target bands on figures of a {@code compare} run. Bands are checked and reported, never fed back
 * into the model: a scenario's mechanisms produce the figures, the bands only say whether they
 * land where the source measured them. Empty {@code targets}: the scenario claims no calibration.
 */
public record Calibration(String source, List<Target> targets) {
    public static final Calibration NONE = new Calibration("", List.of());

    public boolean isEmpty() { return targets.isEmpty(); }

    /** Which run of the pair a target reads. */
    public enum Side { BEFORE, AFTER }

    /** How a figure's bounds are written: a duration (ns), or a plain number. */
    public enum Unit { NS, NUMBER }

    /**
     * A figure of a compare run. Per-CPU figures hold for every CPU of the target's {@code cpus};
     * the others are one number per run (or, for reduction-pct, per pair).
     */
    public enum Figure {
        /** Per CPU: p50 of the per-window longest sections. */
        P50(Unit.NS, true),
        /** Per CPU: p99 of the per-window longest sections. */
        P99(Unit.NS, true),
        /** Per CPU: sections of 1 ms or more per simulated hour. */
        OVER_1MS_PER_HOUR(Unit.NUMBER, true),
        /** Per CPU: count of sections of 50 ms or more. */
        OVER_50MS(Unit.NUMBER, true),
        /** The longest section whose call path holds one of the target's {@code frames}. */
        PATH_MAX(Unit.NS, false),
        /** The largest per-CPU p99. */
        WORST_P99(Unit.NS, false),
        /** How much the worst-CPU p99 fell from before to after, in percent (the side is ignored). */
        REDUCTION_PCT(Unit.NUMBER, false);

        public final Unit unit;
        public final boolean perCpu;

        Figure(Unit unit, boolean perCpu) {
            this.unit = unit;
            this.perCpu = perCpu;
        }

        public String spelling() { return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'); }
    }

    /**
     * One band: {@code min} and {@code max} in the figure's unit (ns or a number; NaN when open);
     * {@code cpus} for per-CPU figures; {@code frames} for path-max; {@code why} what it stands for.
     */
    public record Target(Side side, Figure figure, int[] cpus, List<String> frames, double min, double max, String why) {
        public boolean holds(double value) {
            return !(value < min) && !(value > max); // NaN bounds are open
        }
    }
}
