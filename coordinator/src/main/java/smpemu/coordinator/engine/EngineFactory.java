package smpemu.coordinator.engine;

import smpemu.config.EngineKind;

/** The engine for {@code smpemu.engine.type}: the one place that maps the setting to a host. */
public final class EngineFactory {
    private EngineFactory() {}

    public static Engine of(EngineKind kind) {
        return of(kind, Runtime.getRuntime().availableProcessors());
    }

    /** An engine that uses at most {@code cores} threads for the simulation (the sequential one uses one). */
    public static Engine of(EngineKind kind, int cores) {
        return switch (kind) {
            case SEQUENTIAL -> new SequentialEngine();
            case ACTORS -> new ActorEngine(1, cores);
        };
    }
}
