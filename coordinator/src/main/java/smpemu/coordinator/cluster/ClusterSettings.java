package smpemu.coordinator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import smpemu.config.ConfigException;

/**
 * {@code smpemu.cluster.*}: how a multi-node run is spread and guarded. Read here, from the user
 * layer, and removed from what the simulation settings see (and from what workers receive):
 * <ul>
 *   <li>{@code partitioner = socket | round-robin} (default socket);</li>
 *   <li>{@code secret} — shared by every member; default: the environment variable
 *       SMPEMU_CLUSTER_SECRET, else none;</li>
 *   <li>{@code join-timeout} — how long the coordinator waits for --expect-nodes (default 60s).</li>
 * </ul>
 */
public record ClusterSettings(String partitioner, Secret secret, Duration joinTimeout) {
    public static final String PATH = "smpemu.cluster";

    public static ClusterSettings defaults() {
        return new ClusterSettings("socket", Secret.fromEnv(), Duration.ofSeconds(60));
    }

    public static ClusterSettings from(Config userLayer) {
        ClusterSettings d = defaults();
        if (!userLayer.hasPath(PATH)) return d;
        List<String> errors = new ArrayList<>();
        Config c;
        try {
            c = userLayer.getConfig(PATH);
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(PATH + ": " + e.getMessage()));
        }
        for (Map.Entry<String, ConfigValue> e : c.root().entrySet()) {
            if (!List.of("partitioner", "secret", "join-timeout").contains(e.getKey())) {
                errors.add(PATH + "." + e.getKey() + ": unknown key (known: partitioner, secret, join-timeout)");
            }
        }
        String partitioner = d.partitioner();
        if (c.hasPath("partitioner")) {
            ConfigValue v = c.getValue("partitioner");
            partitioner = v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped() : v.render();
            if (!Partitioner.KINDS.contains(partitioner)) {
                errors.add(PATH + ".partitioner: \"" + partitioner + "\" is not one of " + String.join(", ", Partitioner.KINDS));
            }
        }
        Secret secret = d.secret();
        if (c.hasPath("secret")) secret = new Secret(c.getValue("secret").unwrapped().toString());
        Duration timeout = d.joinTimeout();
        if (c.hasPath("join-timeout")) {
            try {
                timeout = c.getDuration("join-timeout");
                if (timeout.isNegative() || timeout.isZero()) errors.add(PATH + ".join-timeout: must be > 0");
            } catch (com.typesafe.config.ConfigException e) {
                errors.add(PATH + ".join-timeout: " + c.getValue("join-timeout").render() + " is not a duration");
            }
        }
        if (!errors.isEmpty()) throw new ConfigException(errors);
        return new ClusterSettings(partitioner, secret, timeout);
    }
}
