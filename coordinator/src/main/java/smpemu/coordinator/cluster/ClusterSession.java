package smpemu.coordinator.cluster;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import smpemu.protocol.wire.WireRegistry;

/**
 * The coordinator's membership of a cluster for one command (a `compare` runs twice in it): an
 * actor system bound to {@code host:port}, joined to {@code join} (or to itself when it is the
 * first node), and the Gate that admits workers.
 */
public final class ClusterSession implements AutoCloseable {
    private final ActorSystem<SpawnProtocol.Command> system;
    private final Gate.Members members = new Gate.Members();
    private final String self;
    private int runs;
    private volatile boolean failed;

    private ClusterSession(String host, int port, String join, Secret secret, int parallelism, int throughput,
                           boolean leave) {
        system = ActorSystem.create(SpawnProtocol.create(), ClusterConfig.SYSTEM,
            ClusterConfig.of(host, port, parallelism, throughput, leave, false));
        Cluster cluster = Cluster.get(system);
        Address me = cluster.selfMember().address();
        self = me.toString();
        if (join == null) {
            cluster.manager().tell(Join.create(me));
        } else {
            cluster.manager().tell(new JoinSeedNodes(List.of(seed(join))));
        }
        String wire = WireRegistry.of(ClusterWire.REGISTRARS).fingerprint();
        spawn(Gate.create(secret, wire, members), "gate", Props.empty());
    }

    /** {@code leave}: leave the cluster gracefully on close (false when the workers die with us anyway). */
    public static ClusterSession start(String host, int port, String join, Secret secret, int parallelism,
                                       int throughput, boolean leave) {
        return new ClusterSession(host, port, join, secret, parallelism, throughput, leave);
    }

    /** "HOST:PORT" as the address of a member of this cluster. */
    public static Address seed(String hostPort) {
        return AddressFromURIString.parse("pekko://" + ClusterConfig.SYSTEM + "@" + hostPort);
    }

    public String selfAddress() { return self; }

    /** This member's port (the seed address workers of --cluster-local join). */
    public int port() { return Cluster.get(system).selfMember().address().getPort().get(); }

    /**
     * Waits until {@code count} workers are admitted; fails with a message naming how many came
     * and who was refused, after {@code timeout}.
     */
    public List<ActorRef<NodeAgent.Msg>> awaitWorkers(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (members.accepted.size() < count) {
            if (System.nanoTime() > deadline) {
                String refused = members.refused.isEmpty() ? "" : "; refused: " + String.join(", ", members.refused);
                throw new IllegalStateException("only " + (members.accepted.size() + 1) + " of " + (count + 1)
                    + " nodes joined within " + timeout.toSeconds() + " s" + refused);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for nodes", e);
            }
        }
        return new ArrayList<>(members.accepted.values()).subList(0, count);
    }

    /** The workers accepted so far, in address order (a sweep hands them points as they come). */
    public List<ActorRef<NodeAgent.Msg>> workersSoFar() { return new ArrayList<>(members.accepted.values()); }

    public List<String> refused() { return List.copyOf(members.refused); }

    /** Spawns a top-level actor in this member's system. */
    public <T> ActorRef<T> spawn(Behavior<T> behavior, String name, Props props) {
        CompletableFuture<ActorRef<T>> ref = AskPattern.<SpawnProtocol.Command, ActorRef<T>>ask(system,
            r -> new SpawnProtocol.Spawn<>(behavior, name, props, r), Duration.ofSeconds(10), system.scheduler())
            .toCompletableFuture();
        try {
            return ref.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start " + name + ": " + e, e);
        }
    }

    /** Runs {@code action} once this member's actor system has terminated (left, downed or closed). */
    public void whenTerminated(Runnable action) {
        system.getWhenTerminated().thenRun(action);
    }

    /** A fresh name per run of this session. */
    public synchronized String nextRunName() { return "run-" + (++runs); }

    /** A run failed (a member may be gone): closing must not wait for a graceful leave. */
    public void runFailed() { failed = true; }

    /**
     * Leaves the cluster; bounded, so a dead member never holds the process (after a failure the
     * leave goes on in the background: the JVM exit does not wait for it, see ClusterConfig).
     */
    @Override
    public void close() {
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(failed ? 2 : 8, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            // leaving took too long (a member is gone): the process exits anyway
        }
    }
}
