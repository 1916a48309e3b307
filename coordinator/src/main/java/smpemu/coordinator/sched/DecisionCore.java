package smpemu.coordinator.sched;

import java.util.BitSet;
import smpemu.config.HotplugStep;
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
    private Directory.Delta lastDelta;
    private final int[] wakeTargets;
    private final boolean crossCalls;
    private long nextBalance;
    private final List<HotplugStep> hotplug;
    private int nextHotplug;
    /** Boot steps (offline CPUs of an imported machine) waiting for the operation before them. */
    private final java.util.ArrayDeque<HotplugStep> booting = new java.util.ArrayDeque<>();
    /** The online mask as the coordinator ordered it. */
    private final BitSet online = new BitSet();
    /** A CPU whose offline or online operation has not shown in its snapshot yet (-1: none). */
    private int pendingDown = -1;
    private int pendingUp = -1;
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
        this.nextBalance = interval;
        this.hotplug = HotplugPlan.of(ctx.settings);
        this.online.set(0, cpus);
    }

    /**
     * CPUs that may receive a message before the next instant: where the tasks that can be
     * woken remotely are (by the directory), and the destinations of the moves just ordered.
     * Every other CPU can run alone up to the next instant (docs/architecture.md#windows, step 3).
     */
    public int[] receivers(List<SimMessage> commands) {
        java.util.BitSet r = new java.util.BitSet(cpus);
        if (crossCalls || !hotplug.isEmpty()) r.set(0, cpus); // IPIs and stop-machine reach any CPU
        for (int t : wakeTargets) r.set(directory.cpuOf(t));
        for (SimMessage m : commands) r.set(m.arg());
        return r.stream().toArray();
    }

    /** The next instant at which the coordinator decides (Long.MAX_VALUE after the run's end). */
    public long nextInstant() {
        long next = nextHotplug < hotplug.size() ? Math.min(nextBalance, hotplug.get(nextHotplug).atNs()) : nextBalance;
        return next < duration ? next : Long.MAX_VALUE;
    }

    public Directory directory() { return directory; }

    /** What the last decision changed in the directory (null: nothing), for the nodes to apply. */
    public Directory.Delta lastDelta() { return lastDelta; }

    public long commandsIssued() { return commands; }

    /** Decides at {@link #nextInstant()} from the CPUs' state after every event before it. */
    public List<SimMessage> decide(CpuSnapshot[] snaps) {
        long at = nextInstant();
        int moved = 0;
        for (CpuSnapshot s : snaps) moved += s.movedOut().length;
        int[] all = new int[moved];
        int k = 0;
        for (CpuSnapshot s : snaps) {
            System.arraycopy(s.movedOut(), 0, all, k, s.movedOut().length);
            k += s.movedOut().length;
        }
        Directory before = directory;
        directory = directory.with(all);
        lastDelta = directory == before ? null : new Directory.Delta(all);
        if (pendingDown >= 0 && snaps[pendingDown].offline()) pendingDown = -1;
        if (pendingUp >= 0 && !snaps[pendingUp].offline()) pendingUp = -1;
        List<SimMessage> out = new ArrayList<>();
        if (!booting.isEmpty() && pendingDown < 0 && pendingUp < 0) hotplugStep(booting.poll(), at, out);
        while (nextHotplug < hotplug.size() && hotplug.get(nextHotplug).atNs() == at) {
            HotplugStep h = hotplug.get(nextHotplug++);
            // Boot steps are serialised: each waits for the one before, as at a real boot.
            if (HotplugPlan.isBoot(h) && (pendingDown >= 0 || pendingUp >= 0)) booting.add(h);
            else hotplugStep(h, at, out);
        }
        if (at != nextBalance) return out;
        nextBalance += interval;
        int[] moves = policy.balance(snaps, online);
        for (int i = 0; i < moves.length; i += 2) {
            int task = moves[i];
            int src = directory.cpuOf(task);
            out.add(new SimMessage(at + lookahead, MsgKind.MIGRATE_CMD, cpus, seq++, src, task,
                moves[i + 1], 0, 0, null));
        }
        commands += out.size();
        return out;
    }

    /** cpu_down: a stop request to every online CPU; cpu_up: the news to every CPU that listens. */
    private void hotplugStep(HotplugStep h, long at, List<SimMessage> out) {
        int kind = h.online() ? MsgKind.CPU_ONLINE : MsgKind.STOP_REQUEST;
        if (h.online() == online.get(h.cpu())) return; // already so: nothing to do
        // One operation at a time, as the hotplug lock serialises them: a step that comes while
        // the previous one is still in progress (a pinned CPU delays stop_machine) fails.
        if (pendingDown >= 0 || pendingUp >= 0) return;
        if (h.online()) pendingUp = h.cpu(); else pendingDown = h.cpu();
        if (h.online()) online.set(h.cpu());
        BitSet to = (BitSet) online.clone();
        if (!h.online()) online.clear(h.cpu());
        for (int c = to.nextSetBit(0); c >= 0; c = to.nextSetBit(c + 1)) {
            out.add(new SimMessage(at + lookahead, kind, cpus, seq++, c, -1, h.cpu(), 0, 0, null));
        }
    }
}
