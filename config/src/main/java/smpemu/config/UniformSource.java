package smpemu.config;

/** A source of uniform variates in [0, 1); implemented by the per-CPU and per-task generators. */
public interface UniformSource {
    double nextDouble();
}
