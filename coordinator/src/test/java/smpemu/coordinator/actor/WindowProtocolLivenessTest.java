package smpemu.coordinator.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import smpemu.config.SimSettings;
import smpemu.coordinator.engine.EngineStats;
import smpemu.coordinator.engine.RunOutcome;
import smpemu.coordinator.engine.RunProgress;
import smpemu.coordinator.engine.Runs;
import smpemu.coordinator.result.ResultBuilder;
import smpemu.node.actor.CoordinatorMsg;
import smpemu.node.actor.NodeHost;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.TaskState;

/**
 * Liveness of the window protocol when the network delays and reorders: every message to a
 * NodeHost or to the coordinator goes through a relay that holds it for a random time, keeping
 * only what Pekko guarantees (the order of one sender's messages to one receiver). The run must
 * still end, with the digest of the sequential engine.
 */
class WindowProtocolLivenessTest {
    private static final int NODES = 3;
    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create(ConfigFactory.parseString("pekko.scheduler.tick-duration = 1ms")
            .withFallback(NodeHost.dispatcherConfig(2, 100)));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    @ParameterizedTest(name = "jitter seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void delayedAndReorderedMessagesStillEndTheRunWithTheSameDigest(long jitterSeed) throws Exception {
        SimSettings s = Runs.hocon("smpemu { seed = 5, duration = 4ms, measurement.window = 2ms,"
            + " topology { cpus = 12, sockets = 2 },"
            + " workload.tasks = [{ name = a, count = 12, per-cpu = true, mm = app, program = [{op = loop, body = ["
            + " {op = compute, duration = {dist = exponential, mean = 300us}},"
            + " {op = smp-call, call = many, cpus = \"0-11\", wait = true, func = 2us},"
            + " {op = munmap, pages = 2},"
            + " {op = sleep, duration = {dist = exponential, mean = 400us}}]}] },"
            + " { name = w, count = 4, program = [{op = loop, body = [{op = compute, duration = 200us},"
            + " {op = sleep, duration = {dist = exponential, mean = 300us}}]}] }] }");
        ModelContext ctx = new ModelContext(s);
        int n = ctx.topology.cpus();
        int[] nodeOfCpu = new int[n];
        for (int c = 0; c < n; c++) nodeOfCpu[c] = c % NODES; // every window crosses nodes
        AtomicLong held = new AtomicLong(), reports = new AtomicLong();
        CompletableFuture<Coordinator.Finished> done = new CompletableFuture<>();
        testKit.spawn(Coordinator.create(ctx, nodeOfCpu, NODES, done,
            new JitteredPlacement(ctx, nodeOfCpu, new SplittableRandom(jitterSeed), held, reports), RunProgress.IGNORED),
            "coordinator-" + jitterSeed, DispatcherSelector.fromConfig(NodeHost.DISPATCHER));

        // A guard, not a measurement: without jitter the run takes well under a second.
        Coordinator.Finished f = done.get(120, TimeUnit.SECONDS);
        assertTrue(held.get() > 100, "the relays delayed messages: " + held.get());
        assertTrue(f.windows() > 100, "windows: " + f.windows());
        // The hosts open the windows between two instants among themselves (one hop each): the
        // coordinator hears from each host once per instant, not once per window.
        assertTrue(reports.get() / NODES < f.windows() / 10, reports.get() + " reports for " + f.windows() + " windows");
        String digest = ResultBuilder.build(new RunOutcome(ctx, f.stats(), "actors", NODES,
            new EngineStats(0, f.windows(), 0, 0))).digest();
        assertEquals(Runs.sequential(s).digest(), digest);
    }

    /** A coordinator that throws must end the run with an error, not leave its caller waiting. */
    @org.junit.jupiter.api.Test
    void aCoordinatorThatThrowsEndsTheRun() throws Exception {
        ModelContext ctx = new ModelContext(Runs.scenario("smoke", "smpemu.duration = 10ms"));
        TestProbe<NodeHost.Command> host = testKit.createTestProbe(NodeHost.Command.class);
        CompletableFuture<Coordinator.Finished> done = new CompletableFuture<>();
        ActorRef<CoordinatorMsg> coordinator = testKit.spawn(Coordinator.create(ctx, new int[ctx.topology.cpus()], 1, done,
            (context, node, cpus, tasks, dir) -> host.getRef(), RunProgress.IGNORED), "crashing-coordinator");
        host.expectMessageClass(NodeHost.Peers.class);
        host.expectMessageClass(NodeHost.OpenWindow.class);
        // A snapshot of a CPU the machine does not have: the coordinator's handler throws.
        coordinator.tell(new NodeHost.WindowReport(0, 0, 0, 0, Long.MAX_VALUE, 0,
            new CpuSnapshot[] {new CpuSnapshot(999, -1, new int[0], new int[0], false)}));
        ExecutionException e = assertThrows(ExecutionException.class, () -> done.get(30, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().startsWith("the coordinator stopped during window 0"), e.getCause().getMessage());
    }

    /** Every node's host and the coordinator behind relays; the relays stand in for the network. */
    private record JitteredPlacement(ModelContext ctx, int[] nodeOfCpu, SplittableRandom rng, AtomicLong held,
                                     AtomicLong reports)
        implements Coordinator.Placement {
        @Override
        public ActorRef<NodeHost.Command> place(ActorContext<CoordinatorMsg> context, int node, int[] cpus,
                                                Map<Integer, List<TaskState>> tasks, Directory dir) {
            ActorRef<CoordinatorMsg> toCoordinator = context.spawn(relay(context.getSelf(), rng.split(), held, reports),
                "to-coordinator-from-" + node).unsafeUpcast();
            ActorRef<NodeHost.Command> host = context.spawn(NodeHost.create(node, cpus, nodeOfCpu, ctx, tasks, dir,
                toCoordinator), "node-" + node, DispatcherSelector.fromConfig(NodeHost.DISPATCHER));
            return context.spawn(relay(host, rng.split(), held, new AtomicLong()), "to-node-" + node).unsafeUpcast();
        }
    }

    private record Release() {}

    /**
     * Holds each message for 0-1 ms (a third go at once), per sender in order: a PeerBatch is
     * keyed by its sending node, everything else to a host by the coordinator, and everything
     * to the coordinator by its host (each coordinator relay serves one host).
     */
    /** {@code reports} counts the WindowReports it relays. */
    private static <T> Behavior<Object> relay(ActorRef<T> target, SplittableRandom rng, AtomicLong held, AtomicLong reports) {
        return Behaviors.withTimers(timers -> {
            Map<Integer, ArrayDeque<Object>> queues = new HashMap<>();
            Map<Integer, Long> due = new HashMap<>();
            return Behaviors.receive(Object.class)
                .onMessage(Release.class, r -> {
                    long now = System.nanoTime();
                    long next = Long.MAX_VALUE;
                    for (Map.Entry<Integer, ArrayDeque<Object>> e : queues.entrySet()) {
                        ArrayDeque<Object> q = e.getValue();
                        if (q.isEmpty()) continue;
                        if (due.get(e.getKey()) <= now) {
                            @SuppressWarnings("unchecked") T m = (T) q.poll();
                            target.tell(m);
                            if (!q.isEmpty()) due.put(e.getKey(), now + delay(rng));
                        }
                        if (!q.isEmpty()) next = Math.min(next, due.get(e.getKey()));
                    }
                    if (next != Long.MAX_VALUE) {
                        timers.startSingleTimer(Release.class, new Release(), Duration.ofNanos(Math.max(0, next - now)));
                    }
                    return Behaviors.same();
                })
                .onAnyMessage(m -> {
                    if (m instanceof NodeHost.WindowReport) reports.incrementAndGet();
                    int key = m instanceof NodeHost.PeerBatch b ? b.fromNode() : -1;
                    ArrayDeque<Object> q = queues.computeIfAbsent(key, k -> new ArrayDeque<>());
                    long d = delay(rng);
                    if (q.isEmpty() && d == 0) {
                        @SuppressWarnings("unchecked") T t = (T) m;
                        target.tell(t);
                        return Behaviors.same();
                    }
                    held.incrementAndGet();
                    if (q.isEmpty()) due.put(key, System.nanoTime() + d);
                    q.add(m);
                    if (!timers.isTimerActive(Release.class)) timers.startSingleTimer(Release.class, new Release(), Duration.ofNanos(d));
                    return Behaviors.same();
                })
                .build();
        });
    }

    private static long delay(SplittableRandom rng) {
        return rng.nextInt(3) == 0 ? 0 : rng.nextLong(1_000_000);
    }
}
