package smpemu.coordinator.engine;

/**
 * How far a running simulation has got, published by its engine for a progress line: simulated
 * time reached and events processed. Written by the engine's thread, read by the display's;
 * never part of the result.
 */
public final class RunProgress {
    /** For runs nobody watches. */
    public static final RunProgress IGNORED = new RunProgress();

    private volatile long simNs;
    private volatile long events;

    public void at(long simNs, long events) {
        this.simNs = simNs;
        this.events = events;
    }

    public long simNs() { return simNs; }

    public long events() { return events; }
}
