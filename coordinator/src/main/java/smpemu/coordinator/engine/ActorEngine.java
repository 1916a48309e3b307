package smpemu.coordinator.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import smpemu.coordinator.actor.Coordinator;
import smpemu.coordinator.cluster.ClusterSession;
import smpemu.coordinator.cluster.NodeAgent;
import smpemu.coordinator.cluster.Partitioner;
import smpemu.coordinator.cluster.RemotePlacement;
import smpemu.node.actor.NodeHost;
import smpemu.node.model.CpuStats;
import smpemu.node.model.ModelContext;

/**
 * The product engine: the CPUs in CpuActor groups under NodeHosts, synchronised by the
 * Coordinator's conservative windows, in one JVM. {@code nodes} > 1 splits the CPUs over
 * several NodeHosts in this JVM (contiguous blocks), exercising the cross-node batching.
 */
public final class ActorEngine implements Engine {
    /** From this many simulated CPUs on, automatic parallelism uses every core. */
    static final int AUTO_PARALLEL_CPUS = 64;

    private final int nodes;
    private final Cluster cluster;
    /** The cores this run may use: all of them, or its share when runs go side by side. */
    private final int cores;
    private volatile Partition lastPartition;

    /**
     * A run spread over the members of a Pekko cluster: this JVM (node 0, where the coordinator
     * runs) and {@code nodes - 1} admitted workers; {@code config} is the run's config as
     * workers receive it (ConfigText).
     */
    public record Cluster(ClusterSession session, int nodes, String partitioner, Duration joinTimeout,
                          String config) {}

    public ActorEngine() { this(1); }

    public ActorEngine(int nodes) { this(nodes, Runtime.getRuntime().availableProcessors()); }

    public ActorEngine(int nodes, int cores) {
        this.nodes = nodes;
        this.cluster = null;
        this.cores = cores;
    }

    public ActorEngine(Cluster cluster) {
        this.nodes = cluster.nodes();
        this.cluster = cluster;
        this.cores = Runtime.getRuntime().availableProcessors();
    }

    /** The partition of the last cluster run (null in one JVM). */
    public Partition lastPartition() { return lastPartition; }

    @Override
    public RunOutcome run(ModelContext ctx, RunProgress progress) {
        if (cluster != null) return runOnCluster(ctx, progress);
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
            c.spawn(Coordinator.create(ctx, nodeOfCpu, nodeCount, done, null, progress), "coordinator",
                DispatcherSelector.fromConfig(NodeHost.DISPATCHER));
            return Behaviors.empty();
        });
        ActorSystem<Void> system = ActorSystem.create(root, "smpemu", systemConfig(ctx, cores));
        try {
            return outcome(ctx, nodeCount, await(done), wallStart);
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // shutting down after the result is in: nothing more to report
            }
        }
    }

    private static IllegalStateException failed(ExecutionException e) {
        Throwable c = e.getCause();
        return new IllegalStateException("the actor engine failed: "
            + (c instanceof IllegalStateException && c.getMessage() != null ? c.getMessage() : String.valueOf(c)), c);
    }

    /**
     * The same windows, hosts on cluster members: the coordinator and node 0 here, the other
     * nodes' NodeHosts on admitted workers, partitioned by topology (cluster.partitioner).
     */
    private RunOutcome runOnCluster(ModelContext ctx, RunProgress progress) {
        ClusterSession session = cluster.session();
        int n = ctx.topology.cpus();
        List<ActorRef<NodeAgent.Msg>> workers = session.awaitWorkers(cluster.nodes() - 1, cluster.joinTimeout());
        int nodeCount = Math.max(1, Math.min(cluster.nodes(), n));
        workers = workers.subList(0, nodeCount - 1);
        HeapMeter.reset();
        long wallStart = System.nanoTime();
        int[] nodeOfCpu = Partitioner.partition(ctx.topology, nodeCount, cluster.partitioner());
        RemotePlacement placement = new RemotePlacement(ctx, nodeOfCpu, workers, session.selfAddress(), cluster.config());
        CompletableFuture<Coordinator.Finished> done = new CompletableFuture<>();
        session.spawn(Coordinator.create(ctx, nodeOfCpu, nodeCount, done, placement, progress), session.nextRunName(),
            DispatcherSelector.fromConfig(NodeHost.DISPATCHER));
        Coordinator.Finished f = await(done);
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) addresses.add(placement.address(i));
        lastPartition = new Partition(cluster.partitioner(), addresses, nodeOfCpu);
        return outcome(ctx, nodeCount, f, wallStart);
    }

    /** The coordinator's result, or the run's failure as an exception with its reason. */
    private static Coordinator.Finished await(CompletableFuture<Coordinator.Finished> done) {
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the simulation ran", e);
        } catch (ExecutionException e) {
            throw failed(e);
        }
    }

    private static RunOutcome outcome(ModelContext ctx, int nodeCount, Coordinator.Finished f, long wallStart) {
        long events = 0;
        for (CpuStats s : f.stats()) events += s.events;
        long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
        return new RunOutcome(ctx, f.stats(), "actors", nodeCount,
            new EngineStats(events, f.windows(), wallMs, HeapMeter.peak()));
    }

    /** Simulation actors get their own dispatcher: parallelism = cores, throughput ~100 (stack.md). */
    private static Config systemConfig(ModelContext ctx, int cores) {
        int par = ctx.settings.engine().parallelism();
        if (par == 0) {
            // Small machines have too little work per window to pay for thread hand-offs.
            par = ctx.topology.cpus() < AUTO_PARALLEL_CPUS ? 1 : cores;
        }
        return NodeHost.dispatcherConfig(par, ctx.settings.engine().throughput()).withFallback(ConfigFactory.load());
    }
}
