package smpemu.coordinator.cli;

import java.io.PrintWriter;
import java.util.Locale;
import smpemu.coordinator.engine.RunProgress;

/**
 * The progress line of one simulation: simulated time against the run's duration (the bar's
 * percentage and ETA), and events per second, read from the engine's {@link RunProgress} twice a
 * second on a daemon thread. Under {@code auto} it appears only once the run has taken 2 s, so
 * short runs print nothing.
 */
final class RunProgressLine implements AutoCloseable {
    private static final long SHOW_AFTER_MS = 2_000, EVERY_MS = 500;
    private final Thread thread;

    private RunProgressLine(Thread thread) { this.thread = thread; }

    static RunProgressLine start(Progress.Mode mode, PrintWriter err, String task, long durationNs, RunProgress p) {
        if (mode == Progress.Mode.NEVER) return new RunProgressLine(null);
        Thread t = new Thread(() -> {
            long start = System.nanoTime();
            try {
                if (mode == Progress.Mode.AUTO) Thread.sleep(SHOW_AFTER_MS);
            } catch (InterruptedException e) {
                return; // finished before the line was worth showing
            }
            try (Progress bar = Progress.open(mode, err, task, Math.max(1, durationNs / 1_000_000), "ms simulated")) {
                if (!bar.enabled()) return;
                // Thread.interrupted() clears the flag: the bar's close must not see it, or it skips its last line.
                while (!Thread.interrupted()) {
                    double wall = (System.nanoTime() - start) / 1e9;
                    bar.stepTo(p.simNs() / 1_000_000);
                    bar.message(String.format(Locale.ROOT, "%,.0f events/s", p.events() / Math.max(wall, 1e-9)));
                    try {
                        Thread.sleep(EVERY_MS);
                    } catch (InterruptedException e) {
                        break;
                    }
                }
                bar.stepTo(Math.max(1, durationNs / 1_000_000));
            }
        }, "progress");
        t.setDaemon(true);
        t.start();
        return new RunProgressLine(t);
    }

    @Override
    public void close() {
        if (thread == null) return;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
