package smpemu.coordinator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.util.Map;
import smpemu.node.actor.NodeHost;
import smpemu.protocol.wire.WireRegistry;

/**
 * The Pekko config of a cluster member (coordinator's node or worker): resource
 * smpemu/cluster.conf over the simulation dispatcher's, with this member's address, never a
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
        Config member = ConfigFactory.parseMap(Map.of("host", host, "port", port, "leave", leave, "jvm-hook", jvmHook));
        return ConfigFactory.parseResources(ClusterConfig.class, "/smpemu/cluster.conf", ConfigParseOptions.defaults().setAllowMissing(false))
            .resolveWith(member)
            .withValue(WireRegistry.REGISTRARS_KEY, ConfigValueFactory.fromIterable(ClusterWire.REGISTRARS))
            .withFallback(NodeHost.dispatcherConfig(parallelism, throughput))
            .withFallback(ConfigFactory.load());
    }
}
