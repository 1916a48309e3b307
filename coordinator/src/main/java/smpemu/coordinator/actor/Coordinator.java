package smpemu.coordinator.actor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import smpemu.coordinator.engine.Setup;
import smpemu.coordinator.sched.DecisionCore;
import smpemu.coordinator.sched.SchedPolicy;
import smpemu.node.actor.CoordinatorMsg;
import smpemu.node.actor.NodeHost;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.node.model.Program;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * Runs the conservative windows (architecture.md §3): window [S, E) with
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
    private final long lookahead;
    private final long duration;

    private long window;
    private long windowEnd;
    private boolean snapshotWindow;
    private int reports;
    private long minSend, minMsg;
    private final CpuSnapshot[] snaps;
    private final List<CpuStats> stats = new ArrayList<>();
    private int finishedNodes;
    private final boolean[] nodeDone;
    private long windows;

    public static Behavior<CoordinatorMsg> create(ModelContext ctx, int[] nodeOfCpu, int nodes,
                                                  CompletableFuture<Finished> done) {
        return Behaviors.setup(c -> new Coordinator(c, ctx, nodeOfCpu, nodes, done));
    }

    private Coordinator(ActorContext<CoordinatorMsg> context, ModelContext ctx, int[] nodeOfCpu,
                        int nodes, CompletableFuture<Finished> done) {
        super(context);
        this.ctx = ctx;
        this.nodeOfCpu = nodeOfCpu;
        this.done = done;
        this.lookahead = ctx.topology.minLatency();
        this.duration = ctx.durationNs;
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
        for (int node = 0; node < nodes; node++) {
            int[] local = cpusOf(node);
            ActorRef<NodeHost.Command> host = context.spawn(NodeHost.create(node, local, nodeOfCpu, ctx,
                tasksByNode.get(node), dir, context.getSelf()), "node-" + node,
                DispatcherSelector.fromConfig(NodeHost.DISPATCHER));
            context.watch(host);
            hosts.add(host);
        }
        for (ActorRef<NodeHost.Command> h : hosts) h.tell(new NodeHost.Peers(hosts));
        open(0, List.of(), null, null, core.receivers(List.of()), false); // window 0 processes nothing: it collects the first bounds
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
            .onSignal(Terminated.class, t -> nodeDone[hosts.indexOf(t.getRef())] ? this
                : fail(t.getRef().path().name() + " stopped unexpectedly"))
            .build();
    }

    private void open(long end, List<SimMessage> commands, Directory dir, int[] moving,
                      int[] receivers, boolean snapshot) {
        windowEnd = end;
        snapshotWindow = snapshot;
        reports = 0;
        minSend = minMsg = Long.MAX_VALUE;
        windows++;
        List<List<SimMessage>> byNode = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i++) byNode.add(new ArrayList<>());
        for (SimMessage m : commands) byNode.get(nodeOfCpu[m.dst()]).add(m);
        for (int i = 0; i < hosts.size(); i++) {
            hosts.get(i).tell(new NodeHost.OpenWindow(window, end, freeEnd(end),
                byNode.get(i).toArray(new SimMessage[0]), dir, moving, receivers, snapshot));
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
        if (++reports < hosts.size()) return this;
        if (windowEnd >= duration) {
            for (ActorRef<NodeHost.Command> h : hosts) h.tell(new NodeHost.FinishRun());
            return this;
        }
        List<SimMessage> commands = List.of();
        Directory dir = null;
        int[] moving = null;
        int[] receivers = null;
        long bound = Math.min(minSend, minMsg);
        if (snapshotWindow) {
            Directory before = core.directory();
            commands = core.decide(snaps);
            if (core.directory() != before) dir = core.directory();
            moving = commands.stream().flatMapToInt(m -> java.util.stream.IntStream.of(m.taskId(), m.dst())).toArray();
            receivers = core.receivers(commands);
            for (SimMessage m : commands) bound = Math.min(bound, m.time());
        }
        long end = Program.sat(bound, lookahead);
        end = Math.min(end, Math.min(core.nextInstant(), duration));
        window++;
        open(end, commands, dir, moving, receivers, end == core.nextInstant());
        return this;
    }

    private Behavior<CoordinatorMsg> fail(String reason) {
        done.completeExceptionally(new IllegalStateException(reason));
        return Behaviors.stopped();
    }

    private Behavior<CoordinatorMsg> onFinished(NodeHost.NodeFinished f) {
        stats.addAll(f.stats());
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
