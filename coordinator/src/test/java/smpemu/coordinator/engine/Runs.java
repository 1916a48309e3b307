package smpemu.coordinator.engine;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import smpemu.config.ScenarioCatalog;
import smpemu.config.SettingsLoader;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.ResultBuilder;
import smpemu.coordinator.result.RunResult;
import smpemu.node.model.ModelContext;

/** Test helper: settings from a bundled scenario or HOCON text, and runs on either engine. */
public final class Runs {
    private Runs() {}

    public static SimSettings scenario(String name, String overrides) {
        Config user = ConfigFactory.parseString(overrides).withFallback(ScenarioCatalog.load(name));
        return SettingsLoader.fromUserLayer(user);
    }

    public static SimSettings hocon(String text) {
        return SettingsLoader.fromUserLayer(ConfigFactory.parseString(text));
    }

    public static RunResult sequential(SimSettings s) {
        return ResultBuilder.build(new SequentialEngine().run(new ModelContext(s)));
    }

    public static RunResult actors(SimSettings s, int nodes) {
        return ResultBuilder.build(new ActorEngine(nodes).run(new ModelContext(s)));
    }
}
