package smpemu.coordinator.cluster;

import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;
import smpemu.coordinator.actor.Coordinator;
import smpemu.node.actor.CoordinatorMsg;
import smpemu.node.actor.NodeHost;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.protocol.TaskState;

/**
 * Node 0 on the coordinator's own member, node i > 0 on the i-th admitted worker. Watches the
 * cluster so that a member that becomes unreachable or leaves stops the run at once.
 */
public final class RemotePlacement implements Coordinator.Placement {
    private final ModelContext ctx;
    private final int[] nodeOfCpu;
    private final List<ActorRef<NodeAgent.Msg>> workers;
    private final String self;
    private final String config;
    private final String hash;

    public RemotePlacement(ModelContext ctx, int[] nodeOfCpu, List<ActorRef<NodeAgent.Msg>> workers, String self,
                    String config) {
        this.ctx = ctx;
        this.nodeOfCpu = nodeOfCpu;
        this.workers = workers;
        this.self = self;
        this.config = config;
        this.hash = ConfigText.hash(config);
    }

    @Override
    public void start(ActorContext<CoordinatorMsg> context) {
        Cluster cluster = Cluster.get(context.getSystem());
        cluster.subscriptions().tell(Subscribe.create(context.messageAdapter(ClusterEvent.UnreachableMember.class,
            e -> new Coordinator.NodeLost(e.member().address().toString())), ClusterEvent.UnreachableMember.class));
        cluster.subscriptions().tell(Subscribe.create(context.messageAdapter(ClusterEvent.MemberRemoved.class,
            e -> new Coordinator.NodeLost(e.member().address().toString())), ClusterEvent.MemberRemoved.class));
        cluster.subscriptions().tell(Subscribe.create(context.messageAdapter(ClusterEvent.MemberExited.class,
            e -> new Coordinator.NodeLost(e.member().address().toString())), ClusterEvent.MemberExited.class));
    }

    @Override
    public ActorRef<NodeHost.Command> place(ActorContext<CoordinatorMsg> context, int node, int[] cpus,
                                            Map<Integer, List<TaskState>> tasks, Directory dir) {
        if (node == 0) {
            ActorRef<NodeHost.Command> host = context.spawn(NodeHost.create(0, cpus, nodeOfCpu, ctx, tasks, dir,
                context.getSelf()), "node-0", DispatcherSelector.fromConfig(NodeHost.DISPATCHER));
            context.watch(host);
            return host;
        }
        workers.get(node - 1).tell(new NodeAgent.HostCpus(node, cpus, nodeOfCpu, tasks, dir, context.getSelf(),
            config, hash));
        return null;
    }

    @Override
    public String address(int node) {
        return node == 0 ? self : workers.get(node - 1).path().address().toString();
    }
}
