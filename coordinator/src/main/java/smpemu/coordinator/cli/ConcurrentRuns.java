package smpemu.coordinator.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import smpemu.config.SimSettings;
import smpemu.coordinator.engine.EngineFactory;
import smpemu.coordinator.engine.HeapMeter;
import smpemu.coordinator.engine.RunOutcome;
import smpemu.coordinator.engine.RunProgress;
import smpemu.coordinator.result.ResultBuilder;
import smpemu.coordinator.result.RunResult;
import smpemu.node.model.ModelContext;

/**
 * Runs independent simulations side by side in this JVM, each on its share of the cores, and
 * returns their results in the order given. A simulation's result depends only on its
 * settings, never on what else runs, so only the engine figures (wall time, events/s, the
 * peak heap, which is the group's) can differ from running them one after the other.
 */
final class ConcurrentRuns {
    private ConcurrentRuns() {}

    static List<RunResult> simulate(List<SimSettings> runs) {
        List<RunResult> results = new ArrayList<>();
        for (RunOutcome o : outcomes(runs, RunProgress.IGNORED)) results.add(ResultBuilder.build(o));
        return results;
    }

    /** The engines' outcomes (per-CPU measurements too, for plots); {@code progress} follows the first run. */
    static List<RunOutcome> outcomes(List<SimSettings> runs, RunProgress progress) {
        int share = Math.max(1, Runtime.getRuntime().availableProcessors() / runs.size());
        if (runs.size() == 1) return List.of(run(runs.get(0), share, progress));
        AtomicInteger ids = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(runs.size(), r -> {
            Thread t = new Thread(r, "smpemu-run-" + ids.getAndIncrement());
            t.setDaemon(true); // a failed sibling must not keep the JVM alive
            return t;
        });
        HeapMeter.shared(true);
        try {
            List<Future<RunOutcome>> futures = new ArrayList<>();
            for (int i = 0; i < runs.size(); i++) {
                SimSettings s = runs.get(i);
                RunProgress p = i == 0 ? progress : RunProgress.IGNORED;
                futures.add(pool.submit(() -> run(s, share, p)));
            }
            List<RunOutcome> results = new ArrayList<>();
            for (Future<RunOutcome> f : futures) results.add(await(f)); // the first run's failure wins, as sequentially
            return results;
        } finally {
            pool.shutdownNow();
            HeapMeter.shared(false);
        }
    }

    private static RunOutcome run(SimSettings s, int share, RunProgress p) {
        return EngineFactory.of(s.engine().kind(), share).run(new ModelContext(s), p);
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the simulations ran", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) throw r;
            if (c instanceof Error err) throw err;
            throw new IllegalStateException(c);
        }
    }
}
