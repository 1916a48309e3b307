package smpemu.node.actor;

import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * Hosts a group of simulated CPUs ({@link CpuGroup}) and runs their events window by window for its NodeHost.
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
            CpuGroup cpuGroup;
            try {
                cpuGroup = new CpuGroup(group, cpus, ctx, tasks, directory);
            } catch (CpuGroup.Failure e) {
                host.tell(new Failed(e.cpu, e.getMessage()));
                return Behaviors.stopped();
            }
            return Behaviors.receive(Command.class)
                .onMessage(RunWindow.class, w -> {
                    try {
                        host.tell(cpuGroup.run(w));
                        return Behaviors.same();
                    } catch (CpuGroup.Failure e) {
                        host.tell(new Failed(e.cpu, e.getMessage()));
                        return Behaviors.stopped();
                    }
                })
                .onMessage(Finish.class, f -> {
                    host.tell(new Finished(cpuGroup.stats()));
                    return Behaviors.stopped();
                })
                .build();
        });
    }
}
