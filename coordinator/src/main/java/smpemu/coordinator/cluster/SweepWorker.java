package smpemu.coordinator.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import smpemu.config.ConfigException;
import smpemu.config.SettingsLoader;
import smpemu.config.SimSettings;
import smpemu.coordinator.engine.EngineFactory;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.ResultBuilder;
import smpemu.node.model.ModelContext;
import smpemu.protocol.WireMessage;

/**
 * Pulls a sweep's points from a {@link SweepMaster}, one at a time, and simulates each on its own
 * thread (the sequential engine, single-threaded), from the coordinator's configuration. Stops
 * when the master says there is nothing more, or when the master goes away.
 */
public final class SweepWorker {
    private SweepWorker() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    public interface Msg {}

    /** Simulate point {@code id}; {@code configHash} guards against a corrupted configuration. */
    public record Point(int id, String config, String configHash) implements Msg, WireMessage {}

    public record NoMore() implements Msg, WireMessage {}

    private record Simulated(int id, String json, String error) implements Msg {}

    private record MasterGone() implements Msg {}

    /** {@code log} hears a line per point started (a worker's operator sees what it does). */
    public static Behavior<Msg> create(ActorRef<SweepMaster.Msg> master, java.util.function.Consumer<String> log) {
        return Behaviors.setup(ctx -> {
            ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "sweep-point");
                t.setDaemon(true);
                return t;
            });
            ctx.watchWith(master, new MasterGone());
            master.tell(new SweepMaster.Pull(ctx.getSelf()));
            return Behaviors.receive(Msg.class)
                .onMessage(Point.class, p -> {
                    log.accept("sweep point " + p.id() + " started");
                    ctx.pipeToSelf(CompletableFuture.supplyAsync(() -> simulate(p), thread), (json, e) -> e == null
                        ? new Simulated(p.id(), json, null)
                        : new Simulated(p.id(), null, e.getCause() != null ? String.valueOf(e.getCause().getMessage()) : String.valueOf(e)));
                    return Behaviors.same();
                })
                .onMessage(Simulated.class, s -> {
                    master.tell(s.error() == null ? new SweepMaster.Done(s.id(), s.json(), ctx.getSelf())
                        : new SweepMaster.Failed(s.id(), s.error(), ctx.getSelf()));
                    master.tell(new SweepMaster.Pull(ctx.getSelf()));
                    return Behaviors.same();
                })
                .onMessage(NoMore.class, n -> Behaviors.stopped())
                .onMessage(MasterGone.class, g -> Behaviors.stopped())
                .onSignal(PostStop.class, s -> {
                    thread.shutdownNow();
                    return Behaviors.same();
                })
                .onSignal(Terminated.class, t -> Behaviors.same())
                .build();
        });
    }

    /** One point: the coordinator's configuration, the sequential engine, the result as compact JSON. */
    private static String simulate(Point p) {
        if (!ConfigText.hash(p.config()).equals(p.configHash())) {
            throw new IllegalStateException("point " + p.id() + ": the configuration's hash differs from the coordinator's");
        }
        SimSettings s;
        try {
            s = SettingsLoader.fromUserLayer(ConfigFactory.parseString(p.config()));
        } catch (ConfigException e) {
            throw new IllegalStateException("its smpemu reads the point's config differently: " + String.join("; ", e.errors()));
        }
        try {
            return MAPPER.writeValueAsString(JsonReport.tree(ResultBuilder.build(EngineFactory.of(s.engine().kind()).run(new ModelContext(s))), false));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a Jackson tree always serializes", e);
        }
    }
}
