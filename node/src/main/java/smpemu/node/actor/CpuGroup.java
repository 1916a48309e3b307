package smpemu.node.actor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import smpemu.node.model.CpuModel;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
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

    /** {@code cpus}: the group's CPUs, each with its initial tasks from {@code tasks}. */
    CpuGroup(int group, int[] cpus, ModelContext ctx, Map<Integer, List<TaskState>> tasks, Directory directory)
        throws Failure {
        this.group = group;
        this.cpus = cpus;
        this.models = new CpuModel[cpus.length];
        int at = 0;
        try {
            for (; at < cpus.length; at++) {
                CpuModel model = new CpuModel(cpus[at], ctx, outbox);
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

    /** The measurements, in the group's CPU order. */
    List<CpuStats> stats() {
        List<CpuStats> stats = new ArrayList<>(models.length);
        for (CpuModel m : models) stats.add(m.stats);
        return stats;
    }
}
