package smpemu.coordinator.cluster;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import smpemu.protocol.WireMessage;

/**
 * On the coordinator's node: greets every worker agent the Receptionist lists, checks what it
 * registers with (smpemu version, wire format, cluster secret) and admits it or refuses it with
 * a reason, which the worker prints and the coordinator logs.
 */
public final class Gate {
    private Gate() {}

    public interface Msg {}

    /** A worker's answer to Hello: what it runs and the proof that it knows the cluster secret. */
    public record Register(ActorRef<NodeAgent.Msg> agent, String version, String wire, String proof)
        implements Msg, WireMessage {}

    private record AgentsChanged(Receptionist.Listing listing) implements Msg {}

    /** What the gate admitted (by address: a stable order) and refused, read by ClusterSession. */
    static final class Members {
        final ConcurrentSkipListMap<String, ActorRef<NodeAgent.Msg>> accepted = new ConcurrentSkipListMap<>();
        final List<String> refused = new CopyOnWriteArrayList<>();
    }

    static Behavior<Msg> create(Secret secret, String wire, Members members) {
        return Behaviors.setup(ctx -> {
            ActorRef<Receptionist.Listing> adapter = ctx.messageAdapter(Receptionist.Listing.class, AgentsChanged::new);
            ctx.getSystem().receptionist().tell(Receptionist.subscribe(NodeAgent.KEY, adapter));
            Set<ActorRef<NodeAgent.Msg>> greeted = new HashSet<>();
            return Behaviors.receive(Msg.class)
                .onMessage(AgentsChanged.class, c -> {
                    Set<ActorRef<NodeAgent.Msg>> now = c.listing().getServiceInstances(NodeAgent.KEY);
                    for (ActorRef<NodeAgent.Msg> a : now) {
                        if (greeted.add(a)) a.tell(new NodeAgent.Hello(ctx.getSelf(), Versions.SMPEMU, wire));
                    }
                    greeted.retainAll(now);
                    members.accepted.values().retainAll(now);
                    return Behaviors.same();
                })
                .onMessage(Register.class, r -> {
                    String address = r.agent().path().address().toString();
                    String reason = !Versions.SMPEMU.equals(r.version())
                        ? "smpemu version " + r.version() + " differs from the coordinator's " + Versions.SMPEMU
                        : !wire.equals(r.wire()) ? "wire format " + r.wire() + " differs from the coordinator's " + wire
                        : !secret.accepts(address, r.proof()) ? "wrong cluster secret" : null;
                    if (reason == null) {
                        members.accepted.put(address, r.agent());
                        r.agent().tell(new NodeAgent.Accepted());
                    } else {
                        members.refused.add(address + ": " + reason);
                        ctx.getLog().warn("refused node {}: {}", address, reason);
                        r.agent().tell(new NodeAgent.Refused(reason));
                    }
                    return Behaviors.same();
                })
                .build();
        });
    }
}
