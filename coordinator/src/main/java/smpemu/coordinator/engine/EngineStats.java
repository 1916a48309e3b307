package smpemu.coordinator.engine;

/** Wall-clock figures of one run: reported, never part of the digest. */
public record EngineStats(long events, long windows, long wallMs, long peakHeapBytes) {
    public double eventsPerSec() { return wallMs == 0 ? events * 1000.0 : events * 1000.0 / wallMs; }
}
