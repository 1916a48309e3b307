package smpemu.coordinator.actor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import smpemu.coordinator.engine.RunProgress;
import smpemu.coordinator.engine.Setup;
import smpemu.coordinator.sched.DecisionCore;
import smpemu.coordinator.sched.SchedPolicy;
import smpemu.node.actor.CoordinatorMsg;
import smpemu.node.actor.NodeHost;
import smpemu.node.actor.WindowRule;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;
import smpemu.protocol.WireMessage;

/**
 * Runs the conservative windows (docs/architecture.md#windows): window [S, E) with
 * E = min(earliest possible send of any CPU, earliest message in flight) + lookahead, cut at the
 * coordinator's own decision instants and at the end of the run. At an instant it decides from
 * the CPUs' snapshots, exactly as the sequential engine does at the same simulated time.
 */
public final class Coordinator extends AbstractBehavior<CoordinatorMsg> {
    private final ModelContext ctx;
    private final DecisionCore core;
    private final List<ActorRef<NodeHost.Command>> hosts = new ArrayList<>();
    private final int[] nodeOfCpu;
    private final CompletableFuture<Finished> done;
    private final WindowRule rule;
    private final long duration;
    private final Placement placement;

    private long window;
    private long windowStart;
    private long windowEnd;
    private boolean snapshotWindow;
    private int reports;
    private long minSend, minMsg;
    /** The last window the hosts ran (they open windows of their own between instants). */
    private long lastWindow;
    private final CpuSnapshot[] snaps;
    private final List<CpuStats> stats = new ArrayList<>();
    private int finishedNodes;
    private final boolean[] nodeDone;
    private int hostsMissing;
    private long windows;
    /** Events of all windows so far, and where they are published (a progress line). */
    private long events;
    private final RunProgress progress;

    /**
     * Where each node's NodeHost lives: spawned as a child here, or on another cluster member
     * (which answers with {@link HostReady}).
     */
    public interface Placement {
        /** Called once before placing: e.g. subscribe to cluster membership events. */
        default void start(ActorContext<CoordinatorMsg> context) {}

        /** Hosts {@code cpus} as node {@code node}; returns its host now, or null if it will send HostReady. */
        ActorRef<NodeHost.Command> place(ActorContext<CoordinatorMsg> context, int node, int[] cpus,
                                         Map<Integer, List<TaskState>> tasks, Directory dir);

        /** The cluster address of a node, for messages (null: this JVM). */
        default String address(int node) { return null; }
    }

    /** A remote node's NodeHost is up. */
    public record HostReady(int node, ActorRef<NodeHost.Command> host) implements CoordinatorMsg, WireMessage {}

    /** A remote node refused to host its CPUs (another version, another config). */
    public record HostRefused(int node, String reason) implements CoordinatorMsg, WireMessage {}

    /** A remote node's NodeHost stopped (its agent saw it): fatal unless that node had finished. */
    public record HostStopped(int node) implements CoordinatorMsg, WireMessage {}

    /** A cluster member became unreachable or left (local: from the cluster event subscription). */
    public record NodeLost(String address) implements CoordinatorMsg {}

    public static Behavior<CoordinatorMsg> create(ModelContext ctx, int[] nodeOfCpu, int nodes,
                                                  CompletableFuture<Finished> done) {
        return create(ctx, nodeOfCpu, nodes, done, null, RunProgress.IGNORED);
    }

    /** {@code placement} null: every node's host is a child of the coordinator (one JVM). */
    public static Behavior<CoordinatorMsg> create(ModelContext ctx, int[] nodeOfCpu, int nodes,
                                                  CompletableFuture<Finished> done, Placement placement,
                                                  RunProgress progress) {
        return Behaviors.setup(c -> new Coordinator(c, ctx, nodeOfCpu, nodes, done, placement, progress));
    }

    private Coordinator(ActorContext<CoordinatorMsg> context, ModelContext ctx, int[] nodeOfCpu,
                        int nodes, CompletableFuture<Finished> done, Placement placement, RunProgress progress) {
        super(context);
        this.progress = progress;
        this.ctx = ctx;
        this.nodeOfCpu = nodeOfCpu;
        this.done = done;
        this.rule = WindowRule.lookahead(ctx.lookaheadNs);
        this.duration = ctx.durationNs;
        this.placement = placement != null ? placement : new LocalPlacement(ctx, nodeOfCpu);
        int n = ctx.topology.cpus();
        this.snaps = new CpuSnapshot[n];
        this.nodeDone = new boolean[nodes];
        SchedPolicy policy = new SchedPolicy(ctx.workload, n);
        Directory dir = Setup.initialDirectory(ctx, policy);
        this.core = new DecisionCore(ctx, policy, dir);
        List<Map<Integer, List<TaskState>>> tasksByNode = new ArrayList<>();
        for (int i = 0; i < nodes; i++) tasksByNode.add(new HashMap<>());
        for (int t = 0; t < ctx.workload.taskCount(); t++) {
            int cpu = dir.cpuOf(t);
            tasksByNode.get(nodeOfCpu[cpu]).computeIfAbsent(cpu, k -> new ArrayList<>()).add(Setup.newTask(ctx, t));
        }
        this.placement.start(context);
        for (int node = 0; node < nodes; node++) {
            ActorRef<NodeHost.Command> host = this.placement.place(context, node, cpusOf(node),
                tasksByNode.get(node), dir);
            hosts.add(host);
            if (host == null) hostsMissing++;
        }
        if (hostsMissing == 0) begin();
    }

    /** Every host is up: introduce them to each other and open window 0. */
    private void begin() {
        for (ActorRef<NodeHost.Command> h : hosts) h.tell(new NodeHost.Peers(new ArrayList<>(hosts)));
        open(0, List.of(), null, null, core.receivers(List.of())); // window 0 processes nothing: it collects the first bounds
    }

    /** Spawns every node's host as a child, on the simulation dispatcher, and watches it. */
    private static final class LocalPlacement implements Placement {
        private final ModelContext ctx;
        private final int[] nodeOfCpu;

        LocalPlacement(ModelContext ctx, int[] nodeOfCpu) {
            this.ctx = ctx;
            this.nodeOfCpu = nodeOfCpu;
        }

        @Override
        public ActorRef<NodeHost.Command> place(ActorContext<CoordinatorMsg> context, int node, int[] cpus,
                                                Map<Integer, List<TaskState>> tasks, Directory dir) {
            ActorRef<NodeHost.Command> host = context.spawn(NodeHost.create(node, cpus, nodeOfCpu, ctx,
                tasks, dir, context.getSelf()), "node-" + node, DispatcherSelector.fromConfig(NodeHost.DISPATCHER));
            context.watch(host);
            return host;
        }
    }

    private int[] cpusOf(int node) {
        return java.util.stream.IntStream.range(0, nodeOfCpu.length).filter(c -> nodeOfCpu[c] == node).toArray();
    }

    @Override
    public Receive<CoordinatorMsg> createReceive() {
        return newReceiveBuilder()
            .onMessage(NodeHost.WindowReport.class, this::onReport)
            .onMessage(NodeHost.NodeFinished.class, this::onFinished)
            .onMessage(NodeHost.RunFailed.class, f -> fail(f.reason()))
            .onMessage(HostReady.class, this::onHostReady)
            .onMessage(HostRefused.class, r -> fail("node " + placement.address(r.node()) + " refused to host its CPUs: " + r.reason()))
            .onMessage(HostStopped.class, h -> nodeDone[h.node()] ? this
                : fail("node " + placement.address(h.node()) + ": its host stopped during window " + window
                    + " at simulated time " + windowStart))
            .onMessage(NodeLost.class, this::onNodeLost)
            .onSignal(Terminated.class, t -> nodeDone[hosts.indexOf(t.getRef())] ? this
                : fail(t.getRef().path().name() + " stopped unexpectedly"))
            // Whatever stops this actor (a handler that threw, the actor system going down)
            // must end the run: nobody else would ever complete it.
            .onSignal(PostStop.class, s -> {
                done.completeExceptionally(new IllegalStateException("the coordinator stopped during window "
                    + window + " at simulated time " + windowStart + " (see the log for its error)"));
                return this;
            })
            .build();
    }

    private Behavior<CoordinatorMsg> onHostReady(HostReady r) {
        if (hosts.get(r.node()) != null) return this;
        hosts.set(r.node(), r.host());
        if (--hostsMissing == 0) begin();
        return this;
    }

    /** A member that hosts CPUs of this run is gone: the run cannot complete (docs/architecture.md#cluster). */
    private Behavior<CoordinatorMsg> onNodeLost(NodeLost l) {
        for (int node = 0; node < nodeDone.length; node++) {
            if (l.address().equals(placement.address(node)) && !nodeDone[node]) {
                return fail("node " + l.address() + " left during window " + window + " at simulated time " + windowStart);
            }
        }
        return this;
    }

    /**
     * Opens the window ending at {@code end}, and with it a run-on to the next instant (or the
     * end of the run), where {@code snapshot} is then taken: the hosts open the windows between
     * by themselves (one node alone, several by trading bounds with each other), so the
     * coordinator takes part only at its instants, not in every window.
     */
    private void open(long end, List<SimMessage> commands, Directory.Delta dir, int[] moving,
                      int[] receivers) {
        windowStart = windowEnd;
        windowEnd = freeEnd(end);
        boolean snapshot = window > 0 && windowEnd == core.nextInstant(); // window 0 only collects the first bounds
        snapshotWindow = snapshot;
        reports = 0;
        minSend = minMsg = Long.MAX_VALUE;
        windows++;
        List<List<SimMessage>> byNode = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) byNode.add(new ArrayList<>());
        for (SimMessage m : commands) byNode.get(nodeOfCpu[m.dst()]).add(m);
        for (int i = 0; i < hosts.size(); i++) {
            hosts.get(i).tell(new NodeHost.OpenWindow(window, end, freeEnd(end),
                byNode.get(i).toArray(new SimMessage[0]), dir, moving, receivers, snapshot, true));
        }
    }

    /** Where CPUs that receive nothing may run to: the next instant, or the end of the run. */
    private long freeEnd(long end) {
        return end == 0 ? 0 : Math.min(core.nextInstant(), duration);
    }

    private Behavior<CoordinatorMsg> onReport(NodeHost.WindowReport r) {
        minSend = Math.min(minSend, r.minEarliestSend());
        minMsg = Math.min(minMsg, r.minMessageBound());
        if (r.snapshots() != null) {
            for (CpuSnapshot s : r.snapshots()) snaps[s.cpu()] = s;
        }
        events += r.events();
        if (r.node() == 0) windows += r.windows() - 1; // the windows the hosts opened by themselves (the same on each)
        lastWindow = r.window();
        if (++reports < hosts.size()) return this;
        progress.at(windowEnd, events);
        if (windowEnd >= duration) {
            for (ActorRef<NodeHost.Command> h : hosts) h.tell(new NodeHost.FinishRun());
            return this;
        }
        List<SimMessage> commands = List.of();
        Directory.Delta dir = null;
        int[] moving = null;
        int[] receivers = null;
        long bound = Math.min(minSend, minMsg);
        if (snapshotWindow) {
            commands = core.decide(snaps);
            consumeMoves();
            dir = core.lastDelta();
            moving = commands.stream().flatMapToInt(m -> java.util.stream.IntStream.of(m.taskId(), m.dst())).toArray();
            receivers = core.receivers(commands);
            for (SimMessage m : commands) bound = Math.min(bound, m.time());
        }
        long end = rule.nextEnd(bound, Long.MAX_VALUE, Math.min(core.nextInstant(), duration));
        window = lastWindow + 1;
        open(end, commands, dir, moving, receivers);
        return this;
    }

    /**
     * The moves of the snapshots are decided on: hosts send a CPU's snapshot
     * again only after it ran, so the one kept here must not report them twice.
     */
    private void consumeMoves() {
        for (int i = 0; i < snaps.length; i++) {
            CpuSnapshot s = snaps[i];
            if (s.movedOut().length > 0) {
                snaps[i] = new CpuSnapshot(s.cpu(), s.current(), s.queued(), NONE, s.offline());
            }
        }
    }

    private static final int[] NONE = new int[0];

    private Behavior<CoordinatorMsg> fail(String reason) {
        done.completeExceptionally(new IllegalStateException(reason));
        return Behaviors.stopped();
    }

    private Behavior<CoordinatorMsg> onFinished(NodeHost.NodeFinished f) {
        stats.addAll(f.stats());
        if (!f.last()) return this;
        nodeDone[f.node()] = true;
        if (++finishedNodes == hosts.size()) {
            stats.sort(java.util.Comparator.comparingInt(s -> s.cpu));
            done.complete(new Finished(stats, windows));
            return Behaviors.stopped();
        }
        return this;
    }

    /** The run's measurements in CPU order, and how many windows it took. */
    public record Finished(List<CpuStats> stats, long windows) {}
}
