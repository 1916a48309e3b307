package smpemu.coordinator.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import smpemu.coordinator.actor.Coordinator;
import smpemu.coordinator.engine.RunOutcome;
import smpemu.coordinator.engine.Runs;
import smpemu.coordinator.engine.SequentialEngine;
import smpemu.coordinator.result.ResultBuilder;
import smpemu.node.actor.CoordinatorMsg;
import smpemu.node.actor.NodeHost;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.MsgKind;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;
import smpemu.protocol.WireMessage;
import smpemu.protocol.wire.KryoSerializer;
import smpemu.protocol.wire.WireRegistry;

/**
 * The wire format (Kryo, registration required): every message class that may cross nodes
 * survives a round trip, and a class implementing WireMessage that is not registered fails here
 * rather than as a dropped message in a cluster run.
 */
class WireFormatTest {
    private static ActorSystem<Void> system;
    private static KryoSerializer kryo;

    @BeforeAll
    static void start() {
        // A local system (no port): the serializer only needs it to resolve actor refs.
        system = ActorSystem.create(Behaviors.empty(), "wire", ConfigFactory.parseString(
            WireRegistry.REGISTRARS_KEY + " = [\"" + String.join("\",\"", ClusterWire.REGISTRARS) + "\"]")
            .withFallback(ConfigFactory.load()));
        kryo = new KryoSerializer((ExtendedActorSystem) Adapter.toClassic(system));
    }

    @AfterAll
    static void stop() { system.terminate(); }

    @SuppressWarnings("unchecked")
    private static <T> T roundTrip(T o) {
        byte[] bytes = kryo.toBinary(o);
        Object back = kryo.fromBinaryJava(bytes, null);
        assertEquals(o.getClass(), back.getClass());
        // Serializing the copy gives the same bytes: nothing was lost on the way.
        assertArrayEquals(bytes, kryo.toBinary(back), o.getClass().getName());
        return (T) back;
    }

    private static TaskState task(int id) {
        TaskState t = new TaskState(id, 3, 0x1234_5678_9abcL + id);
        t.pc = 4;
        t.opRemaining = 77;
        t.loopLeft[1] = 9;
        t.wakeRequestedAt = 1000;
        t.xcall = new CrossCallState();
        t.xcall.targets = new int[] {1, 2, 5};
        t.xcall.released = new boolean[] {true, false, false};
        t.xcall.pending = 2;
        return t;
    }

    private static SimMessage message(int dst) {
        return new SimMessage(5000 + dst, MsgKind.MIGRATE_IN, 1, 42, dst, 7, 3, -1, 99, task(7));
    }

    private static Directory directory() {
        return new Directory(new int[] {0, 1, 2, 3});
    }

    /** Real measurements (histograms included) from a short run. */
    private static RunOutcome shortRun() {
        return new SequentialEngine().run(new ModelContext(Runs.scenario("rt-16",
            "smpemu { duration = 300ms, measurement.window = 100ms }")));
    }

    private static int actors;

    private Map<Class<?>, Object> samples() {
        ActorRef<NodeHost.Command> host = Adapter.toTyped(Adapter.toClassic(system).deadLetters());
        ActorRef<NodeHost.Command> ref = system.systemActorOf(Behaviors.<NodeHost.Command>empty(), "sample-" + (++actors), 
            org.apache.pekko.actor.typed.Props.empty());
        ActorRef<CoordinatorMsg> coord = system.systemActorOf(Behaviors.<CoordinatorMsg>empty(), "coord-" + (++actors),
            org.apache.pekko.actor.typed.Props.empty());
        ActorRef<NodeAgent.Msg> agent = system.systemActorOf(Behaviors.<NodeAgent.Msg>empty(), "agent-" + (++actors),
            org.apache.pekko.actor.typed.Props.empty());
        ActorRef<Gate.Msg> gate = system.systemActorOf(Behaviors.<Gate.Msg>empty(), "gate-" + (++actors),
            org.apache.pekko.actor.typed.Props.empty());
        List<CpuStats> stats = new ArrayList<>(shortRun().cpus().subList(0, 3));
        HashMap<Integer, List<TaskState>> tasks = new HashMap<>();
        tasks.put(3, new ArrayList<>(List.of(task(1), task(2))));
        CpuSnapshot snap = new CpuSnapshot(3, 1, new int[] {2, 4}, new int[] {5, 6}, true);
        Map<Class<?>, Object> m = new LinkedHashMap<>();
        m.put(SimMessage.class, message(3));
        m.put(TaskState.class, task(1));
        m.put(CrossCallState.class, task(1).xcall);
        m.put(CpuSnapshot.class, snap);
        m.put(NodeHost.Peers.class, new NodeHost.Peers(new ArrayList<>(List.of(ref, host))));
        m.put(NodeHost.OpenWindow.class, new NodeHost.OpenWindow(12, 5000, 9000, new SimMessage[] {message(3)},
            new Directory.Delta(new int[] {1, 2}), new int[] {1, 2}, new int[] {3}, true));
        m.put(Directory.Delta.class, new Directory.Delta(new int[] {4, 5}));
        m.put(NodeHost.PeerBatch.class, new NodeHost.PeerBatch(12, 1, new SimMessage[] {message(3), message(4)}, 7_000, Long.MAX_VALUE));
        m.put(NodeHost.FinishRun.class, new NodeHost.FinishRun());
        m.put(NodeHost.WindowReport.class, new NodeHost.WindowReport(12, 1, 10, 20, 30, 400, new CpuSnapshot[] {snap}));
        m.put(NodeHost.NodeFinished.class, new NodeHost.NodeFinished(1, stats, true));
        m.put(NodeHost.RunFailed.class, new NodeHost.RunFailed("cpu 3: boom"));
        m.put(NodeAgent.Hello.class, new NodeAgent.Hello(gate, "0.1.0", "abc"));
        m.put(NodeAgent.Accepted.class, new NodeAgent.Accepted());
        m.put(NodeAgent.Refused.class, new NodeAgent.Refused("wrong cluster secret"));
        m.put(NodeAgent.HostCpus.class, new NodeAgent.HostCpus(1, new int[] {3}, new int[] {0, 0, 0, 1}, tasks,
            directory(), coord, "{\"smpemu\":{}}", "hash"));
        m.put(Gate.Register.class, new Gate.Register(agent, "0.1.0", "abc", "proof"));
        m.put(Coordinator.HostReady.class, new Coordinator.HostReady(1, ref));
        m.put(Coordinator.HostRefused.class, new Coordinator.HostRefused(1, "config"));
        m.put(Coordinator.HostStopped.class, new Coordinator.HostStopped(1));
        ActorRef<SweepMaster.Msg> master = system.systemActorOf(Behaviors.<SweepMaster.Msg>empty(), "master-" + (++actors),
            org.apache.pekko.actor.typed.Props.empty());
        ActorRef<SweepWorker.Msg> sweeper = system.systemActorOf(Behaviors.<SweepWorker.Msg>empty(), "sweeper-" + (++actors),
            org.apache.pekko.actor.typed.Props.empty());
        m.put(NodeAgent.JoinSweep.class, new NodeAgent.JoinSweep(master));
        m.put(SweepMaster.Pull.class, new SweepMaster.Pull(sweeper));
        m.put(SweepMaster.Done.class, new SweepMaster.Done(7, "{\"digest\":\"ab\"}", sweeper));
        m.put(SweepMaster.Failed.class, new SweepMaster.Failed(7, "boom", sweeper));
        m.put(SweepWorker.Point.class, new SweepWorker.Point(7, "{\"smpemu\":{}}", "hash"));
        m.put(SweepWorker.NoMore.class, new SweepWorker.NoMore());
        return m;
    }

    @Test
    void everyWireMessageSurvivesARoundTrip() {
        Map<Class<?>, Object> samples = samples();
        for (Object o : samples.values()) roundTrip(o);
        // Every WireMessage class found in the modules has a sample here.
        for (Class<?> c : wireMessageClasses()) assertTrue(samples.containsKey(c), "no round-trip sample for " + c.getName());
    }

    @Test
    void fieldsArriveIntact() {
        NodeAgent.HostCpus h = (NodeAgent.HostCpus) samples().get(NodeAgent.HostCpus.class);
        NodeAgent.HostCpus b = roundTrip(h);
        assertEquals(h.coordinator(), b.coordinator(), "actor refs resolve to the same actor");
        assertEquals(List.of(1, 2), b.tasks().get(3).stream().map(t -> t.id).toList());
        assertArrayEquals(new boolean[] {true, false, false}, b.tasks().get(3).get(0).xcall.released);
        assertEquals(directory().cpuOf(3), b.dir().cpuOf(3));
    }

    @Test
    void measurementsKeepTheDigest() {
        RunOutcome o = shortRun();
        List<CpuStats> back = new ArrayList<>();
        for (CpuStats s : o.cpus()) back.add(roundTrip(s));
        RunOutcome copy = new RunOutcome(o.context(), back, o.engine(), o.nodes(), o.engineStats());
        assertNotNull(o.cpus().get(0).rtLatency(), "the sample must carry a histogram");
        assertEquals(ResultBuilder.build(o).digest(), ResultBuilder.build(copy).digest());
    }

    /** The blame records (outside the digest) come back from a node intact, so a cluster run's chains are the same. */
    @Test
    void blameRecordsArriveIntact() {
        RunOutcome o = new SequentialEngine().run(new ModelContext(Runs.scenario("stalls",
            "smpemu { kernel.variant = baseline, kernel.smp.pv-tlb-flush = false }")));
        List<CpuStats> back = new ArrayList<>();
        for (CpuStats s : o.cpus()) back.add(roundTrip(s));
        RunOutcome copy = new RunOutcome(o.context(), back, o.engine(), o.nodes(), o.engineStats());
        List<smpemu.coordinator.result.RunResult.Section> longest = ResultBuilder.build(o).longest();
        assertTrue(longest.stream().anyMatch(x -> !x.blame().isEmpty()), "the sample must carry a chain");
        assertEquals(longest, ResultBuilder.build(copy).longest());
    }

    @Test
    void typedRefsHaveTheAdapterClassTheRegistryNames() {
        ActorRef<Void> ref = system.systemActorOf(Behaviors.<Void>empty(), "probe", org.apache.pekko.actor.typed.Props.empty());
        assertEquals("org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter", ref.getClass().getName());
        assertTrue(kryo.registry().isRegistered(ref.getClass()));
    }

    @Test
    void unregisteredClassesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> kryo.toBinary(new java.util.TreeMap<String, String>()));
    }

    @Test
    void everyWireMessageClassIsRegistered() {
        List<Class<?>> found = wireMessageClasses();
        assertTrue(found.size() >= 18, "the scan must find the wire messages, found " + found);
        List<String> missing = found.stream().filter(c -> !kryo.registry().isRegistered(c)).map(Class::getName).toList();
        assertEquals(List.of(), missing, "implements WireMessage but has no Kryo id in a WireRegistry registrar");
    }

    @Test
    void idsAreCheckedAndFingerprinted() {
        WireRegistry a = WireRegistry.of(ClusterWire.REGISTRARS), b = WireRegistry.of(ClusterWire.REGISTRARS);
        assertEquals(a.fingerprint(), b.fingerprint());
        assertFalse(a.fingerprint().equals(WireRegistry.of(List.of()).fingerprint()));
        assertThrows(IllegalArgumentException.class, () -> a.add(20, String.class), "an id used twice");
    }

    /** Concrete classes implementing WireMessage in the protocol, node and coordinator modules. */
    static List<Class<?>> wireMessageClasses() {
        TreeSet<String> names = new TreeSet<>();
        for (Class<?> anchor : List.of(WireMessage.class, NodeHost.class, Coordinator.class)) {
            try {
                Path loc = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (Files.isDirectory(loc)) {
                    try (Stream<Path> files = Files.walk(loc)) {
                        files.map(p -> loc.relativize(p).toString()).filter(n -> n.endsWith(".class"))
                            .forEach(n -> names.add(n));
                    }
                } else {
                    try (JarFile jar = new JarFile(loc.toFile())) {
                        jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class")).forEach(names::add);
                    }
                }
            } catch (IOException | URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }
        List<Class<?>> out = new ArrayList<>();
        for (String n : names) {
            if (!n.startsWith("smpemu/") || n.contains("module-info")) continue;
            String cn = n.substring(0, n.length() - 6).replace('/', '.').replace('\\', '.');
            try {
                Class<?> c = Class.forName(cn, false, WireFormatTest.class.getClassLoader());
                if (WireMessage.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) out.add(c);
            } catch (ClassNotFoundException | LinkageError e) {
                throw new IllegalStateException("cannot load " + cn, e);
            }
        }
        return out;
    }
}
