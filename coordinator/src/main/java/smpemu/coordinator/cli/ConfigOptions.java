package smpemu.coordinator.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import smpemu.config.ConfigException;
import smpemu.config.EngineKind;
import smpemu.config.ScenarioCatalog;
import smpemu.config.SettingsLoader;
import smpemu.config.SimSettings;
import smpemu.coordinator.cluster.ClusterSettings;
import smpemu.coordinator.result.RunResult;

/**
 * The options that say what to simulate, shared by the commands, and the one place that turns
 * them into the user layer: options (--seed, --engine, --duration and the command's own, over
 * --set) over {@code -c FILE} over {@code --scenario}; reference.conf is added by the loader.
 */
public final class ConfigOptions {
    private static final String ROOT = "smpemu.";

    /** The command this mixin belongs to: its stderr gets the warnings. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * Whether the command reports per-window percentiles (run, compare, check): then a window
     * longer than the run is an error and fewer than {@link RunResult#FEW_WINDOWS} a warning.
     */
    boolean perWindowFigures = true;

    /** Warnings already printed: compare loads its configuration once per kernel. */
    private final Set<String> warned = new HashSet<>();

    @Option(names = "--scenario", paramLabel = "NAME", description = "Bundled scenario (see `smpemu scenarios`).")
    String scenario;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "HOCON file layered over the scenario.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "Override one key (relative to smpemu.); VALUE is HOCON, e.g. topology.cpus=64. Repeatable.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Seed of all random draws (smpemu.seed).")
    Long seed;

    @Option(names = "--engine", paramLabel = "actors|sequential", description = "Engine (smpemu.engine.type).")
    EngineKind engine;

    @Option(names = "--duration", paramLabel = "DUR", description = "Simulated time, e.g. 2s (smpemu.duration).")
    String duration;

    /**
     * Loads and validates the settings. {@code defaultScenario} is used when neither --scenario
     * nor -c is given; {@code commandKeys} (keys relative to smpemu.) are the command's own
     * options and win over everything else.
     */
    SimSettings settings(String defaultScenario, Map<String, Object> commandKeys) {
        return load(defaultScenario, commandKeys).settings();
    }

    /**
     * The settings, the user layer they came from without {@code smpemu.cluster} (what cluster
     * workers receive, see ConfigText) and the cluster settings read from that key.
     */
    record Loaded(SimSettings settings, Config simLayer, ClusterSettings cluster) {}

    Loaded load(String defaultScenario, Map<String, Object> commandKeys) {
        Config layer = userLayer(defaultScenario, commandKeys);
        // smpemu.cluster is the coordinator's business (and holds the secret): the simulation never sees it.
        ClusterSettings cluster = ClusterSettings.from(layer);
        Config sim = layer.withoutPath(ClusterSettings.PATH);
        SimSettings settings = SettingsLoader.fromUserLayer(sim);
        if (perWindowFigures && !RunChecks.errors(settings).isEmpty()) throw new ConfigException(RunChecks.errors(settings));
        PrintWriter err = err();
        for (String w : RunChecks.warnings(settings, perWindowFigures)) {
            if (warned.add(w)) err.println("smpemu: " + w);
        }
        err.flush();
        return new Loaded(settings, sim, cluster);
    }

    /** Tests build the options without a command line: their warnings go to the JVM's stderr. */
    private PrintWriter err() {
        return command != null ? command.commandLine().getErr() : new PrintWriter(System.err, true);
    }

    /**
     * A value of the merged configuration before validation, or {@code dflt} when it is absent
     * or not an int (validation then reports it properly).
     */
    int rawInt(String defaultScenario, Map<String, Object> commandKeys, String key, int dflt) {
        try {
            return SettingsLoader.layered(userLayer(defaultScenario, commandKeys)).getInt(ROOT + key);
        } catch (com.typesafe.config.ConfigException e) {
            return dflt;
        }
    }

    /**
     * The layers in order. scftorture.onoff_interval in jiffies needs the run's HZ, which the
     * layers themselves set: they are built once without it to read HZ, then with it.
     */
    private Config userLayer(String defaultScenario, Map<String, Object> commandKeys) {
        return userLayer(defaultScenario, commandKeys, hz(userLayer(defaultScenario, commandKeys, 0)));
    }

    private static int hz(Config layer) {
        try {
            return SettingsLoader.layered(layer).getInt(ROOT + "kernel.hz");
        } catch (RuntimeException e) {
            return 1000; // validation reports a bad kernel.hz
        }
    }

    /** {@code hz} 0: HZ not known yet, parameters in jiffies are left out. */
    private Config userLayer(String defaultScenario, Map<String, Object> commandKeys, int hz) {
        Map<String, Object> options = new LinkedHashMap<>();
        if (seed != null) options.put("seed", seed);
        if (engine != null) options.put("engine.type", engine.name().toLowerCase(Locale.ROOT));
        if (duration != null) options.put("duration", duration);
        options.putAll(commandKeys);

        Config layer = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : options.entrySet()) {
            layer = layer.withValue(ROOT + e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue()));
        }
        // The last --set of a key wins, so each is layered over the ones before it.
        for (int i = sets.size() - 1; i >= 0; i--) layer = layer.withFallback(parseSet(sets.get(i), hz));
        if (file != null) layer = layer.withFallback(parseFile(file));
        String base = scenario != null ? scenario : file == null ? defaultScenario : null;
        return base == null ? layer : layer.withFallback(ScenarioCatalog.load(base));
    }

    private Config parseSet(String set, int hz) {
        int eq = set.indexOf('=');
        if (eq <= 0) throw new ConfigException(List.of("--set " + set + ": expected KEY=VALUE"));
        String key = set.substring(0, eq).trim(), value = set.substring(eq + 1).trim();
        String bare = key.startsWith(ROOT) ? key.substring(ROOT.length()) : key;
        if (KernelParams.isScftorture(bare)) {
            if (hz == 0 && KernelParams.needsHz(bare, value)) return ConfigFactory.empty();
            KernelParams.Setting k = KernelParams.scftorture(bare, value, hz == 0 ? 1000 : hz);
            if (k == null) return ConfigFactory.empty();
            bare = k.key();
            value = k.value();
        }
        String path = ROOT + bare, text = value;
        return parse(() -> ConfigFactory.parseString(path + " = " + text,
            ConfigParseOptions.defaults().setOriginDescription("--set " + set)));
    }

    /**
     * Adds the parameters of a kernel command line ("scftorture.nthreads=8 preempt=full ...") as
     * --set; the words smpemu does not model are listed on one line of stderr and ignored, so a
     * real kvm.sh parameter line runs as it is.
     */
    void addBootArgs(String bootargs) {
        List<String> ignored = new ArrayList<>();
        for (String word : bootargs.trim().split("\\s+")) {
            if (word.isEmpty()) continue;
            String set = KernelParams.bootWord(word);
            if (set == null) ignored.add(word);
            else sets.add(set);
        }
        if (!ignored.isEmpty()) {
            PrintWriter err = err();
            err.println("smpemu: --bootargs: ignored, not modelled: " + String.join(" ", ignored));
            err.flush();
        }
    }

    private static Config parseFile(Path file) {
        Config cfg = parse(() -> ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)));
        // Keys outside smpemu are never read: without this check such a file runs idle CPUs and exits 0.
        if (cfg.root().isEmpty()) throw new ConfigException(List.of(file + ": sets nothing (no keys in the file)"));
        if (!cfg.root().containsKey("smpemu")) {
            throw new ConfigException(List.of(file + ": no smpemu root key (found " + String.join(", ", new TreeSet<>(cfg.root().keySet()))
                + "); every key lives under smpemu { ... }"));
        }
        if (cfg.root().get("smpemu") instanceof ConfigObject o && o.isEmpty()) {
            throw new ConfigException(List.of(file + ": sets nothing (smpemu { } is empty)"));
        }
        return cfg;
    }

    /** Syntax errors are the user's: Typesafe's message already names the origin and line. */
    private static Config parse(Supplier<Config> parser) {
        try {
            return parser.get();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(e.getMessage()));
        }
    }
}
