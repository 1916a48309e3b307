package smpemu.coordinator.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import smpemu.config.SettingsLoader;

/**
 * The run's configuration as workers receive it: the coordinator's layered and resolved
 * {@code smpemu} tree (scenario, files, --set, and its own reference.conf defaults) as JSON, so a
 * worker builds its model from exactly the coordinator's values, whatever its own defaults.
 * {@code smpemu.cluster} (the secret) is never sent.
 */
public final class ConfigText {
    private ConfigText() {}

    public static String of(Config userLayer) {
        return SettingsLoader.layered(userLayer).withOnlyPath("smpemu").withoutPath("smpemu.cluster")
            .root().render(ConfigRenderOptions.concise());
    }

    /** The same tree as HOCON, to read back with {@code -c FILE} (a sweep point's configuration). */
    public static String hocon(Config userLayer) {
        return SettingsLoader.layered(userLayer).withOnlyPath("smpemu").withoutPath("smpemu.cluster")
            .root().render(ConfigRenderOptions.defaults().setOriginComments(false).setComments(false).setJson(false));
    }

    public static String hash(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }
}
