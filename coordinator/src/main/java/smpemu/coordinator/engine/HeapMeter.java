package smpemu.coordinator.engine;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * Peak heap use, from the JVM's memory pools (reset at the start of each run). Runs that share
 * the JVM at the same time cannot be told apart: while {@link #shared} is on, the runs' resets
 * are skipped and each reports the peak of the whole group since the group's reset.
 */
public final class HeapMeter {
    private HeapMeter() {}

    private static volatile boolean shared;

    public static void reset() {
        if (!shared) resetPools();
    }

    /** Starts (one reset for the whole group) or ends a group of concurrent runs. */
    public static void shared(boolean on) {
        if (on) resetPools();
        shared = on;
    }

    private static void resetPools() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) p.resetPeakUsage();
        }
    }

    public static long peak() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) sum += p.getPeakUsage().getUsed();
        }
        return sum;
    }
}
