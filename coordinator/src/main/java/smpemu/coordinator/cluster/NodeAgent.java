package smpemu.coordinator.cluster;

import com.typesafe.config.ConfigFactory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.typed.Cluster;
import smpemu.config.ConfigException;
import smpemu.config.SettingsLoader;
import smpemu.coordinator.actor.Coordinator;
import smpemu.node.actor.CoordinatorMsg;
import smpemu.node.actor.NodeHost;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.protocol.TaskState;
import smpemu.protocol.WireMessage;

/**
 * A worker node's agent (`smpemu node`): registers with the Receptionist, answers coordinators'
 * greetings with its credentials, and for each run builds the model from the coordinator's
 * config and spawns a NodeHost for the CPUs it was given. It stops those hosts when their
 * coordinator goes away, and tells the coordinator when a host stops on its own.
 */
public final class NodeAgent {
    private NodeAgent() {}

    public static final ServiceKey<Msg> KEY = ServiceKey.create(Msg.class, "smpemu-nodehost");

    public interface Msg {}

    public record Hello(ActorRef<Gate.Msg> gate, String version, String wire) implements Msg, WireMessage {}

    public record Accepted() implements Msg, WireMessage {}

    public record Refused(String reason) implements Msg, WireMessage {}

    /** Host {@code cpus} as node {@code node} of the run that {@code coordinator} drives. */
    public record HostCpus(int node, int[] cpus, int[] nodeOfCpu, Map<Integer, List<TaskState>> tasks,
                           Directory dir, ActorRef<CoordinatorMsg> coordinator, String config,
                           String configHash) implements Msg, WireMessage {}

    /** Pull points of a sweep from {@code master} until it has none (smpemu sweep on a cluster). */
    public record JoinSweep(ActorRef<SweepMaster.Msg> master) implements Msg, WireMessage {}

    private record CoordinatorGone(ActorRef<CoordinatorMsg> coordinator) implements Msg {}

    private record Hosted(int node, ActorRef<CoordinatorMsg> coordinator) {}

    /**
     * {@code onRefused} gets the reason a coordinator refused this node; {@code onHost} a line
     * for the operator each time this node starts hosting CPUs for a run.
     */
    public static Behavior<Msg> create(Secret secret, String wire, Consumer<String> onRefused, Consumer<String> onHost) {
        return Behaviors.setup(ctx -> {
            ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
            String self = Cluster.get(ctx.getSystem()).selfMember().address().toString();
            Map<ActorRef<NodeHost.Command>, Hosted> hosts = new HashMap<>();
            Set<ActorRef<CoordinatorMsg>> watched = new HashSet<>();
            int[] seq = {0};
            return Behaviors.receive(Msg.class)
                .onMessage(Hello.class, h -> {
                    h.gate().tell(new Gate.Register(ctx.getSelf(), Versions.SMPEMU, wire, secret.proof(self)));
                    return Behaviors.same();
                })
                .onMessage(Accepted.class, a -> Behaviors.same())
                .onMessage(Refused.class, r -> {
                    ctx.getLog().error("refused by the coordinator: {}", r.reason());
                    onRefused.accept(r.reason());
                    ctx.getSystem().terminate(); // a refused worker cannot serve: `smpemu node` exits 1
                    return Behaviors.same();
                })
                .onMessage(HostCpus.class, h -> {
                    if (host(ctx, h, hosts, seq[0]++)) {
                        onHost.accept("hosting node " + h.node() + " (" + h.cpus().length + " CPUs) for "
                            + h.coordinator().path().address());
                    }
                    if (watched.add(h.coordinator())) ctx.watchWith(h.coordinator(), new CoordinatorGone(h.coordinator()));
                    return Behaviors.same();
                })
                .onMessage(JoinSweep.class, j -> {
                    ctx.spawn(SweepWorker.create(j.master(), onHost), "sweep-" + seq[0]++);
                    onHost.accept("simulating sweep points for " + j.master().path().address());
                    return Behaviors.same();
                })
                .onMessage(CoordinatorGone.class, g -> {
                    // The run is over (failed or finished): its hosts must not linger.
                    watched.remove(g.coordinator());
                    hosts.entrySet().removeIf(e -> {
                        if (!e.getValue().coordinator().equals(g.coordinator())) return false;
                        ctx.stop(e.getKey());
                        return true;
                    });
                    return Behaviors.same();
                })
                .onSignal(Terminated.class, t -> {
                    Hosted was = hosts.remove(t.getRef());
                    if (was != null) was.coordinator().tell(new Coordinator.HostStopped(was.node()));
                    return Behaviors.same();
                })
                .build();
        });
    }

    private static boolean host(ActorContext<Msg> ctx, HostCpus h, Map<ActorRef<NodeHost.Command>, Hosted> hosts, int seq) {
        String reason;
        try {
            if (!ConfigText.hash(h.config()).equals(h.configHash())) {
                reason = "config hash " + ConfigText.hash(h.config()) + " differs from the coordinator's " + h.configHash();
            } else {
                ModelContext mc = new ModelContext(SettingsLoader.fromUserLayer(ConfigFactory.parseString(h.config())));
                ActorRef<NodeHost.Command> host = ctx.spawn(NodeHost.create(h.node(), h.cpus(), h.nodeOfCpu(), mc,
                    h.tasks(), h.dir(), h.coordinator()), "host-" + seq, DispatcherSelector.fromConfig(NodeHost.DISPATCHER));
                ctx.watch(host);
                hosts.put(host, new Hosted(h.node(), h.coordinator()));
                h.coordinator().tell(new Coordinator.HostReady(h.node(), host));
                return true;
            }
        } catch (ConfigException e) {
            reason = "its smpemu reads the run's config differently: " + String.join("; ", e.errors());
        } catch (RuntimeException e) {
            reason = String.valueOf(e);
        }
        ctx.getLog().error("cannot host node {}: {}", h.node(), reason);
        h.coordinator().tell(new Coordinator.HostRefused(h.node(), reason));
        return false;
    }
}
