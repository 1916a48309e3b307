package smpemu.coordinator.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import smpemu.config.EngineKind;
import smpemu.config.SimSettings;
import smpemu.coordinator.cluster.ClusterSession;
import smpemu.coordinator.cluster.ClusterSettings;
import smpemu.coordinator.cluster.ConfigText;
import smpemu.coordinator.cluster.LocalWorkers;
import smpemu.coordinator.cluster.NodeAgent;
import smpemu.coordinator.cluster.Partitioner;
import smpemu.coordinator.cluster.SweepMaster;
import smpemu.coordinator.cluster.SweepWorker;
import smpemu.coordinator.engine.ActorEngine;
import smpemu.coordinator.engine.Partition;
import smpemu.coordinator.result.ResultBuilder;
import smpemu.coordinator.result.RunResult;
import smpemu.node.model.ModelContext;
import smpemu.protocol.wire.KryoSerializer;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * A command's runs on a cluster: this process joins (or, with --cluster-local, starts) the
 * cluster once, runs each simulation with the coordinator here, and leaves at the end.
 */
final class ClusterRunner implements AutoCloseable {
    /**
     * A cluster run's result, where its CPUs ran, and the bytes this node (node 0) sent and
     * received over the cluster during it: all outside the digest.
     */
    record Simulation(RunResult result, java.util.List<smpemu.node.model.CpuStats> cpus, Partition partition,
                      long bytesOut, long bytesIn) {}

    private final ClusterOptions options;
    private final ClusterSession session;
    private final LocalWorkers workers;

    private ClusterRunner(ClusterOptions options, ClusterSession session, LocalWorkers workers) {
        this.options = options;
        this.session = session;
        this.workers = workers;
    }

    static ClusterRunner open(CommandLine cl, ClusterOptions o, ClusterSettings cs, SimSettings first) {
        if (first.engine().kind() != EngineKind.ACTORS) {
            throw new ParameterException(cl, "--cluster-local and --join run the actors engine, not " + first.engine().kind());
        }
        return connect(o, cs, parallelism(first, o.nodes()), first.engine().throughput());
    }

    /** A cluster for a sweep: its points run single-threaded on the sequential engine, wherever they go. */
    static ClusterRunner forSweep(ClusterOptions o, ClusterSettings cs) { return connect(o, cs, 1, 100); }

    private static ClusterRunner connect(ClusterOptions o, ClusterSettings cs, int par, int throughput) {
        ClusterSession session = ClusterSession.start(o.host, o.port == null ? 0 : o.port, o.join, cs.secret(), par,
            throughput, o.clusterLocal == null);
        LocalWorkers workers = null;
        try {
            if (o.clusterLocal != null && o.clusterLocal > 1) {
                workers = LocalWorkers.start(o.clusterLocal - 1, o.host + ":" + session.port(), par, cs.secret());
            }
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
        return new ClusterRunner(o, session, workers);
    }

    /** As the one-JVM engine decides: one thread below 64 CPUs per node, else every core. */
    private static int parallelism(SimSettings s, int nodes) {
        int p = s.engine().parallelism();
        if (p > 0) return p;
        return s.topology().cpus() / Math.max(1, nodes) < 64 ? 1 : Runtime.getRuntime().availableProcessors();
    }

    Simulation simulate(ConfigOptions.Loaded l) {
        return simulate(l, Progress.Mode.NEVER, null, null);
    }

    /** As {@link #simulate(ConfigOptions.Loaded)}, with a progress line on {@code err} (see RunProgressLine). */
    Simulation simulate(ConfigOptions.Loaded l, Progress.Mode mode, java.io.PrintWriter err, String task) {
        ActorEngine engine = new ActorEngine(new ActorEngine.Cluster(session, options.nodes(), l.cluster().partitioner(),
            l.cluster().joinTimeout(), ConfigText.of(l.simLayer())));
        try {
            long out = KryoSerializer.bytesOut(), in = KryoSerializer.bytesIn();
            smpemu.coordinator.engine.RunProgress p = new smpemu.coordinator.engine.RunProgress();
            smpemu.coordinator.engine.RunOutcome o;
            try (RunProgressLine line = RunProgressLine.start(mode, err, task, l.settings().durationNs(), p)) {
                o = engine.run(new ModelContext(l.settings()), p);
            }
            return new Simulation(ResultBuilder.build(o), o.cpus(), engine.lastPartition(), KryoSerializer.bytesOut() - out, KryoSerializer.bytesIn() - in);
        } catch (IllegalStateException e) {
            session.runFailed();
            String why = workers == null ? "" : workers.diagnosis();
            if (why.isEmpty()) throw e;
            throw new IllegalStateException(e.getMessage() + why, e);
        }
    }

    /**
     * A sweep's points on this node ({@code localSlots} workers) and every admitted worker, pulled
     * from one SweepMaster; returns when every point has an outcome.
     */
    /**
     * Hands the points to this node's {@code localSlots} and to each worker as it joins: this
     * node starts at once instead of waiting for the slowest JVM to start, so no worker holds the
     * others. Workers that have not joined within {@code joinTimeout}, or by the end when that
     * comes first, are reported; the sweep goes on without them unless nothing here can run a point.
     */
    void sweep(java.util.List<SweepMaster.Work> work, int localSlots, SweepMaster.Listener listener,
               java.time.Duration joinTimeout, java.io.PrintWriter err) {
        java.util.concurrent.CompletableFuture<Void> finished = new java.util.concurrent.CompletableFuture<>();
        String name = session.nextRunName();
        org.apache.pekko.actor.typed.ActorRef<SweepMaster.Msg> master =
            session.spawn(SweepMaster.create(work, listener, finished), name, org.apache.pekko.actor.typed.Props.empty());
        for (int i = 0; i < localSlots; i++) session.spawn(SweepWorker.create(master, line -> { }), name + "-local-" + i, org.apache.pekko.actor.typed.Props.empty());
        // Downed by the cluster (it was not the oldest member): the points left can only be resumed.
        session.whenTerminated(() -> finished.completeExceptionally(new IllegalStateException(
            "this node left the cluster during the sweep; complete it with --resume")));
        int expected = options.nodes() - 1;
        java.util.Set<org.apache.pekko.actor.typed.ActorRef<NodeAgent.Msg>> joined = new java.util.HashSet<>();
        long deadline = System.nanoTime() + joinTimeout.toNanos();
        boolean waiting = expected > 0;
        try {
            while (true) {
                for (var a : session.workersSoFar()) if (joined.add(a)) a.tell(new NodeAgent.JoinSweep(master));
                if (waiting && joined.size() >= expected) waiting = false;
                if (waiting && System.nanoTime() > deadline) {
                    waiting = false;
                    String msg = "only " + (joined.size() + 1) + " of " + (expected + 1) + " nodes joined within "
                        + joinTimeout.toSeconds() + " s";
                    if (localSlots == 0 && joined.isEmpty()) throw new IllegalStateException(msg);
                    err.println("smpemu: sweep: " + msg + "; the points go on with the nodes that did");
                    err.flush();
                }
                try {
                    finished.get(50, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (waiting) { // done before the join timeout: the missing nodes are still worth a line
                        err.println("smpemu: sweep: only " + (joined.size() + 1) + " of " + (expected + 1)
                            + " nodes joined before the points were done");
                        err.flush();
                    }
                    return;
                } catch (java.util.concurrent.TimeoutException e) {
                    // still running: look for newly joined workers
                } catch (java.util.concurrent.ExecutionException e) {
                    session.runFailed();
                    throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the sweep", e);
        }
    }

    /** The --cluster-local worker processes (tests kill one). */
    LocalWorkers workers() { return workers; }

    /** {"partitioner": ..., "nodes": [{"node", "address", "cpus", "cpus_count"}]}: outside the digest. */
    static ObjectNode json(Partition p) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("partitioner", p.partitioner());
        ArrayNode nodes = o.putArray("nodes");
        for (int i = 0; i < p.addresses().size(); i++) {
            ObjectNode n = nodes.addObject();
            n.put("node", i);
            n.put("address", p.addresses().get(i));
            n.put("cpus", Partitioner.ranges(p.nodeOfCpu(), i));
            int count = 0;
            for (int c : p.nodeOfCpu()) if (c == i) count++;
            n.put("cpus_count", count);
        }
        return o;
    }

    static String text(Simulation sim) {
        Partition p = sim.partition();
        StringBuilder b = new StringBuilder("partition (" + p.partitioner() + "), node 0 sent "
            + sim.bytesOut() + " and received " + sim.bytesIn() + " bytes over the cluster:");
        for (int i = 0; i < p.addresses().size(); i++) {
            b.append(System.lineSeparator()).append("  node ").append(i).append(' ').append(p.addresses().get(i))
                .append(": cpus ").append(Partitioner.ranges(p.nodeOfCpu(), i));
        }
        return b.append(System.lineSeparator()).toString();
    }

    /**
     * This member stops first (with --cluster-local without leaving: its workers die with it),
     * then the local workers go: nothing waits on a dead member.
     */
    @Override
    public void close() {
        session.close();
        if (workers != null) workers.close();
    }
}
