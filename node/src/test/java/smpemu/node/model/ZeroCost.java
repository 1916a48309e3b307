package smpemu.node.model;

import com.typesafe.config.ConfigFactory;
import smpemu.config.SettingsLoader;
import smpemu.config.SimSettings;

/**
 * The shared test fixture: settings of a zero-cost machine ({@code zero-cost.conf}) with a
 * test's own HOCON layered over it, so a test states only what its timeline depends on.
 */
public final class ZeroCost {
    private ZeroCost() {}

    public static SimSettings settings(String hocon) {
        return SettingsLoader.fromUserLayer(ConfigFactory.parseString(hocon)
            .withFallback(ConfigFactory.parseResourcesAnySyntax(ZeroCost.class.getClassLoader(), "zero-cost.conf")));
    }
}
