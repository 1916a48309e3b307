package smpemu.config;

/** Which host of the model runs the simulation. */
public enum EngineKind { ACTORS, SEQUENTIAL }
