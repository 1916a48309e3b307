package smpemu.node.actor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import smpemu.config.SettingsLoader;
import smpemu.node.actor.NodeHost.NodeFinished;
import smpemu.node.actor.NodeHost.OpenWindow;
import smpemu.node.actor.NodeHost.RunFailed;
import smpemu.node.actor.NodeHost.WindowReport;
import smpemu.node.model.Boot;
import smpemu.node.model.CpuModel;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.node.model.Program;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.MsgKind;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * The window protocol of real NodeHost and CpuActor (group) actors (docs/architecture.md#windows), with a test
 * probe standing in for the coordinator.
 */
class NodeHostWindowProtocolTest {
    private static final long MS = 1_000_000;
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final SimMessage[] NONE = new SimMessage[0];

    private static ActorTestKit testKit;

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create(NodeHost.dispatcherConfig(1, 100));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    /** A periodic FIFO task on CPU 0, a compute/sleep loop on CPU 1. */
    private static final String TWO_CPUS = """
        duration = 5ms
        topology.cpus = 2
        workload.tasks = [
          {name = tick, policy = fifo, priority = 50, affinity = [0],
           program = [{op = periodic, period = 100us, work = 20us}]}
          {name = worker, affinity = [1],
           program = [{op = loop, body = [{op = compute, duration = 50us}, {op = sleep, duration = 30us}]}]}
        ]
        """;

    /** tx on CPU 0 wakes rx on CPU 1 once per ~1.1 ms; no balancing instant before the end. */
    private static final String PING = """
        duration = 3ms
        topology.cpus = 2
        workload.tasks = [
          {name = tx, affinity = [0], program = [{op = loop, body = [
            {op = compute, duration = 100us}, {op = wake, task = rx}, {op = sleep, duration = 1ms}]}]}
          {name = rx, affinity = [1], program = [{op = loop, body = [
            {op = block}, {op = compute, duration = 10us}]}]}
        ]
        """;

    @Test
    void oneNodeReportsEveryWindowAndItsEvents() {
        ModelContext ctx = context(TWO_CPUS);
        TestProbe<CoordinatorMsg> coord = testKit.createTestProbe(CoordinatorMsg.class);
        ActorRef<NodeHost.Command> host = spawnHost(ctx, 0, new int[] {0, 1}, new int[] {0, 0}, coord);
        host.tell(new NodeHost.Peers(List.of(host)));

        host.tell(new OpenWindow(0, 0, 0, NONE, null, null, new int[] {0, 1}, false));
        WindowReport r0 = coord.expectMessageClass(WindowReport.class, WAIT);
        assertEquals(0, r0.window());
        assertEquals(0, r0.node());
        assertEquals(0, r0.events(), "nothing happens before time 0");
        assertTrue(r0.minNextEvent() >= 0);
        assertNull(r0.snapshots());

        host.tell(new OpenWindow(1, MS, MS, NONE, null, null, null, true));
        WindowReport r1 = coord.expectMessageClass(WindowReport.class, WAIT);
        assertEquals(1, r1.window());
        assertTrue(r1.events() > 0);
        assertTrue(r1.minNextEvent() >= MS, "every event before the end was processed");
        assertTrue(r1.minEarliestSend() >= MS, "no CPU can send before the window's end");
        assertEquals(2, r1.snapshots().length);
        assertArrayEquals(new int[] {0, 1},
            Arrays.stream(r1.snapshots()).mapToInt(CpuSnapshot::cpu).sorted().toArray());

        host.tell(new NodeHost.FinishRun());
        NodeFinished done = coord.expectMessageClass(NodeFinished.class, WAIT);
        assertEquals(0, done.node());
        assertEquals(2, done.stats().size());
        assertEquals(r0.events() + r1.events(), done.stats().stream().mapToLong(s -> s.events).sum());
    }

    @Test
    void crossNodeWakeUpsMatchTheSequentialModelWhenEveryCpuRunsToTheWindowEnd() {
        crossNodeRunMatchesSequentialModel(false);
    }

    @Test
    void crossNodeWakeUpsMatchTheSequentialModelWhenTheSenderRunsAhead() {
        crossNodeRunMatchesSequentialModel(true);
    }

    /**
     * CPU 0 on node 0 wakes a task of CPU 1 on node 1; windows are driven like the Coordinator
     * does. With {@code onlyWakeTargetReceives}, CPU 0 is not a receiver (as DecisionCore.receivers
     * would say) and runs to the end of the run in the first real window.
     */
    private void crossNodeRunMatchesSequentialModel(boolean onlyWakeTargetReceives) {
        ModelContext ctx = context(PING);
        long lookahead = ctx.topology.minLatency();
        long duration = ctx.durationNs;
        int[] nodeOfCpu = {0, 1};
        TestProbe<CoordinatorMsg> coord = testKit.createTestProbe(CoordinatorMsg.class);
        List<ActorRef<NodeHost.Command>> hosts = List.of(
            spawnHost(ctx, 0, new int[] {0}, nodeOfCpu, coord),
            spawnHost(ctx, 1, new int[] {1}, nodeOfCpu, coord));
        for (ActorRef<NodeHost.Command> h : hosts) h.tell(new NodeHost.Peers(hosts));
        int[] receivers = onlyWakeTargetReceives ? new int[] {1} : new int[] {0, 1};

        long window = 0, end = 0, events = 0;
        while (true) {
            long freeEnd = end == 0 || !onlyWakeTargetReceives ? end : duration;
            for (ActorRef<NodeHost.Command> h : hosts) {
                h.tell(new OpenWindow(window, end, freeEnd, NONE, null, null, window == 0 ? receivers : null, false));
            }
            long bound = Long.MAX_VALUE;
            boolean[] reported = new boolean[2];
            for (int i = 0; i < hosts.size(); i++) {
                WindowReport r = coord.expectMessageClass(WindowReport.class, WAIT);
                assertEquals(window, r.window());
                assertFalse(reported[r.node()], "one report per node per window");
                reported[r.node()] = true;
                // What the next window's end rests on: nothing is left, sent or in flight before
                // this end, so end <= min(EST, message bound) + lookahead moves strictly forward.
                assertTrue(r.minNextEvent() >= end, "window " + window + ": event left before " + end);
                assertTrue(r.minEarliestSend() >= end, "window " + window + ": EST before " + end);
                assertTrue(r.minMessageBound() >= end, "window " + window + ": message before " + end);
                bound = Math.min(bound, Math.min(r.minEarliestSend(), r.minMessageBound()));
                events += r.events();
            }
            if (end >= duration) break;
            long next = Math.min(Program.sat(bound, lookahead), duration);
            assertTrue(next > end && next <= Program.sat(bound, lookahead));
            end = next;
            window++;
        }

        for (ActorRef<NodeHost.Command> h : hosts) h.tell(new NodeHost.FinishRun());
        CpuStats[] actors = new CpuStats[2];
        for (int i = 0; i < hosts.size(); i++) {
            NodeFinished f = coord.expectMessageClass(NodeFinished.class, WAIT);
            assertEquals(1, f.stats().size());
            CpuStats s = f.stats().get(0);
            assertEquals(f.node(), nodeOfCpu[s.cpu]);
            actors[s.cpu] = s;
        }
        assertEquals(events, actors[0].events + actors[1].events, "events reported over the windows");
        assertTrue(actors[1].wakeups > 0, "the wake-up crossed from node 0 to node 1");

        CpuStats[] truth = sequential(ctx);
        for (int c = 0; c < 2; c++) {
            assertEquals(truth[c].events, actors[c].events, "cpu " + c + " events");
            assertEquals(truth[c].wakeups, actors[c].wakeups, "cpu " + c + " wakeups");
            assertEquals(truth[c].contextSwitches, actors[c].contextSwitches, "cpu " + c + " context switches");
        }
    }

    /**
     * The only node on one thread, allowed to run on: its one group runs both CPUs in time
     * order to the free end (the wake-ups from CPU 0 to CPU 1 delivered at once) and it reports
     * once, at that end.
     */
    @Test
    void theOnlyNodeOnOneThreadRunsOnInTimeOrderAndReportsOnceAtTheFreeEnd() {
        assertEquals(1, runOn(testKit), "one window: no window is needed inside the group");
    }

    /**
     * The only node on two threads (two CPU groups, actors): it opens the windows up to the free
     * end by itself (the wake-ups from CPU 0 to CPU 1 end several of them) and reports once.
     */
    @Test
    void theOnlyNodeOnTwoThreadsRunsOnWindowAfterWindowAndReportsOnceAtTheFreeEnd() {
        ActorTestKit twoThreads = ActorTestKit.create(NodeHost.dispatcherConfig(2, 100));
        try {
            long windows = runOn(twoThreads);
            assertTrue(windows > 3, "one window per wake-up at least: " + windows);
        } finally {
            twoThreads.shutdownTestKit();
        }
    }

    /** Runs PING on one host with a run-on to the end; returns the windows its report covers. */
    private static long runOn(ActorTestKit kit) {
        ModelContext ctx = context(PING);
        long duration = ctx.durationNs;
        TestProbe<CoordinatorMsg> coord = kit.createTestProbe(CoordinatorMsg.class);
        ActorRef<NodeHost.Command> host = spawnHost(kit, ctx, 0, new int[] {0, 1}, new int[] {0, 0}, coord);
        host.tell(new NodeHost.Peers(List.of(host)));
        host.tell(new OpenWindow(0, 0, 0, NONE, null, null, new int[] {0, 1}, false, true));
        WindowReport r0 = coord.expectMessageClass(WindowReport.class, WAIT);
        assertEquals(1, r0.windows());

        long end = WindowRule.lookahead(ctx.lookaheadNs).nextEnd(r0.minEarliestSend(), r0.minMessageBound(), duration);
        assertTrue(end < duration, "the first window ends before the run does: " + end);
        host.tell(new OpenWindow(1, end, duration, NONE, null, null, null, true, true));
        WindowReport r1 = coord.expectMessageClass(WindowReport.class, WAIT);
        assertEquals(1, r1.window());
        assertTrue(r1.minNextEvent() >= duration, "every event before the free end was processed");
        assertEquals(2, r1.snapshots().length, "the snapshots are those at the free end");
        coord.expectNoMessage(Duration.ofMillis(50)); // one report for all those windows

        host.tell(new NodeHost.FinishRun());
        NodeFinished done = coord.expectMessageClass(NodeFinished.class, WAIT);
        CpuStats[] truth = sequential(ctx);
        for (CpuStats s : done.stats()) {
            assertEquals(truth[s.cpu].events, s.events, "cpu " + s.cpu + " events");
            assertEquals(truth[s.cpu].wakeups, s.wakeups, "cpu " + s.cpu + " wakeups");
        }
        assertTrue(truth[1].wakeups > 0);
        assertEquals(r0.events() + r1.events(), done.stats().stream().mapToLong(s -> s.events).sum());
        return r1.windows();
    }

    @Test
    void aModelFailureStopsTheRunInsteadOfHanging() {
        ModelContext ctx = context(TWO_CPUS);
        TestProbe<CoordinatorMsg> coord = testKit.createTestProbe(CoordinatorMsg.class);
        ActorRef<NodeHost.Command> host = spawnHost(ctx, 0, new int[] {0, 1}, new int[] {0, 0}, coord);
        host.tell(new NodeHost.Peers(List.of(host)));
        host.tell(new OpenWindow(0, 0, 0, NONE, null, null, new int[] {0, 1}, false));
        coord.expectMessageClass(WindowReport.class, WAIT);
        host.tell(new OpenWindow(1, MS, MS, NONE, null, null, null, false));
        assertTrue(coord.expectMessageClass(WindowReport.class, WAIT).events() > 0);

        // A coordinator wake-up for time 0, while CPU 0 is already close to 1 ms.
        SimMessage past = new SimMessage(0, MsgKind.WAKE, 2, 0, 0, 0, 0, 0, 0, null);
        host.tell(new OpenWindow(2, 2 * MS, 2 * MS, new SimMessage[] {past}, null, null, null, false));
        RunFailed failed = coord.expectMessageClass(RunFailed.class, WAIT);
        assertTrue(failed.reason().contains("causality"), failed.reason());
        coord.expectNoMessage(Duration.ofMillis(100)); // and no report of a window that did not complete
        testKit.stop(host);
    }

    // ------------------------------------------------------------------------------ helpers

    private static ModelContext context(String body) {
        return new ModelContext(SettingsLoader.fromUserLayer(ConfigFactory.parseString("smpemu { " + body + " }")));
    }

    private static ActorRef<NodeHost.Command> spawnHost(ModelContext ctx, int node, int[] localCpus,
                                                       int[] nodeOfCpu, TestProbe<CoordinatorMsg> coord) {
        return spawnHost(testKit, ctx, node, localCpus, nodeOfCpu, coord);
    }

    private static ActorRef<NodeHost.Command> spawnHost(ActorTestKit kit, ModelContext ctx, int node, int[] localCpus,
                                                       int[] nodeOfCpu, TestProbe<CoordinatorMsg> coord) {
        Directory dir = Boot.initialDirectory(ctx);
        Map<Integer, List<TaskState>> tasks = new HashMap<>();
        for (int t = 0; t < ctx.workload.taskCount(); t++) {
            int cpu = dir.cpuOf(t);
            if (nodeOfCpu[cpu] == node) tasks.computeIfAbsent(cpu, k -> new ArrayList<>()).add(Boot.newTask(ctx, t));
        }
        return kit.spawn(NodeHost.create(node, localCpus, nodeOfCpu, ctx, tasks, dir, coord.getRef()),
            DispatcherSelector.fromConfig(NodeHost.DISPATCHER));
    }

    /** Ground truth: plain CpuModels, messages delivered at once, always the earliest CPU first. */
    private static CpuStats[] sequential(ModelContext ctx) {
        int n = ctx.topology.cpus();
        CpuModel[] cpus = new CpuModel[n];
        for (int c = 0; c < n; c++) cpus[c] = new CpuModel(c, ctx, m -> cpus[m.dst()].deliver(m));
        Directory dir = Boot.initialDirectory(ctx);
        for (int t = 0; t < ctx.workload.taskCount(); t++) cpus[dir.cpuOf(t)].adopt(Boot.newTask(ctx, t));
        for (CpuModel c : cpus) {
            c.setDirectory(dir);
            c.start();
        }
        while (true) {
            CpuModel next = cpus[0];
            for (CpuModel c : cpus) if (c.nextEventTime() < next.nextEventTime()) next = c;
            if (next.nextEventTime() >= ctx.durationNs) break;
            next.processOne();
        }
        return Arrays.stream(cpus).map(c -> c.stats).toArray(CpuStats[]::new);
    }
}
