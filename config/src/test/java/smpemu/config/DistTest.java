package smpemu.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sampling sanity over 10k draws from a deterministic source. */
class DistTest {

    private static final int DRAWS = 10_000;

    /** Additive recurrence with the golden ratio: deterministic and evenly spread over [0, 1). */
    private static UniformSource golden() {
        return new UniformSource() {
            private double x = 0;

            public double nextDouble() {
                x = (x + 0.6180339887498949) % 1.0;
                return x;
            }
        };
    }

    @Test
    void constantIsExact() {
        UniformSource u = golden();
        Dist d = new Dist.Constant(1234);
        for (int i = 0; i < DRAWS; i++) assertEquals(1234, d.sample(u));
    }

    @Test
    void uniformStaysWithinBounds() {
        UniformSource u = golden();
        Dist d = new Dist.Uniform(10_000, 20_000);
        long lo = Long.MAX_VALUE, hi = Long.MIN_VALUE;
        for (int i = 0; i < DRAWS; i++) {
            long x = d.sample(u);
            lo = Math.min(lo, x);
            hi = Math.max(hi, x);
        }
        assertTrue(lo >= 10_000 && hi <= 20_000, lo + ".." + hi);
        assertTrue(lo < 10_100 && hi > 19_900, "draws should cover the range: " + lo + ".." + hi);
    }

    @Test
    void empiricalPicksOnlyGivenValuesInProportion() {
        UniformSource u = golden();
        Dist d = new Dist.Empirical(new long[] {10, 20, 30}, new double[] {0.25, 1.0, 1.0});
        int tens = 0;
        for (int i = 0; i < DRAWS; i++) {
            long x = d.sample(u);
            assertTrue(Set.of(10L, 20L).contains(x), "drew " + x);
            if (x == 10) tens++;
        }
        assertEquals(0.25, tens / (double) DRAWS, 0.01);
    }

    @Test
    void noDrawIsBelowMinOrNegative() {
        List<Dist> dists = List.of(new Dist.Constant(5), new Dist.Uniform(3, 9), new Dist.Exponential(1_000),
            new Dist.LogNormal(100_000, 1.0, 50_000_000), new Dist.LogNormal(100_000, 2.0, 0),
            new Dist.Pareto(40_000, 1.5, 20_000_000), new Dist.Pareto(40_000, 0.5, 30_000),
            new Dist.Empirical(new long[] {7, 3}, new double[] {0.5, 1.0}));
        for (Dist d : dists) {
            UniformSource u = golden();
            for (int i = 0; i < DRAWS; i++) {
                long x = d.sample(u);
                assertTrue(x >= d.min() && x >= 0, d + " drew " + x + " below " + d.min());
            }
        }
    }

    @Test
    void capsAreRespected() {
        UniformSource u = golden();
        Dist logNormal = new Dist.LogNormal(100_000, 3.0, 1_000_000);
        Dist pareto = new Dist.Pareto(40_000, 0.3, 2_000_000);
        for (int i = 0; i < DRAWS; i++) {
            assertTrue(logNormal.sample(u) <= 1_000_000);
            assertTrue(pareto.sample(u) <= 2_000_000);
        }
    }
}
