package smpemu.coordinator.sched;

import java.util.ArrayList;
import java.util.List;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.MsgKind;
import smpemu.protocol.SimMessage;

/**
 * The coordinator as a participant of the simulation, shared by both engines: at every
 * balancing instant it reads the CPU snapshots, updates the task directory with the moves the
 * CPUs made, and issues migration commands that arrive one lookahead later.
 */
public final class DecisionCore {
    private final SchedPolicy policy;
    private final int cpus;
    private final long interval;
    private final long lookahead;
    private final long duration;
    private Directory directory;
    private final int[] wakeTargets;
    private final boolean crossCalls;
    private long nextInstant;
    private long seq;
    private long commands;

    public DecisionCore(ModelContext ctx, SchedPolicy policy, Directory initial) {
        this.policy = policy;
        this.cpus = ctx.topology.cpus();
        this.interval = ctx.settings.scheduler().balanceIntervalNs();
        this.lookahead = ctx.topology.minLatency();
        this.duration = ctx.durationNs;
        this.directory = initial;
        this.wakeTargets = ctx.workload.remoteWakeTargets();
        this.crossCalls = ctx.workload.hasCrossCalls();
        this.nextInstant = interval;
    }

    /**
     * CPUs that may receive a message before the next instant: where the tasks that can be
     * woken remotely are (by the directory), and the destinations of the moves just ordered.
     * Every other CPU can run alone up to the next instant (architecture.md §3, refined).
     */
    public int[] receivers(List<SimMessage> commands) {
        java.util.BitSet r = new java.util.BitSet(cpus);
        if (crossCalls) r.set(0, cpus); // any CPU may be the target of a cross-call
        for (int t : wakeTargets) r.set(directory.cpuOf(t));
        for (SimMessage m : commands) r.set(m.arg());
        return r.stream().toArray();
    }

    /** The next instant at which the coordinator decides (Long.MAX_VALUE after the run's end). */
    public long nextInstant() { return nextInstant < duration ? nextInstant : Long.MAX_VALUE; }

    public Directory directory() { return directory; }

    public long commandsIssued() { return commands; }

    /** Decides at {@link #nextInstant()} from the CPUs' state after every event before it. */
    public List<SimMessage> decide(CpuSnapshot[] snaps) {
        long at = nextInstant;
        nextInstant += interval;
        int moved = 0;
        for (CpuSnapshot s : snaps) moved += s.movedOut().length;
        int[] all = new int[moved];
        int k = 0;
        Directory.CpuMmChanges mms = new Directory.CpuMmChanges();
        for (CpuSnapshot s : snaps) {
            System.arraycopy(s.movedOut(), 0, all, k, s.movedOut().length);
            k += s.movedOut().length;
            for (int change : s.mmChanges()) mms.add(s.cpu(), change);
        }
        directory = directory.with(all, mms);
        int[] moves = policy.balance(snaps);
        List<SimMessage> out = new ArrayList<>(moves.length / 2);
        for (int i = 0; i < moves.length; i += 2) {
            int task = moves[i];
            int src = directory.cpuOf(task);
            out.add(new SimMessage(at + lookahead, MsgKind.MIGRATE_CMD, cpus, seq++, src, task,
                moves[i + 1], 0, 0, null));
        }
        commands += out.size();
        return out;
    }
}
