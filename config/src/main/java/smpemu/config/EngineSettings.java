package smpemu.config;

/** Engine choice and the actor engine's dispatcher tuning (0 parallelism = available cores). */
public record EngineSettings(EngineKind kind, int parallelism, int throughput) {}
