package smpemu.node.actor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import smpemu.node.model.CpuModel;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * Hosts a group of simulated CPUs and runs their events window by window for its NodeHost.
 * One actor per CPU would cost a message there and back per CPU per window, as much as the
 * few events a CPU has in a window; a host keeps a few groups per thread of its dispatcher,
 * enough to keep every thread busy, and each window costs one message per group that has
 * work. The CPUs of a group run one after the other: none sees another's messages before
 * the next window, exactly as when each had its own actor.
 */
public final class CpuActor {
    private CpuActor() {}

    public sealed interface Command {}

    /**
     * Runs the group's CPUs {@code members} (indices into the group): member j files
     * {@code inboxes[j]}, takes {@code directories[j]} unless null, and runs every event before
     * {@code ends[j]}; {@code snapshot} asks for their state for a coordinator decision.
     */
    public record RunWindow(long window, int[] members, long[] ends, SimMessage[][] inboxes,
                            Directory[] directories, boolean snapshot) implements Command {}

    /** The run is over: hand back the measurements. */
    public record Finish() implements Command {}

    /**
     * Reply to RunWindow, per member: next event time and earliest possible send (and its
     * snapshot when asked); what all of them sent; their events in the window.
     */
    public record WindowDone(int group, long window, int[] members, long[] nextEvent, long[] earliestSend,
                             SimMessage[] sent, CpuSnapshot[] snapshots, long events) implements NodeHost.Command {}

    public record Finished(List<CpuStats> stats) implements NodeHost.Command {}

    public record Failed(int cpu, String reason) implements NodeHost.Command {}

    /** {@code cpus}: the group's CPUs, each with its initial tasks from {@code tasks}. */
    public static Behavior<Command> create(int group, int[] cpus, ModelContext ctx, Map<Integer, List<TaskState>> tasks,
                                           Directory directory, ActorRef<NodeHost.Command> host) {
        return Behaviors.setup(context -> {
            WindowOutbox outbox = new WindowOutbox();
            CpuModel[] models = new CpuModel[cpus.length];
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
                host.tell(new Failed(cpus[at], String.valueOf(e)));
                return Behaviors.stopped();
            }
            return Behaviors.receive(Command.class)
                .onMessage(RunWindow.class, w -> {
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
                            host.tell(new Failed(cpus[w.members()[j]], String.valueOf(e.getMessage())));
                            return Behaviors.stopped();
                        }
                    }
                    host.tell(new WindowDone(group, w.window(), w.members(), next, send, outbox.drain(), snaps, events));
                    return Behaviors.same();
                })
                .onMessage(Finish.class, f -> {
                    List<CpuStats> stats = new ArrayList<>(models.length);
                    for (CpuModel m : models) stats.add(m.stats);
                    host.tell(new Finished(stats));
                    return Behaviors.stopped();
                })
                .build();
        });
    }
}
