package smpemu.coordinator.cluster;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import smpemu.protocol.WireMessage;

/**
 * Hands out a sweep's points to the workers that pull them (cluster members and this node's own
 * slots), one point per worker at a time, so a slow worker never holds the others. A worker that
 * goes away (its member crashed or left) has its point put back at the head of the queue for the
 * next worker; a point's result is taken once, the first time it arrives, so no point is lost or
 * written twice.
 */
public final class SweepMaster {
    private SweepMaster() {}

    public interface Msg {}

    /** A worker is free for one more point. */
    public record Pull(ActorRef<SweepWorker.Msg> worker) implements Msg, WireMessage {}

    /** A point simulated: {@code json} is its result ({@code run --json}, compact). */
    public record Done(int id, String json, ActorRef<SweepWorker.Msg> worker) implements Msg, WireMessage {}

    /** A point that could not be simulated; its error is deterministic, so it is not retried. */
    public record Failed(int id, String message, ActorRef<SweepWorker.Msg> worker) implements Msg, WireMessage {}

    private record WorkerGone(ActorRef<SweepWorker.Msg> worker) implements Msg {}

    /** A point as workers receive it: its number and its whole configuration (see ConfigText). */
    public record Work(int id, String config) {}

    /** What the master reports, on its own thread, one call at a time. */
    public interface Listener {
        void done(int id, String json, String worker);

        void failed(int id, String message, String worker);

        /** A worker went away with point {@code id} (-1: it had none), which goes to another. */
        void lost(String worker, int id);
    }

    public static Behavior<Msg> create(List<Work> work, Listener listener, CompletableFuture<Void> finished) {
        return Behaviors.setup(ctx -> {
            Deque<Work> queue = new ArrayDeque<>(work);
            Map<Integer, Work> byId = new HashMap<>();
            for (Work w : work) byId.put(w.id(), w);
            Map<ActorRef<SweepWorker.Msg>, Integer> inFlight = new HashMap<>();
            Set<ActorRef<SweepWorker.Msg>> idle = new LinkedHashSet<>(), watched = new HashSet<>();
            Set<Integer> done = new HashSet<>();
            if (work.isEmpty()) finished.complete(null);
            // The next point to a free worker; with none left, idle workers wait for a lost one, or stop at the end.
            Runnable dispatch = () -> {
                while (!idle.isEmpty() && !queue.isEmpty()) {
                    ActorRef<SweepWorker.Msg> w = idle.iterator().next();
                    idle.remove(w);
                    Work next = queue.poll();
                    inFlight.put(w, next.id());
                    w.tell(new SweepWorker.Point(next.id(), next.config(), ConfigText.hash(next.config())));
                }
                if (done.size() == byId.size()) {
                    for (ActorRef<SweepWorker.Msg> w : idle) {
                        ctx.unwatch(w); // its stop is the normal end, not a loss
                        w.tell(new SweepWorker.NoMore());
                    }
                    idle.clear();
                    finished.complete(null);
                }
            };
            return Behaviors.receive(Msg.class)
                .onMessage(Pull.class, p -> {
                    if (watched.add(p.worker())) ctx.watchWith(p.worker(), new WorkerGone(p.worker()));
                    idle.add(p.worker());
                    dispatch.run();
                    return Behaviors.same();
                })
                .onMessage(Done.class, d -> {
                    finish(d.id(), d.worker(), inFlight, done, () -> listener.done(d.id(), d.json(), address(d.worker())));
                    return Behaviors.same();
                })
                .onMessage(Failed.class, f -> {
                    finish(f.id(), f.worker(), inFlight, done, () -> listener.failed(f.id(), f.message(), address(f.worker())));
                    return Behaviors.same();
                })
                .onMessage(WorkerGone.class, g -> {
                    idle.remove(g.worker());
                    Integer id = inFlight.remove(g.worker());
                    if (id != null && !done.contains(id)) queue.addFirst(byId.get(id));
                    watched.remove(g.worker());
                    listener.lost(address(g.worker()), id == null || done.contains(id) ? -1 : id);
                    dispatch.run();
                    if (watched.isEmpty() && done.size() < byId.size()) {
                        // Workers join at the start only: with none left the rest can never run.
                        finished.completeExceptionally(new IllegalStateException("every sweep worker is gone; "
                            + (byId.size() - done.size()) + " points have no result (complete them with --resume)"));
                    }
                    return Behaviors.same();
                })
                .build();
        });
    }

    /** Takes a point's outcome once; a late duplicate (from a worker thought gone) is dropped. */
    private static void finish(int id, ActorRef<SweepWorker.Msg> worker, Map<ActorRef<SweepWorker.Msg>, Integer> inFlight,
                               Set<Integer> done, Runnable report) {
        Integer mine = inFlight.get(worker);
        if (mine != null && mine == id) inFlight.remove(worker);
        if (done.add(id)) report.run();
    }

    private static String address(ActorRef<?> ref) {
        return ref.path().address().hasGlobalScope() ? ref.path().address().toString() : "this node";
    }
}
