package smpemu.coordinator.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntConsumer;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.RunResult;

/**
 * Runs a sweep's points on {@code jobs} threads, one whole single-threaded simulation per point
 * at a time, and stores each result as soon as it is done. Points are independent: each has its
 * own model, engine and seed, so the order in which they finish changes nothing in them.
 */
public final class SweepRunner {
    private SweepRunner() {}

    /** A point to simulate with its validated settings. */
    public record Job(SweepPoint point, SimSettings settings) {}

    /** A point that could not be simulated, and why. */
    public record Failure(SweepPoint point, String message) {}

    public record Outcome(int ran, List<Failure> failures) {}

    /** {@code done} hears the number of points finished so far (for the progress bar). */
    public static Outcome run(List<Job> todo, int jobs, SweepFiles files, Function<SimSettings, RunResult> simulate,
                              IntConsumer done) {
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(jobs, todo.size())), r -> {
            Thread t = new Thread(r, "sweep-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        List<Failure> failures = new ArrayList<>();
        int ran = 0;
        try {
            CompletionService<JsonNode> cs = new ExecutorCompletionService<>(pool);
            List<java.util.concurrent.Future<JsonNode>> futures = new ArrayList<>();
            java.util.Map<java.util.concurrent.Future<JsonNode>, SweepPoint> pointOf = new java.util.HashMap<>();
            for (Job j : todo) {
                var f = cs.submit(() -> files.writeResult(j.point(), JsonReport.tree(simulate.apply(j.settings()), false)));
                futures.add(f);
                pointOf.put(f, j.point());
            }
            for (int i = 0; i < futures.size(); i++) {
                var f = cs.take();
                try {
                    f.get();
                    ran++;
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    failures.add(new Failure(pointOf.get(f), c.getMessage() != null ? c.getMessage() : c.toString()));
                }
                done.accept(i + 1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } finally {
            pool.shutdownNow();
        }
        failures.sort(java.util.Comparator.comparingInt(f -> f.point().id()));
        return new Outcome(ran, failures);
    }
}
