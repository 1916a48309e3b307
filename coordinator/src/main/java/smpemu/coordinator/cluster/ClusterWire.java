package smpemu.coordinator.cluster;

import smpemu.coordinator.actor.Coordinator;
import smpemu.protocol.wire.WireRegistry;

/** The coordinator module's wire classes (ids 200-299): joining, placing hosts, their answers. */
public final class ClusterWire implements WireRegistry.Registrar {
    /** Every registrar of the product, in the order the cluster config lists them. */
    public static final java.util.List<String> REGISTRARS =
        java.util.List.of("smpemu.node.actor.NodeWire", ClusterWire.class.getName());

    @Override
    public void register(WireRegistry r) {
        r.add(200, NodeAgent.Hello.class);
        r.add(201, Gate.Register.class);
        r.add(202, NodeAgent.Accepted.class);
        r.add(203, NodeAgent.Refused.class);
        r.add(204, NodeAgent.HostCpus.class);
        r.add(205, Coordinator.HostReady.class);
        r.add(206, Coordinator.HostRefused.class);
        r.add(207, Coordinator.HostStopped.class);
        r.add(208, NodeAgent.JoinSweep.class);
        r.add(209, SweepMaster.Pull.class);
        r.add(210, SweepMaster.Done.class);
        r.add(211, SweepMaster.Failed.class);
        r.add(212, SweepWorker.Point.class);
        r.add(213, SweepWorker.NoMore.class);
    }
}
