package smpemu.coordinator.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import smpemu.coordinator.actor.Coordinator;
import smpemu.node.actor.NodeHost;
import smpemu.node.model.CpuStats;
import smpemu.node.model.ModelContext;

/**
 * The product engine: one CpuActor per simulated CPU under NodeHosts, synchronised by the
 * Coordinator's conservative windows, in one JVM. {@code nodes} > 1 splits the CPUs over
 * several NodeHosts in this JVM (contiguous blocks), exercising the cross-node batching.
 */
public final class ActorEngine implements Engine {
    /** From this many simulated CPUs on, automatic parallelism uses every core. */
    static final int AUTO_PARALLEL_CPUS = 64;

    private final int nodes;

    public ActorEngine() { this(1); }

    public ActorEngine(int nodes) { this.nodes = nodes; }

    @Override
    public RunOutcome run(ModelContext ctx) {
        HeapMeter.reset();
        long wallStart = System.nanoTime();
        int n = ctx.topology.cpus();
        int nodeCount = Math.max(1, Math.min(nodes, n));
        int[] nodeOfCpu = new int[n];
        for (int c = 0; c < n; c++) nodeOfCpu[c] = (int) ((long) c * nodeCount / n);
        CompletableFuture<Coordinator.Finished> done = new CompletableFuture<>();
        // The coordinator runs on the simulation dispatcher too: a window's messages then never
        // hop between thread pools (a parked-thread hand-off costs tens of microseconds).
        Behavior<Void> root = Behaviors.setup(c -> {
            c.spawn(Coordinator.create(ctx, nodeOfCpu, nodeCount, done), "coordinator",
                DispatcherSelector.fromConfig(NodeHost.DISPATCHER));
            return Behaviors.empty();
        });
        ActorSystem<Void> system = ActorSystem.create(root, "smpemu", systemConfig(ctx));
        try {
            Coordinator.Finished f = done.get();
            long events = 0;
            for (CpuStats s : f.stats()) events += s.events;
            long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
            return new RunOutcome(ctx, f.stats(), "actors", nodeCount,
                new EngineStats(events, f.windows(), wallMs, HeapMeter.peak()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the simulation ran", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the actor engine failed: " + e.getCause(), e.getCause());
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // shutting down after the result is in: nothing more to report
            }
        }
    }

    /** Simulation actors get their own dispatcher: parallelism = cores, throughput ~100 (stack.md). */
    private static Config systemConfig(ModelContext ctx) {
        int cores = Runtime.getRuntime().availableProcessors();
        int par = ctx.settings.engine().parallelism();
        if (par == 0) {
            // Small machines have too little work per window to pay for thread hand-offs.
            par = ctx.topology.cpus() < AUTO_PARALLEL_CPUS ? 1 : cores;
        }
        String d = NodeHost.DISPATCHER;
        return ConfigFactory.parseString(
            d + " { type = Dispatcher, executor = fork-join-executor, throughput = "
                + ctx.settings.engine().throughput()
                + ", fork-join-executor { parallelism-min = " + par + ", parallelism-max = " + par
                + ", parallelism-factor = 1.0 } }\n"
                + "pekko { loglevel = WARNING, stdout-loglevel = WARNING, log-dead-letters = off,"
                + " log-dead-letters-during-shutdown = off }")
            .withFallback(ConfigFactory.load());
    }
}
