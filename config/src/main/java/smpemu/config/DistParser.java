package smpemu.config;

import static smpemu.config.ConfigReader.duration;
import static smpemu.config.ConfigReader.number;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.List;
import java.util.stream.Stream;

/**
 * Duration distributions: a duration string is a constant, an object {@code {dist = ...}} picks
 * one of the {@link Dist} shapes. Every duration inside is >= 0; parameters that would make a
 * shape degenerate (mean, median, scale, sigma, shape) must be > 0.
 */
final class DistParser {
    private DistParser() {}

    private enum Kind {
        CONSTANT("value"), UNIFORM("min", "max"), EXPONENTIAL("mean"), LOGNORMAL("median", "sigma", "cap"),
        PARETO("scale", "shape", "cap"), EMPIRICAL("values", "weights");

        final List<String> keys;

        Kind(String... keys) {
            this.keys = Stream.concat(Stream.of("dist"), Stream.of(keys)).toList();
        }
    }

    /**
     * The required distribution at {@code key}, or null after recording errors.
     * {@code positive}: a constant must be > 0 (e.g. an inter-arrival time, where 0 would be an
     * endless burst at one instant).
     */
    static Dist parse(ConfigReader r, String key, boolean positive) {
        ConfigValue v = r.value(key);
        if (v == null || v.valueType() != ConfigValueType.OBJECT) {
            Long ns = r.get(key, duration(positive));
            return ns == null ? null : new Dist.Constant(ns);
        }
        ConfigReader d = r.object(key);
        Kind kind = d.get("dist", ConfigReader.choice(Kind.class));
        if (kind == null) return null;
        d.checkKeys(kind.keys);
        int mark = d.mark();
        Dist dist = switch (kind) {
            case CONSTANT -> constant(d, positive);
            case UNIFORM -> uniform(d);
            case EXPONENTIAL -> exponential(d);
            case LOGNORMAL -> logNormal(d);
            case PARETO -> pareto(d);
            case EMPIRICAL -> empirical(d);
        };
        return d.cleanSince(mark) ? dist : null;
    }

    private static Dist constant(ConfigReader d, boolean positive) {
        Long value = d.get("value", duration(positive));
        return value == null ? null : new Dist.Constant(value);
    }

    private static Dist uniform(ConfigReader d) {
        Long min = d.get("min", duration(false));
        Long max = d.get("max", duration(false));
        if (min == null || max == null) return null;
        if (min > max) {
            d.reject("max", "is less than min " + ConfigReader.render(d.value("min")));
            return null;
        }
        return new Dist.Uniform(min, max);
    }

    private static Dist exponential(ConfigReader d) {
        Long mean = d.get("mean", duration(true));
        return mean == null ? null : new Dist.Exponential(mean);
    }

    private static Dist logNormal(ConfigReader d) {
        Long median = d.get("median", duration(true));
        Double sigma = d.get("sigma", number(false));
        Long cap = d.get("cap", duration(false), 0L);
        return median == null || sigma == null || cap == null ? null : new Dist.LogNormal(median, sigma, cap);
    }

    private static Dist pareto(ConfigReader d) {
        Long scale = d.get("scale", duration(true));
        Double shape = d.get("shape", number(false));
        Long cap = d.get("cap", duration(false), 0L);
        return scale == null || shape == null || cap == null ? null : new Dist.Pareto(scale, shape, cap);
    }

    private static Dist empirical(ConfigReader d) {
        List<Long> values = d.list("values", duration(false));
        List<Double> weights = d.list("weights", number(true));
        if (values == null || weights == null) return null;
        if (values.isEmpty()) {
            d.reject("values", "is empty (give at least one value)");
            return null;
        }
        if (weights.size() != values.size()) {
            d.reject("weights", "has size " + weights.size() + " but values has size " + values.size());
            return null;
        }
        double sum = weights.stream().mapToDouble(Double::doubleValue).sum();
        if (!(sum > 0) || Double.isInfinite(sum)) {
            d.reject("weights", "must have a positive, finite sum");
            return null;
        }
        long[] v = new long[values.size()];
        double[] cumulative = new double[values.size()];
        double running = 0;
        for (int i = 0; i < v.length; i++) {
            v[i] = values.get(i);
            running += weights.get(i);
            cumulative[i] = running / sum;
        }
        cumulative[v.length - 1] = 1.0; // rounding must not leave a gap just below 1
        return new Dist.Empirical(v, cumulative);
    }
}
