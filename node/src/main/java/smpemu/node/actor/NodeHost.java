package smpemu.node.actor;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.node.model.SendBounds;
import smpemu.node.model.Workload;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;
import smpemu.protocol.WireMessage;

/**
 * Hosts the CPUs of one node, in a few CpuActor groups per dispatcher thread, and joins the
 * coordinator's window barrier for them: it opens a window for its CPUs once the coordinator
 * said so and every peer node delivered the messages of the previous window, routes what its CPUs sent (local CPUs directly, other nodes in one
 * batch per node per window), and sends the coordinator one report per window.
 *
 * <p>Flow control across cluster nodes (Artery drops what exceeds its outbound queue of 3072
 * messages per association): the window barrier bounds what is in flight. A host sends a peer
 * one PeerBatch per window, and it can only finish window k+1 after the coordinator opened it,
 * i.e. after every host reported window k; so at most two batches per node pair, one OpenWindow
 * per host, one WindowReport per host, and (at the end) ceil(cpus / STATS_PER_CHUNK)
 * NodeFinished chunks are ever queued: a handful, whatever the machine size.
 */
public final class NodeHost extends AbstractBehavior<NodeHost.Command> {
    public static final String DISPATCHER = "smpemu-sim-dispatcher";

    /**
     * The simulation dispatcher's configuration, the same in one JVM and on cluster members
     * (resource smpemu/dispatcher.conf, which says why its task peeking is LIFO), with Pekko's
     * logging kept to warnings. Not merged with Pekko's defaults: the caller layers it.
     */
    public static Config dispatcherConfig(int threads, int throughput) {
        return ConfigFactory.parseResources(NodeHost.class, "/smpemu/dispatcher.conf", ConfigParseOptions.defaults().setAllowMissing(false))
            .resolveWith(ConfigFactory.parseMap(Map.of("threads", threads, "throughput", throughput)));
    }

    public interface Command {}

    /** The other nodes' hosts, indexed by node id (this node's own entry is ignored). */
    public record Peers(List<ActorRef<Command>> hosts) implements Command, WireMessage {}

    /**
     * CPUs in {@code receivers} (those that may get a message) run to {@code end}; the others
     * to {@code freeEnd}, the next coordinator instant. {@code directoryDelta} (what the last
     * decision changed in the task directory: each node applies it to its own copy, so a window
     * carries what changed, not the whole directory), {@code moving} ((task, source CPU) pairs
     * ordered to move at the last decision) and {@code receivers} are null when unchanged since
     * the previous window.
     */
    public record OpenWindow(long window, long end, long freeEnd, SimMessage[] commands,
                             Directory.Delta directoryDelta, int[] moving, int[] receivers, boolean snapshot,
                             boolean runOn)
        implements Command, WireMessage {
        /**
         * {@code runOn} (what the coordinator always asks): the hosts run window after window up
         * to {@code freeEnd} by themselves, the only node from its own bounds (no window at all
         * on one thread, where its only group runs in time order), several nodes by trading
         * their bounds in their PeerBatches; each reports once, and {@code snapshot} then asks
         * for the snapshots at {@code freeEnd}. Without it (this constructor) a host runs the one
         * window and reports: the tests step hosts so, window by window.
         */
        public OpenWindow(long window, long end, long freeEnd, SimMessage[] commands,
                          Directory.Delta directoryDelta, int[] moving, int[] receivers, boolean snapshot) {
            this(window, end, freeEnd, commands, directoryDelta, moving, receivers, snapshot, false);
        }
    }

    /**
     * What one node's CPUs sent to this node's CPUs during {@code window}, and the sender's
     * bounds after it (its CPUs' least earliest send, and the least send bound of what they
     * sent): on a run-on across nodes every host computes the next window from all of them.
     */
    public record PeerBatch(long window, int fromNode, SimMessage[] messages, long minEarliestSend, long minMessageBound)
        implements Command, WireMessage {}

    public record FinishRun() implements Command, WireMessage {}

    /**
     * {@code snapshots} (in a snapshot window, else null) holds only the CPUs that ran since
     * their previous snapshot: the others are as they were then, with nothing moved since.
     */
    public record WindowReport(long window, int node, long minNextEvent, long minEarliestSend,
                               long minMessageBound, long events, CpuSnapshot[] snapshots, long windows)
        implements CoordinatorMsg, WireMessage {
        /** {@code windows}: how many windows the report covers (more than one after a run-on). */
        public WindowReport(long window, int node, long minNextEvent, long minEarliestSend,
                            long minMessageBound, long events, CpuSnapshot[] snapshots) {
            this(window, node, minNextEvent, minEarliestSend, minMessageBound, events, snapshots, 1);
        }
    }

    /**
     * The measurements of some of the node's CPUs; {@code last} marks the node's final chunk.
     * Chunks keep each remote message well under Artery's frame size on big machines.
     */
    public record NodeFinished(int node, List<CpuStats> stats, boolean last) implements CoordinatorMsg, WireMessage {}

    /** CPUs per NodeFinished chunk: a CpuStats is a few hundred bytes to a few KiB. */
    static final int STATS_PER_CHUNK = 128;

    /** The model threw: the run cannot go on, and must not hang. */
    public record RunFailed(String reason) implements CoordinatorMsg, WireMessage {}

    private final int node;
    private final int[] localCpus;
    private final int[] localIndex;     // cpu -> index in localCpus, -1 if elsewhere
    private final int[] nodeOfCpu;
    /** Local CPU i is member i / groupCount of group i % groupCount. */
    private final List<ActorRef<CpuActor.Command>> groups = new ArrayList<>();
    /** The only group, run by this actor itself when the dispatcher has one thread (else null). */
    private final CpuGroup inline;
    private final int groupCount;
    private final WindowRule rule;
    private final ActorRef<CoordinatorMsg> coordinator;
    private List<ActorRef<Command>> peers = List.of();

    private final List<List<SimMessage>> inbox = new ArrayList<>();
    private final Map<Long, List<PeerBatch>> peerBatches = new HashMap<>();
    /** A run-on across nodes ran a window and waits for every peer's batch of it. */
    private boolean awaitingPeers;
    private OpenWindow open;
    private boolean finishing;
    private int[] moving = new int[0];
    private final Workload workload;
    private long nextWindow;
    private int awaiting;
    private long minMsg, events;
    /** The window being run: its end, whether it takes snapshots, and how many ran since the coordinator's. */
    private long end;
    private boolean snapshot;
    private long windows;
    private CpuSnapshot[] snaps;
    private List<List<SimMessage>> toPeers;
    private final List<CpuStats> finished = new ArrayList<>();
    private final long[] lastNext;
    private final long[] lastSend;
    private final boolean[] receiver;
    /** Ran since its last snapshot (its state may differ from it). */
    private final boolean[] ranSinceSnapshot;
    /** The latest directory, and the CPUs that have not been handed it yet (they ran no event since). */
    private Directory directory;
    private final boolean[] directoryStale;
    /** This window: how many CPUs run per group, and which (the first ones of toRun). */
    private final int[] membersToRun;
    private final int[] toRun;
    /** The local CPUs whose inbox got messages since they last ran, each once ({@code isPending}). */
    private final int[] pending;
    private final boolean[] isPending;
    private int pendingCount;

    public static Behavior<Command> create(int node, int[] localCpus, int[] nodeOfCpu, ModelContext ctx,
                                           Map<Integer, List<TaskState>> tasks, Directory dir,
                                           ActorRef<CoordinatorMsg> coordinator) {
        return Behaviors.setup(c -> {
            try {
                return new NodeHost(c, node, localCpus, nodeOfCpu, ctx, tasks, dir, coordinator);
            } catch (CpuGroup.Failure e) {
                coordinator.tell(new RunFailed("cpu " + e.cpu + ": " + e.getMessage()));
                return Behaviors.stopped();
            }
        });
    }

    private NodeHost(ActorContext<Command> context, int node, int[] localCpus, int[] nodeOfCpu,
                     ModelContext ctx, Map<Integer, List<TaskState>> tasks, Directory dir,
                     ActorRef<CoordinatorMsg> coordinator) throws CpuGroup.Failure {
        super(context);
        this.node = node;
        this.localCpus = localCpus;
        this.nodeOfCpu = nodeOfCpu;
        this.coordinator = coordinator;
        this.workload = ctx.workload;
        this.lastNext = new long[localCpus.length];
        this.lastSend = new long[localCpus.length];
        this.receiver = new boolean[localCpus.length];
        this.ranSinceSnapshot = new boolean[localCpus.length];
        java.util.Arrays.fill(ranSinceSnapshot, true);
        this.directoryStale = new boolean[localCpus.length];
        this.directory = dir; // the coordinator's deltas are applied to it, window after window
        java.util.Arrays.fill(lastNext, Long.MIN_VALUE); // every CPU reports in the first window
        this.localIndex = new int[nodeOfCpu.length];
        java.util.Arrays.fill(localIndex, -1);
        for (int i = 0; i < localCpus.length; i++) {
            localIndex[localCpus[i]] = i;
            inbox.add(new ArrayList<>());
        }
        this.rule = WindowRule.lookahead(ctx.lookaheadNs);
        int threads = threads(context);
        // One thread: no group could run beside another, so one group, run here, without messages.
        int count = threads == 1 ? Math.min(localCpus.length, 1) : Math.min(localCpus.length, GROUPS_PER_THREAD * threads);
        this.groupCount = count;
        this.inline = threads == 1 && count == 1 ? new CpuGroup(0, localCpus, ctx, tasks, dir) : null;
        for (int g = 0; g < count && inline == null; g++) {
            int[] members = new int[(localCpus.length - g + count - 1) / count];
            for (int j = 0; j < members.length; j++) members[j] = localCpus[g + j * count];
            ActorRef<CpuActor.Command> ref = context.spawn(CpuActor.create(g, members, ctx, tasks, dir, context.getSelf()),
                "cpus-" + g, DispatcherSelector.fromConfig(DISPATCHER));
            context.watch(ref); // a CPU group that dies must stop the run, never hang it
            groups.add(ref);
        }
        this.membersToRun = new int[count];
        this.toRun = new int[localCpus.length];
        this.pending = new int[localCpus.length];
        this.isPending = new boolean[localCpus.length];
    }

    /**
     * Groups per dispatcher thread: enough that a thread rarely idles while another works
     * through a group of busy CPUs, few enough that a window costs a handful of messages.
     */
    static final int GROUPS_PER_THREAD = 4;

    /** The simulation dispatcher's threads, as the actor system was configured. */
    private static int threads(ActorContext<Command> context) {
        com.typesafe.config.Config c = context.getSystem().settings().config();
        String key = DISPATCHER + ".fork-join-executor.parallelism-max";
        return c.hasPath(key) ? Math.max(1, c.getInt(key)) : Runtime.getRuntime().availableProcessors();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
            .onMessage(Peers.class, p -> {
                peers = p.hosts();
                return this;
            })
            .onMessage(OpenWindow.class, this::onOpen)
            .onMessage(PeerBatch.class, this::onPeerBatch)
            .onMessage(CpuActor.WindowDone.class, this::onGroupDone)
            .onMessage(FinishRun.class, f -> {
                finishing = true;
                if (inline != null) return onCpuFinished(new CpuActor.Finished(inline.stats()));
                if (groups.isEmpty()) { // a node without CPUs (more nodes than CPUs) has nothing to wait for
                    coordinator.tell(new NodeFinished(node, new ArrayList<>(), true));
                    return Behaviors.stopped();
                }
                for (ActorRef<CpuActor.Command> g : groups) g.tell(new CpuActor.Finish());
                return this;
            })
            .onSignal(Terminated.class, t -> {
                if (!finishing) coordinator.tell(new RunFailed("node " + node + ": " + t.getRef().path().name() + " stopped unexpectedly"));
                return this;
            })
            .onMessage(CpuActor.Finished.class, this::onCpuFinished)
            .onMessage(CpuActor.Failed.class, f -> failed(f.cpu(), f.reason()))
            .build();
    }

    private Behavior<Command> onOpen(OpenWindow w) {
        open = w;
        return tryStart();
    }

    private Behavior<Command> onPeerBatch(PeerBatch b) {
        peerBatches.computeIfAbsent(b.window(), k -> new ArrayList<>()).add(b);
        return awaitingPeers ? tryContinue() : tryStart();
    }

    /** Starts window k once it is opened and every peer's batch of window k-1 is here. */
    private Behavior<Command> tryStart() {
        if (open == null || open.window() != nextWindow) return this;
        long prev = nextWindow - 1;
        int expected = nextWindow == 0 ? 0 : peers.size() - 1;
        List<PeerBatch> batches = peerBatches.getOrDefault(prev, List.of());
        if (batches.size() < Math.max(0, expected)) return this;
        peerBatches.remove(prev);
        if (open.moving() != null) moving = open.moving();
        if (open.receivers() != null) {
            java.util.Arrays.fill(receiver, false);
            for (int c : open.receivers()) if (localIndex[c] >= 0) receiver[localIndex[c]] = true;
        }
        for (PeerBatch b : batches) for (SimMessage m : b.messages()) file(localIndex[m.dst()], m);
        for (SimMessage m : open.commands()) file(localIndex[m.dst()], m);
        events = 0;
        windows = 1;
        newOutboxes();
        nextWindow++;
        if (open.directoryDelta() != null) {
            directory = open.directoryDelta().applyTo(directory);
            java.util.Arrays.fill(directoryStale, true);
        }
        end = open.end();
        snapshot = open.snapshot() && (!open.runOn() || end == open.freeEnd());
        return runWindows();
    }

    /** A message for local CPU {@code i}'s next window. */
    private void file(int i, SimMessage m) {
        inbox.get(i).add(m);
        if (!isPending[i]) {
            isPending[i] = true;
            pending[pendingCount++] = i;
        }
    }

    private void newOutboxes() {
        toPeers = new ArrayList<>();
        for (int i = 0; i < peers.size(); i++) toPeers.add(new ArrayList<>());
    }

    /** Whether this host is the run's only node. */
    private boolean alone() { return peers.size() <= 1; }

    /**
     * Runs the current window, then (on a run-on of the only node) the next ones this host may
     * open by itself, as long as no group actor has to answer; then {@link #windowDone()}.
     */
    private Behavior<Command> runWindows() {
        try {
            if (inline != null && open.runOn() && alone()) return runInOrder();
            while (true) {
                dispatch();
                if (awaiting > 0) return this; // the groups' WindowDone messages carry on
                if (!nextLocalWindow()) return windowDone();
            }
        } catch (CpuGroup.Failure e) {
            return failed(e.cpu, e.getMessage());
        }
    }

    /**
     * The only group of the only node, on one thread: no message from outside can reach its
     * CPUs before the free end, so it runs them there in time order, in one go, without windows.
     */
    private Behavior<Command> runInOrder() throws CpuGroup.Failure {
        end = open.freeEnd();
        snapshot = open.snapshot();
        snaps = snapshot ? new CpuSnapshot[localCpus.length] : null;
        minMsg = Long.MAX_VALUE;
        for (int k = 0; k < pendingCount; k++) isPending[pending[k]] = false;
        pendingCount = 0;
        int n = 0;
        for (int i = 0; i < localCpus.length; i++) {
            if (!inbox.get(i).isEmpty() || directoryStale[i]) toRun[n++] = i;
        }
        collect(inline.runInOrder(runWindow(0, n, n, end), end, receiver));
        return windowComplete();
    }

    /** On a run-on of the only node, moves to the next window if the run-on's end is not reached. */
    private boolean nextLocalWindow() {
        if (!open.runOn() || !alone() || end >= open.freeEnd()) return false;
        end = rule.nextEnd(min(lastSend), minMsg, open.freeEnd());
        snapshot = open.snapshot() && end == open.freeEnd();
        windows++;
        return true;
    }

    /** Hands each group with something to do before the window's end its part of the window. */
    private void dispatch() throws CpuGroup.Failure {
        minMsg = Long.MAX_VALUE;
        snaps = snapshot ? new CpuSnapshot[localCpus.length] : null;
        int count = groupCount;
        long freeEnd = open.freeEnd();
        int n = 0;
        // A scan, not a heap of next events: where windows are short enough to find few CPUs
        // with work, a run on one node has none (runInOrder); elsewhere most CPUs have work,
        // and two heap updates per CPU per window cost more than the scan (torture, 256 CPUs).
        for (int i = 0; i < localCpus.length; i++) {
            long cpuEnd = receiver[i] ? end : freeEnd;
            if (isPending[i] || lastNext[i] < cpuEnd || snapshot && ranSinceSnapshot[i]) toRun[n++] = i;
        }
        for (int k = 0; k < pendingCount; k++) isPending[pending[k]] = false;
        pendingCount = 0;
        java.util.Arrays.fill(membersToRun, 0);
        for (int k = 0; k < n; k++) membersToRun[toRun[k] % count]++;
        awaiting = 0;
        for (int g = 0; g < count; g++) {
            int members = membersToRun[g];
            if (members == 0) continue; // no message to a group with nothing to do
            CpuActor.RunWindow w = runWindow(g, members, n, freeEnd);
            if (inline != null) {
                collect(inline.run(w));
            } else {
                groups.get(g).tell(w);
                awaiting++;
            }
        }
    }

    /** Group {@code g}'s part of the window: its {@code members} CPUs among the {@code n} of toRun. */
    private CpuActor.RunWindow runWindow(int g, int members, int n, long freeEnd) {
        int count = groupCount;
        int[] ids = new int[members];
        long[] ends = new long[members];
        SimMessage[][] inboxes = new SimMessage[members][];
        Directory[] dirs = new Directory[members];
        int j = 0;
        for (int k = 0; k < n && j < members; k++) {
            int i = toRun[k];
            if (i % count != g) continue;
            List<SimMessage> in = inbox.get(i);
            ids[j] = i / count;
            ends[j] = receiver[i] ? end : freeEnd;
            inboxes[j] = WindowOutbox.NO_MESSAGES;
            if (!in.isEmpty()) {
                inboxes[j] = in.toArray(WindowOutbox.NO_MESSAGES);
                in.clear();
            }
            dirs[j] = directoryStale[i] ? directory : null;
            directoryStale[i] = false;
            j++;
        }
        return new CpuActor.RunWindow(open.window(), ids, ends, inboxes, dirs, snapshot);
    }

    private Behavior<Command> onGroupDone(CpuActor.WindowDone d) {
        collect(d);
        awaiting--;
        if (awaiting > 0) return this;
        return nextLocalWindow() ? runWindows() : windowDone();
    }

    /**
     * The window is run. On a run-on across nodes that has not reached its end, the hosts open
     * the next window among themselves, one message hop instead of a round trip through the
     * coordinator (docs/architecture.md#windows): each sends every peer its messages and
     * bounds, and each computes the same next window from all of them. Otherwise: the report.
     */
    private Behavior<Command> windowDone() {
        if (!open.runOn() || alone() || end >= open.freeEnd()) return windowComplete();
        sendPeerBatches(nextWindow - 1);
        awaitingPeers = true;
        return tryContinue();
    }

    /** Opens the next window of a run-on across nodes once every peer's batch of this one is here. */
    private Behavior<Command> tryContinue() {
        long w = nextWindow - 1;
        List<PeerBatch> batches = peerBatches.getOrDefault(w, List.of());
        if (batches.size() < peers.size() - 1) return this;
        peerBatches.remove(w);
        awaitingPeers = false;
        long send = min(lastSend), msg = minMsg;
        for (PeerBatch b : batches) {
            send = Math.min(send, b.minEarliestSend());
            msg = Math.min(msg, b.minMessageBound());
            for (SimMessage m : b.messages()) file(localIndex[m.dst()], m);
        }
        end = rule.nextEnd(send, msg, open.freeEnd());
        snapshot = open.snapshot() && end == open.freeEnd();
        windows++;
        nextWindow++;
        newOutboxes();
        return runWindows();
    }

    private void sendPeerBatches(long window) {
        long send = min(lastSend);
        for (int n = 0; n < peers.size(); n++) {
            if (n != node) peers.get(n).tell(new PeerBatch(window, node, toPeers.get(n).toArray(WindowOutbox.NO_MESSAGES), send, minMsg));
        }
    }

    /** What a group did in the window: its CPUs' bounds and snapshots, its messages routed. */
    private void collect(CpuActor.WindowDone d) {
        int count = groupCount;
        for (int j = 0; j < d.members().length; j++) {
            int li = d.members()[j] * count + d.group();
            lastNext[li] = d.nextEvent()[j];
            lastSend[li] = d.earliestSend()[j];
            if (snaps != null) snaps[li] = d.snapshots()[j];
            ranSinceSnapshot[li] = d.snapshots() == null;
        }
        for (SimMessage m : d.sent()) {
            minMsg = Math.min(minMsg, SendBounds.of(m, workload, moving));
            int di = localIndex[m.dst()];
            if (di >= 0) {
                file(di, m);
            } else {
                toPeers.get(nodeOfCpu[m.dst()]).add(m);
            }
        }
        events += d.events();
    }

    /** The least of a bound over the local CPUs (a CPU that did not run keeps its last one). */
    private static long min(long[] bounds) {
        long m = Long.MAX_VALUE;
        for (long b : bounds) m = Math.min(m, b);
        return m;
    }

    private Behavior<Command> failed(int cpu, String reason) {
        finishing = true; // the run is over: the failed CPU's stop is no news
        coordinator.tell(new RunFailed("cpu " + cpu + ": " + reason));
        return this;
    }

    /** All local CPUs are done: hand the peers their messages and report to the coordinator. */
    private Behavior<Command> windowComplete() {
        long window = nextWindow - 1;
        sendPeerBatches(window);
        coordinator.tell(new WindowReport(window, node, min(lastNext), min(lastSend), minMsg, events,
            snaps == null ? null : java.util.Arrays.stream(snaps).filter(java.util.Objects::nonNull).toArray(CpuSnapshot[]::new),
            windows));
        return this;
    }

    private Behavior<Command> onCpuFinished(CpuActor.Finished f) {
        finished.addAll(f.stats());
        if (finished.size() == localCpus.length) {
            for (int i = 0; i < finished.size(); i += STATS_PER_CHUNK) {
                int to = Math.min(finished.size(), i + STATS_PER_CHUNK);
                coordinator.tell(new NodeFinished(node, new ArrayList<>(finished.subList(i, to)), to == finished.size()));
            }
            return Behaviors.stopped();
        }
        return this;
    }
}
