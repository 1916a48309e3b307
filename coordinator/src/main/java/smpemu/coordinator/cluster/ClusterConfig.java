package smpemu.coordinator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import smpemu.node.actor.NodeHost;
import smpemu.protocol.wire.KryoSerializer;
import smpemu.protocol.wire.WireRegistry;

/**
 * The Pekko config of a cluster member (coordinator's node or worker). Built here, never in a
 * reference.conf, so that unit-test actor systems stay local and bind no port.
 */
public final class ClusterConfig {
    private ClusterConfig() {}

    /** All members must use this actor system name. */
    public static final String SYSTEM = "smpemu";

    /** A worker's config: it leaves gracefully when stopped (SIGTERM included). */
    public static Config of(String host, int port, int parallelism, int throughput) {
        return of(host, port, parallelism, throughput, true, true);
    }

    /**
     * {@code leave} false: terminating the system does not leave the cluster gracefully (a
     * --cluster-local coordinator whose workers die with it has nobody to say goodbye to).
     */
    public static Config of(String host, int port, int parallelism, int throughput, boolean leave, boolean jvmHook) {
        String registrars = String.join("\", \"", ClusterWire.REGISTRARS);
        return ConfigFactory.parseString(""
            + NodeHost.dispatcherConfig(parallelism, throughput)
            + WireRegistry.REGISTRARS_KEY + " = [\"" + registrars + "\"]\n"
            + "pekko {\n"
            + "  loglevel = WARNING, stdout-loglevel = WARNING, log-dead-letters = off\n"
            + "  log-dead-letters-during-shutdown = off\n"
            + "  actor {\n"
            + "    provider = cluster\n"
            + "    serializers { smpemu-kryo = \"" + KryoSerializer.class.getName() + "\" }\n"
            + "    serialization-bindings { \"smpemu.protocol.WireMessage\" = smpemu-kryo }\n"
            // Kryo with registration required is the only way in: no Java deserialization.
            + "    allow-java-serialization = off\n"
            + "    warn-about-java-serializer-usage = off\n"
            + "  }\n"
            + "  remote.artery {\n"
            // transport: Pekko's default tcp, unless -Dconfig.file says tls-tcp (README).
            + "    canonical.hostname = \"" + host + "\"\n"
            + "    canonical.port = " + port + "\n"
            // A window's batch or a chunk of results can exceed the default 256 KiB frame.
            + "    advanced.maximum-frame-size = 4MiB\n"
            + "    advanced.buffer-pool-size = 32\n"
            + "  }\n"
            + "  cluster {\n"
            + "    downing-provider-class = \"org.apache.pekko.cluster.sbr.SplitBrainResolverProvider\"\n"
            + "    split-brain-resolver.stable-after = 5s\n"
            // keep-oldest without down-if-alone: the oldest member (a coordinator that starts the
            // cluster, as --cluster-local and `--join` of itself do) outlives any worker that dies, so
            // a sweep goes on without it. keep-majority makes two members with one dead a tie that
            // the lower address wins, which may be the dead one. Every member must use the same
            // strategy (Pekko refuses a joining member that does not).
            + "    split-brain-resolver { active-strategy = keep-oldest, keep-oldest.down-if-alone = off }\n"
            + "    jmx.enabled = off\n"
            + "    log-info = off\n"
            // Unreachable ~3-4 s after a node dies: the run stops well within the 10 s promised.
            + "    failure-detector.acceptable-heartbeat-pause = 3s\n"
            // Workers' Receptionist registrations reach the coordinator in well under a second.
            + "    typed.receptionist.distributed-data { gossip-interval = 500ms, notify-subscribers-interval = 100ms }\n"
            + "  }\n"
            // Leaving must not hold the process when a member is already gone.
            + "  coordinated-shutdown.run-by-actor-system-terminate = " + (leave ? "on" : "off") + "\n"
            // A coordinator closes its session itself; at exit nothing may wait for a gone member.
            + "  coordinated-shutdown.run-by-jvm-shutdown-hook = " + (jvmHook ? "on" : "off") + "\n"
            + "  coordinated-shutdown.phases {\n"
            + "    cluster-leave.timeout = 2s\n"
            + "    cluster-exiting.timeout = 2s\n"
            + "    cluster-shutdown.timeout = 2s\n"
            + "  }\n"
            + "}\n")
            .withFallback(ConfigFactory.load());
    }
}
