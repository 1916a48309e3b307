package smpemu.protocol;

import smpemu.config.UniformSource;

/**
 * SplitMix64: a tiny generator whose whole state is one long, so a task can carry it when it
 * migrates (even across cluster nodes) and every draw stays the same whatever hosts it.
 */
public final class Rng implements UniformSource {
    private long state;

    public Rng(long state) { this.state = state; }

    /** A generator for entity {@code id} of kind {@code stream} (e.g. CPU or task) under {@code seed}. */
    public static Rng forEntity(long seed, long stream, long id) {
        return new Rng(mix(mix(seed ^ 0x5DEECE66DL) + stream * 0x9E3779B97F4A7C15L + id));
    }

    public long state() { return state; }

    /** Lets one generator object serve many tasks: load a task's state, draw, store it back. */
    public void setState(long s) { state = s; }

    public long nextLong() {
        state += 0x9E3779B97F4A7C15L;
        return mix(state);
    }

    @Override
    public double nextDouble() { return (nextLong() >>> 11) * 0x1.0p-53; }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
