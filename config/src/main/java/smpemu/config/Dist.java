package smpemu.config;

/**
 * A distribution of non-negative durations in nanoseconds. Pure math: the caller supplies the
 * uniform variates, so every draw comes from a generator owned by a CPU or a task.
 */
public sealed interface Dist {

    /** One draw, in ns, never negative. */
    long sample(UniformSource u);

    /** A lower bound of every draw (used to prove how early a task can next send a message). */
    long min();

    record Constant(long value) implements Dist {
        public long sample(UniformSource u) { return value; }
        public long min() { return value; }
    }

    record Uniform(long lo, long hi) implements Dist {
        public long sample(UniformSource u) { return lo + (long) (u.nextDouble() * (hi - lo)); }
        public long min() { return lo; }
    }

    record Exponential(long mean) implements Dist {
        public long sample(UniformSource u) { return (long) (-mean * StrictMath.log1p(-u.nextDouble())); }
        public long min() { return 0; }
    }

    /** Log-normal given by its median (e^mu) and sigma; optional cap (0 = none). */
    record LogNormal(long median, double sigma, long cap) implements Dist {
        public long sample(UniformSource u) {
            double z = Gaussian.inverseCdf(u.nextDouble());
            long v = (long) (median * StrictMath.exp(sigma * z));
            return cap > 0 ? Math.min(v, cap) : v;
        }
        public long min() { return 0; }
    }

    /** Pareto type I with scale x_m and shape alpha; optional cap (0 = none). */
    record Pareto(long scale, double shape, long cap) implements Dist {
        public long sample(UniformSource u) {
            double x = scale / StrictMath.pow(1.0 - u.nextDouble(), 1.0 / shape);
            long v = x >= Long.MAX_VALUE / 2.0 ? Long.MAX_VALUE / 2 : (long) x;
            return cap > 0 ? Math.min(v, cap) : v;
        }
        public long min() { return cap > 0 ? Math.min(scale, cap) : scale; }
    }

    /** Discrete values with weights; {@code cumulative} is the normalised running sum of weights. */
    record Empirical(long[] values, double[] cumulative) implements Dist {
        public long sample(UniformSource u) {
            double x = u.nextDouble();
            for (int i = 0; i < cumulative.length - 1; i++) {
                if (x < cumulative[i]) return values[i];
            }
            return values[values.length - 1];
        }
        public long min() {
            long m = Long.MAX_VALUE;
            for (long v : values) m = Math.min(m, v);
            return m;
        }
    }
}
