package smpemu.coordinator.cli;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import smpemu.config.ConfigException;
import smpemu.coordinator.cluster.ClusterConfig;
import smpemu.coordinator.cluster.ClusterSession;
import smpemu.coordinator.cluster.ClusterSettings;
import smpemu.coordinator.cluster.ClusterWire;
import smpemu.coordinator.cluster.NodeAgent;
import smpemu.protocol.wire.WireRegistry;

/** `smpemu node`: a worker that hosts simulated CPUs for coordinators of the cluster it joins. */
@Command(name = "node", description = "Join a Pekko cluster as a worker hosting simulated CPUs for `run/compare --join`.")
final class NodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--join", required = true, paramLabel = "HOST:PORT",
        description = "A cluster member's address (this node's own HOST:PORT to start the cluster).")
    String join;

    @Option(names = "--port", paramLabel = "P", defaultValue = "0", description = "Port to bind (default: any free port).")
    int port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1",
        description = "Address to bind and advertise (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--parallelism", paramLabel = "N", defaultValue = "0",
        description = "Threads of the simulation dispatcher (0 = available cores).")
    int parallelism;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
        description = "HOCON file; only smpemu.cluster.secret is read (else $SMPEMU_CLUSTER_SECRET).")
    Path file;

    @Override
    public Integer call() {
        ClusterOptions.checkHostPort(spec.commandLine(), "--join", join);
        if (port < 0 || port > 65535) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--port must be 0-65535, got " + port);
        }
        ClusterSettings cs = file == null ? ClusterSettings.defaults() : ClusterSettings.from(parse(file));
        int par = parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
        PrintWriter err = spec.commandLine().getErr();
        AtomicReference<String> refused = new AtomicReference<>();
        String wire = WireRegistry.of(ClusterWire.REGISTRARS).fingerprint();
        ActorSystem<NodeAgent.Msg> system = ActorSystem.create(NodeAgent.create(cs.secret(), wire, refused::set,
                line -> {
                    err.println("smpemu node: " + line);
                    err.flush();
                }),
            ClusterConfig.SYSTEM, ClusterConfig.of(host, port, par, 100));
        Cluster cluster = Cluster.get(system);
        cluster.manager().tell(new JoinSeedNodes(List.of(ClusterSession.seed(join))));
        err.println("smpemu node: " + cluster.selfMember().address() + " joining " + join);
        err.flush();
        system.getWhenTerminated().toCompletableFuture().join();
        if (refused.get() != null) {
            err.println("smpemu node: refused by the coordinator: " + refused.get());
            return Main.FAILED;
        }
        return 0;
    }

    private static com.typesafe.config.Config parse(Path file) {
        try {
            return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(e.getMessage()));
        }
    }
}
