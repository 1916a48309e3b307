package smpemu.node.actor;

import java.util.List;
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

/** Hosts one simulated CPU: runs its events window by window for its NodeHost. */
public final class CpuActor {
    private CpuActor() {}

    public sealed interface Command {}

    /**
     * Run every event before {@code end} after filing {@code inbox}; {@code directory} is null
     * when unchanged; {@code snapshot} asks for the CPU's state for a coordinator decision.
     */
    public record RunWindow(long window, long end, SimMessage[] inbox, Directory directory,
                            boolean snapshot) implements Command {}

    /** The run is over: hand back the measurements. */
    public record Finish() implements Command {}

    /** Reply to RunWindow: next event time, earliest possible send, what was sent. */
    public record WindowDone(int cpu, long window, long nextEvent, long earliestSend,
                             SimMessage[] sent, CpuSnapshot snapshot, long events) implements NodeHost.Command {}

    public record Finished(int cpu, CpuStats stats) implements NodeHost.Command {}

    public record Failed(int cpu, String reason) implements NodeHost.Command {}

    public static Behavior<Command> create(int cpu, ModelContext ctx, List<TaskState> tasks,
                                           Directory directory, ActorRef<NodeHost.Command> host) {
        return Behaviors.setup(context -> {
            WindowOutbox outbox = new WindowOutbox();
            CpuModel model;
            try {
                model = new CpuModel(cpu, ctx, outbox);
                for (TaskState t : tasks) model.adopt(t);
                model.setDirectory(directory);
                model.start();
            } catch (RuntimeException | StackOverflowError e) {
                host.tell(new Failed(cpu, String.valueOf(e)));
                return Behaviors.stopped();
            }
            return Behaviors.receive(Command.class)
                .onMessage(RunWindow.class, w -> {
                    try {
                        for (SimMessage m : w.inbox()) model.deliver(m);
                        if (w.directory() != null) model.setDirectory(w.directory());
                        long before = model.stats.events;
                        model.runUntil(w.end());
                        host.tell(new WindowDone(cpu, w.window(), model.nextEventTime(),
                            model.earliestSendTime(w.end()), outbox.drain(),
                            w.snapshot() ? model.snapshot() : null, model.stats.events - before));
                        return Behaviors.same();
                    } catch (RuntimeException | StackOverflowError e) {
                        host.tell(new Failed(cpu, String.valueOf(e.getMessage())));
                        return Behaviors.stopped();
                    }
                })
                .onMessage(Finish.class, f -> {
                    host.tell(new Finished(cpu, model.stats));
                    return Behaviors.stopped();
                })
                .build();
        });
    }
}
