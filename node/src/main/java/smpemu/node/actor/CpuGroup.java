package smpemu.node.actor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import smpemu.node.engine.CpuOrder;
import smpemu.node.engine.EarliestFirst;
import smpemu.node.model.CpuModel;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.node.model.Outbox;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * The CPUs of one group, run one after the other for a window: none sees another's messages
 * before the next window. Pure (no actors): a {@link CpuActor} hosts one, and a NodeHost with a
 * single dispatcher thread runs its only group itself, since a message there and back per
 * window would buy no parallelism.
 */
final class CpuGroup {
    /** A model threw: the run stops with the CPU and the reason. */
    static final class Failure extends Exception {
        final int cpu;

        Failure(int cpu, String reason) {
            super(reason, null, false, false);
            this.cpu = cpu;
        }
    }

    final int group;
    private final int[] cpus;
    private final CpuModel[] models;
    private final WindowOutbox outbox = new WindowOutbox();
    /** cpu -> member index, -1 outside the group. */
    private final int[] memberOf;
    /** In time order: the members by next event, and whether member-to-member messages are delivered at once. */
    private final CpuOrder order;
    private boolean inOrder;
    private final long durationNs;
    private final long lookaheadNs;

    /** {@code cpus}: the group's CPUs, each with its initial tasks from {@code tasks}. */
    CpuGroup(int group, int[] cpus, ModelContext ctx, Map<Integer, List<TaskState>> tasks, Directory directory)
        throws Failure {
        this.group = group;
        this.cpus = cpus;
        this.models = new CpuModel[cpus.length];
        this.memberOf = new int[ctx.topology.cpus()];
        java.util.Arrays.fill(memberOf, -1);
        for (int j = 0; j < cpus.length; j++) memberOf[cpus[j]] = j;
        this.order = new CpuOrder(cpus.length);
        this.durationNs = ctx.durationNs;
        this.lookaheadNs = ctx.lookaheadNs;
        Outbox routed = m -> {
            int to = inOrder ? memberOf[m.dst()] : -1;
            if (to < 0) {
                outbox.send(m);
            } else {
                // In time order no receiver has processed anything as late as the message's
                // arrival (EarliestFirst): delivered at once, as the sequential engine does.
                if (models[to].deliver(m)) order.update(to, models[to].nextEventTime());
            }
        };
        int at = 0;
        try {
            for (; at < cpus.length; at++) {
                CpuModel model = new CpuModel(cpus[at], ctx, routed);
                for (TaskState t : tasks.getOrDefault(cpus[at], List.of())) model.adopt(t);
                model.setDirectory(directory);
                model.start();
                models[at] = model;
            }
        } catch (RuntimeException | StackOverflowError e) {
            throw new Failure(cpus[at], String.valueOf(e));
        }
    }

    /** Runs window {@code w} for its members and says what they did. */
    CpuActor.WindowDone run(CpuActor.RunWindow w) throws Failure {
        int n = w.members().length;
        long[] next = new long[n], send = new long[n];
        CpuSnapshot[] snaps = w.snapshot() ? new CpuSnapshot[n] : null;
        long events = 0;
        for (int j = 0; j < n; j++) {
            CpuModel model = models[w.members()[j]];
            try {
                for (SimMessage m : w.inboxes()[j]) model.deliver(m);
                if (w.directories()[j] != null) model.setDirectory(w.directories()[j]);
                long before = model.stats.events;
                model.runUntil(w.ends()[j]);
                next[j] = model.nextEventTime();
                send[j] = model.earliestSendTime(w.ends()[j]);
                if (snaps != null) snaps[j] = model.snapshot();
                events += model.stats.events - before;
            } catch (RuntimeException | StackOverflowError e) {
                throw new Failure(cpus[w.members()[j]], String.valueOf(e.getMessage()));
            }
        }
        return new CpuActor.WindowDone(group, w.window(), w.members(), next, send, outbox.drain(), snaps, events);
    }

    /**
     * Runs every member, in time order, up to {@code end}, when nothing from outside the
     * group can reach a member before {@code end} (the only group of the only node, between
     * two instants): member-to-member messages need no window, as between the components of
     * one thread in SST. {@code w} lists members with mail or a new directory; every member
     * is reported, with a snapshot if {@code w} asks for them. A member that no message can
     * reach before {@code end} ({@code reachable[member]} false) runs there first, on its own
     * (its events together, as in a window): what it sends lands in members not yet run.
     */
    CpuActor.WindowDone runInOrder(CpuActor.RunWindow w, long end, boolean[] reachable) throws Failure {
        int j = 0;
        long events = 0;
        try {
            for (; j < w.members().length; j++) {
                CpuModel model = models[w.members()[j]];
                for (SimMessage m : w.inboxes()[j]) model.deliver(m);
                if (w.directories()[j] != null) model.setDirectory(w.directories()[j]);
            }
        } catch (RuntimeException | StackOverflowError e) {
            throw new Failure(cpus[w.members()[j]], String.valueOf(e.getMessage()));
        }
        for (int k = 0; k < models.length; k++) events -= models[k].stats.events;
        long bound = Math.min(end, durationNs);
        inOrder = true;
        int c = -1;
        try {
            for (int k = 0; k < models.length; k++) {
                if (reachable[k]) continue;
                c = k;
                models[k].runUntil(end);
            }
            for (int k = 0; k < models.length; k++) order.update(k, models[k].nextEventTime());
            while (order.minTime() < bound) {
                c = order.min();
                EarliestFirst.runEarliest(order, models, bound, lookaheadNs);
            }
        } catch (RuntimeException | StackOverflowError e) {
            throw new Failure(c >= 0 ? cpus[c] : cpus[0], String.valueOf(e.getMessage()));
        } finally {
            inOrder = false;
        }
        int n = models.length;
        int[] members = new int[n];
        long[] next = new long[n], send = new long[n];
        CpuSnapshot[] snaps = w.snapshot() ? new CpuSnapshot[n] : null;
        for (int k = 0; k < n; k++) {
            CpuModel model = models[k];
            members[k] = k;
            next[k] = model.nextEventTime();
            send[k] = model.earliestSendTime(end);
            if (snaps != null) snaps[k] = model.snapshot();
            events += model.stats.events;
        }
        return new CpuActor.WindowDone(group, w.window(), members, next, send, outbox.drain(), snaps, events);
    }

    /** The measurements, in the group's CPU order. */
    List<CpuStats> stats() {
        List<CpuStats> stats = new ArrayList<>(models.length);
        for (CpuModel m : models) stats.add(m.stats);
        return stats;
    }
}
