package smpemu.config;

import static smpemu.config.ConfigReader.duration;
import static smpemu.config.ConfigReader.intIn;
import static smpemu.config.ConfigReader.longIn;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Turns HOCON into validated {@link SimSettings}. Every problem in the config is reported, not
 * just the first: a {@link ConfigException} carries one line per problem.
 *
 * <p>Layering: {@code reference.conf} below the user's layers (scenario file, {@code -c FILE},
 * {@code --set}); the caller merges the user layers, this class adds the reference.
 */
public final class SettingsLoader {
    private SettingsLoader() {}

    private static final int MAX_CPUS = 65536;
    private static final int[] TICK_RATES = {100, 250, 300, 1000};
    private static final List<String> VARIANTS = List.of("baseline", "patched", "unsafe-u1",
        "unsafe-u2", "unsafe-u3", "unsafe-u4", "unsafe-u5", "unsafe-u6", "unsafe-u7", "unsafe-u8", "unsafe-u9",
        "unsafe-u10", "unsafe-u11", "unsafe-u12");

    private record Measurement(long windowNs, int longestSections, Tracer tracer) {}

    private static final class ReferenceHolder {
        /** Only the smpemu subtree: Pekko's reference.conf files on the classpath are not ours. */
        static final Config REFERENCE = ConfigFactory
            .parseResources(SettingsLoader.class.getClassLoader(), "reference.conf")
            .withOnlyPath("smpemu")
            .resolve();
    }

    /** The defaults: the smpemu part of reference.conf. */
    public static Config reference() { return ReferenceHolder.REFERENCE; }

    /** {@code userLayer} over the defaults, resolved; substitution errors become a ConfigException. */
    public static Config layered(Config userLayer) {
        Config cfg = resolve(userLayer.withFallback(reference()));
        String path = importPath(cfg);
        if (path == null) return cfg;
        // An imported machine decides the CPU count before substitution, so that a scenario's
        // count = ${smpemu.topology.cpus} follows it like it follows --set topology.cpus=N.
        MachineTopology m = machine(path);
        Config machine = ConfigFactory.parseMap(java.util.Map.of(
            "smpemu.topology.cpus", m.cpus(),
            "smpemu.topology.sockets", m.sockets(),
            "smpemu.topology.threads-per-core", m.threadsPerCore()), "topology.import " + path);
        return resolve(machine.withFallback(userLayer).withFallback(reference()));
    }

    /** smpemu.topology.import when it is a non-blank string (a wrong type is reported by load()). */
    private static String importPath(Config cfg) {
        String key = "smpemu.topology.import";
        if (!cfg.hasPath(key) || cfg.getValue(key).valueType() != ConfigValueType.STRING) return null;
        String path = cfg.getString(key).trim();
        return path.isEmpty() ? null : path;
    }

    /** The imported machine, or a ConfigException naming the key, the path and the problem. */
    public static MachineTopology machine(String path) {
        try {
            return TopologyImport.read(java.nio.file.Path.of(path));
        } catch (ConfigReader.Invalid e) {
            throw new ConfigException(List.of("topology.import: " + path + ": " + e.getMessage()));
        }
    }

    /**
     * Validates the user's merged layers: unknown keys under {@code smpemu} (typos), then every
     * value of {@code layered(userLayer)}; all problems are reported together.
     */
    public static SimSettings fromUserLayer(Config userLayer) {
        List<String> errors = unknownKeys(userLayer);
        try {
            SimSettings settings = load(layered(userLayer));
            if (errors.isEmpty()) return settings;
        } catch (ConfigException e) {
            errors.addAll(e.errors());
        }
        throw new ConfigException(errors);
    }

    /**
     * Reads a merged, resolved config (user layers over {@link #reference()}). Does not check for
     * unknown keys: without the user layer, a typo cannot be told apart from a default.
     */
    public static SimSettings load(Config cfg) {
        List<String> errors = new ArrayList<>();
        Config resolved = resolve(cfg);
        ConfigReader root = ConfigReader.root(resolved, errors);

        String scenario = root.get("scenario", ConfigReader.STRING);
        Long seed = root.get("seed", longIn(Long.MIN_VALUE, Long.MAX_VALUE));
        Long durationNs = root.get("duration", duration(true));
        Measurement measurement = section(root, "measurement", SettingsLoader::measurement);
        ConfigReader topo = root.object("topology");
        Integer cpus = topo == null ? null : topo.get("cpus", intIn(1, MAX_CPUS));
        TopologySettings topology = topo == null ? null : topology(topo, cpus);
        long[] line = topo == null ? null : cacheLine(topo);
        KernelSettings kernel = section(root, "kernel", SettingsLoader::kernel);
        SchedulerSettings scheduler = section(root, "scheduler", SettingsLoader::scheduler);
        // Without a valid CPU count, affinities are still checked against the largest machine.
        WorkloadParser.Workload workload =
            section(root, "workload", w -> WorkloadParser.parse(w, cpus == null ? MAX_CPUS : cpus));
        EngineSettings engine = section(root, "engine", SettingsLoader::engine);
        TortureSettings torture = section(root, "scftorture", SettingsLoader::torture);
        ConfigReader checks = root.object("checkers");
        Boolean checkers = checks == null ? null : checks.get("enabled", ConfigReader.BOOLEAN);
        ConfigReader hp = root.object("hotplug");
        List<HotplugStep> hotplug = hp == null ? null : hotplug(hp, cpus == null ? MAX_CPUS : cpus);
        HostSettings host = section(root, "host", h -> HostParser.host(h, cpus == null ? MAX_CPUS : cpus));
        List<TaskSpec> tasks = workload == null ? null : Ksoftirqd.withThreads(workload);
        Calibration calibration = section(root, "calibration", c -> CalibrationParser.parse(c, cpus == null ? MAX_CPUS : cpus));

        if (!errors.isEmpty()) throw new ConfigException(errors);
        return new SimSettings(scenario, seed, durationNs, measurement.windowNs(), measurement.longestSections(), measurement.tracer(),
            topology, kernel, scheduler, holdoff(tasks, torture.holdoffNs()), workload.irqs(),
            new LockSettings(workload.locks(), line[0], line[1], line[2]), engine,
            torture, checkers, hotplug, host, calibration,
            resolved.withOnlyPath("smpemu").root().render(ConfigRenderOptions.concise()));
    }

    /** Typesafe's own errors (bad substitutions) carry their origin; pass them on as ours. */
    private static Config resolve(Config cfg) {
        try {
            return cfg.resolve();
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of(e.getMessage()));
        }
    }

    private static <T> T section(ConfigReader root, String key, Function<ConfigReader, T> parser) {
        ConfigReader r = root.object(key);
        return r == null ? null : parser.apply(r);
    }

    private static Measurement measurement(ConfigReader m) {
        Long window = m.get("window", duration(true));
        Integer longest = m.get("longest-sections", intIn(1, 1000));
        Tracer tracer = m.get("tracer", ConfigReader.choice(Tracer.class));
        return window == null || longest == null || tracer == null ? null : new Measurement(window, longest, tracer);
    }

    private static TopologySettings topology(ConfigReader t, Integer cpus) {
        int mark = t.mark();
        Integer sockets = t.get("sockets", intIn(1, MAX_CPUS));
        Integer threads = t.get("threads-per-core", intIn(1, MAX_CPUS));
        // "" (the default) means no import.
        String path = t.get("import", v -> {
            if (v.valueType() != ConfigValueType.STRING) throw new ConfigReader.Invalid("is not a string (a path, or \"\" for none)");
            return (String) v.unwrapped();
        });
        MachineTopology machine = null;
        if (path != null && !path.isBlank()) {
            try {
                machine = TopologyImport.read(java.nio.file.Path.of(path.trim()));
            } catch (ConfigReader.Invalid e) {
                t.error("import", path.trim() + ": " + e.getMessage());
            }
            if (machine != null && cpus != null && cpus != machine.cpus()) {
                t.reject("cpus", "differs from the " + machine.cpus() + " CPUs of the imported machine");
            }
            if (machine != null) {
                sockets = machine.sockets();
                threads = machine.threadsPerCore();
            }
        } else if (cpus != null && sockets != null) {
            if (cpus % sockets != 0) {
                t.reject("sockets", "does not divide topology.cpus (" + cpus + ")");
            } else if (threads != null && (cpus / sockets) % threads != 0) {
                t.reject("threads-per-core", "does not divide the " + cpus / sockets + " CPUs per socket");
            }
        }
        ConfigReader lat = t.object("latency");
        if (lat == null) return null;
        Long smt = lat.get("ipi-smt", duration(true));
        Long sameSocket = lat.get("ipi-same-socket", duration(true));
        Long crossSocket = lat.get("ipi-cross-socket", duration(true));
        long[][] matrix = ipiMatrix(lat, sockets);
        if (!t.cleanSince(mark) || cpus == null) return null;
        return new TopologySettings(cpus, sockets, threads, smt, sameSocket, crossSocket, matrix, machine);
    }

    /** topology.latency.cache-line-*: SMT, same socket, cross socket (docs/costs.md#cache-line); null after errors. */
    private static long[] cacheLine(ConfigReader t) {
        if (!t.isObject("latency")) return null; // topology() already said so
        ConfigReader lat = t.object("latency");
        Long smt = lat.get("cache-line-smt", duration(true));
        Long same = lat.get("cache-line-same-socket", duration(true));
        Long cross = lat.get("cache-line-cross-socket", duration(true));
        return smt == null || same == null || cross == null ? null : new long[] {smt, same, cross};
    }

    /** The optional sockets x sockets matrix; null both when empty and after errors. */
    private static long[][] ipiMatrix(ConfigReader lat, Integer sockets) {
        ConfigList rows = lat.get("ipi-matrix", ConfigReader::asList);
        // An empty matrix means "use the three values"; a matrix cannot be checked against a bad socket count.
        if (rows == null || rows.isEmpty() || sockets == null) return null;
        if (rows.size() != sockets) {
            lat.reject("ipi-matrix", "has size " + rows.size() + " but topology.sockets is " + sockets);
            return null;
        }
        int mark = lat.mark();
        long[][] matrix = new long[sockets][sockets];
        for (int i = 0; i < sockets; i++) {
            String at = lat.pathOf("ipi-matrix") + "[" + i + "]";
            ConfigList row = lat.convert(rows.get(i), at, v -> {
                ConfigList r = ConfigReader.asList(v);
                if (r.size() != sockets) {
                    throw new ConfigReader.Invalid("has size " + r.size() + " but topology.sockets is " + sockets);
                }
                return r;
            });
            if (row == null) continue;
            for (int j = 0; j < sockets; j++) {
                Long ns = lat.convert(row.get(j), at + "[" + j + "]", duration(true));
                if (ns != null) matrix[i][j] = ns;
            }
        }
        return lat.cleanSince(mark) ? matrix : null;
    }

    private static KernelSettings kernel(ConfigReader k) {
        int mark = k.mark();
        Integer hz = k.get("hz", ConfigReader.intOneOf(TICK_RATES));
        PreemptionModel preemption = k.get("preemption", ConfigReader.choice(PreemptionModel.class));
        KernelSeries series = k.get("series", ConfigReader.choice(KernelSeries.class));
        String variant = k.get("variant", ConfigReader.oneOf(VARIANTS));
        int[] patches = series == null ? null : patches(k, series);
        ConfigReader c = k.object("costs");
        if (c == null) return null;
        Long contextSwitch = c.get("context-switch", duration(false));
        Long tick = c.get("tick-handler", duration(false));
        Long resched = c.get("resched-ipi-handler", duration(false));
        Long wakeup = c.get("wakeup", duration(false));
        Long ipiSend = c.get("ipi-send", duration(false));
        Long entry = c.get("call-function-entry", duration(false));
        Long cond = c.get("cond-func", duration(false));
        Long handler = c.get("call-function-handler", duration(false));
        Long onePage = c.get("flush-tlb-one-page", duration(false));
        Long extraPage = c.get("flush-tlb-extra-page", duration(false));
        Long full = c.get("flush-tlb-full", duration(false));
        Long broadcast = c.get("flush-tlb-broadcast", duration(false));
        ConfigReader m = k.object("smp");
        if (m == null) return null;
        Boolean debug = m.get("csdlock-debug", ConfigReader.BOOLEAN);
        Long timeout = m.get("csd-lock-timeout", duration(true));
        Boolean idlePoll = m.get("idle-poll-shortcut", ConfigReader.BOOLEAN);
        Integer ceiling = m.get("tlb-single-page-flush-ceiling", intIn(0, 1 << 20));
        Boolean invlpgb = m.get("invlpgb", ConfigReader.BOOLEAN);
        Boolean pv = m.get("pv-tlb-flush", ConfigReader.BOOLEAN);
        SoftirqSettings softirq = section(k, "softirq", SettingsLoader::softirq);
        ConfigReader kvm = k.object("kvm");
        Boolean hintsRealtime = kvm == null ? null : kvm.get("hints-realtime", ConfigReader.BOOLEAN);
        if (!k.cleanSince(mark)) return null;
        SmpSettings smp = new SmpSettings(debug, timeout, idlePoll, ceiling, ipiSend, entry, cond,
            handler, onePage, extraPage, full, broadcast, invlpgb, pv);
        return new KernelSettings(hz, preemption, series, variant, patches, contextSwitch, tick, resched, wakeup, smp,
            softirq, hintsRealtime);
    }

    /** kernel.softirq: MAX_SOFTIRQ_TIME, MAX_SOFTIRQ_RESTART, net.core.netdev_budget(_usecs). */
    private static SoftirqSettings softirq(ConfigReader s) {
        Long maxTime = s.get("max-time", duration(true));
        Integer maxRestart = s.get("max-restart", intIn(1, 1_000_000));
        Integer budget = s.get("netdev-budget", intIn(1, 1_000_000));
        Long usecs = s.get("netdev-budget-usecs", duration(true));
        return maxTime == null || maxRestart == null || budget == null || usecs == null
            ? null : new SoftirqSettings(maxTime, maxRestart, budget, usecs);
    }

    /** Distinct patch numbers of the series' form, sorted (the result JSON lists them sorted). */
    private static int[] patches(ConfigReader k, KernelSeries series) {
        ConfigReader.Conv<Integer> inSeries = intIn(1, series.patchCount);
        List<Integer> list = k.list("patches", v -> {
            try {
                return inSeries.apply(v);
            } catch (ConfigReader.Invalid e) {
                throw new ConfigReader.Invalid(e.getMessage() + " (kernel.series = " + series.spelling() + " has "
                    + series.patchCount + " patches)");
            }
        });
        if (list == null) return null;
        boolean[] seen = new boolean[series.patchCount + 1];
        for (int i = 0; i < list.size(); i++) {
            if (seen[list.get(i)]) {
                k.error("patches[" + i + "]", list.get(i) + " is listed twice (patches must be distinct)");
                return null;
            }
            seen[list.get(i)] = true;
        }
        int[] patches = list.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(patches);
        return patches;
    }

    private static SchedulerSettings scheduler(ConfigReader s) {
        Long balance = s.get("balance-interval", duration(true));
        Long rr = s.get("rr-timeslice", duration(true));
        Long other = s.get("other-timeslice", duration(true));
        return balance == null || rr == null || other == null ? null : new SchedulerSettings(balance, rr, other);
    }

    private static TortureSettings torture(ConfigReader t) {
        int mark = t.mark();
        Integer nthreads = t.get("nthreads", intIn(-1, MAX_CPUS));
        int[] weights = new int[TortureSettings.WEIGHT_KEYS.length];
        for (int i = 0; i < weights.length; i++) {
            Integer w = t.get(TortureSettings.WEIGHT_KEYS[i], intIn(-1, 1_000_000));
            if (w != null) weights[i] = w;
        }
        Boolean readLock = t.get("use-cpus-read-lock", ConfigReader.BOOLEAN);
        Integer longwait = t.get("longwait", intIn(0, 3600));
        Integer stutter = t.get("stutter", intIn(0, 1_000_000));
        Long stat = t.get("stat-interval", duration(false));
        Long onoff = t.get("onoff-interval", duration(false));
        Long holdoff = t.get("onoff-holdoff", duration(false));
        Long start = t.get("holdoff", duration(false));
        Integer verbose = t.get("verbose", intIn(0, Integer.MAX_VALUE));
        Boolean shutdown = t.get("shutdown", ConfigReader.BOOLEAN);
        if (!t.cleanSince(mark)) return null;
        if (java.util.Arrays.stream(weights).allMatch(w -> w == 0)) {
            t.error("weight-single", "every scftorture weight is 0: nothing to invoke (-EINVAL)");
            return null;
        }
        return new TortureSettings(nthreads, weights, readLock, longwait, stutter, stat, onoff, holdoff, start,
            verbose, shutdown);
    }

    /**
     * scftorture's holdoff: each invoker sleeps that long before its first invocation
     * (scftorture_invoker's schedule_timeout_interruptible(holdoff * HZ)). Nothing is added when
     * it is 0, so runs without a holdoff are the runs they always were.
     */
    private static List<TaskSpec> holdoff(List<TaskSpec> tasks, long holdoffNs) {
        if (holdoffNs == 0) return tasks;
        List<TaskSpec> out = new ArrayList<>();
        for (TaskSpec t : tasks) {
            if (!invokes(t.program())) {
                out.add(t);
                continue;
            }
            List<Op> program = new ArrayList<>();
            program.add(new Op.Sleep(new Dist.Constant(holdoffNs)));
            program.addAll(t.program());
            out.add(new TaskSpec(t.name(), t.policy(), t.priority(), t.nice(), t.affinity(), t.count(), t.perCpu(),
                t.mm(), List.copyOf(program)));
        }
        return out;
    }

    private static boolean invokes(List<Op> program) {
        for (Op op : program) {
            if (op instanceof Op.ScfInvoke || op instanceof Op.Loop l && invokes(l.body())) return true;
        }
        return false;
    }

    private static final List<String> STEP_KEYS = List.of("at", "cpu", "action");

    /** hotplug.schedule: steps in time order; CPU 0 (the boot CPU) never goes down. */
    private static List<HotplugStep> hotplug(ConfigReader h, int cpus) {
        List<ConfigReader> items = h.objects("schedule");
        if (items == null) return null;
        List<HotplugStep> steps = new ArrayList<>();
        for (ConfigReader step : items) {
            int mark = step.mark();
            step.checkKeys(STEP_KEYS);
            Long at = step.get("at", duration(true));
            Integer cpu = step.get("cpu", intIn(1, cpus - 1));
            String action = step.get("action", ConfigReader.oneOf(List.of("offline", "online")));
            if (step.cleanSince(mark)) steps.add(new HotplugStep(at, cpu, action.equals("online")));
        }
        steps.sort(java.util.Comparator.comparingLong(HotplugStep::atNs));
        return steps;
    }

    private static EngineSettings engine(ConfigReader e) {
        EngineKind kind = e.get("type", ConfigReader.choice(EngineKind.class));
        Integer parallelism = e.get("parallelism", intIn(0, Integer.MAX_VALUE));
        Integer throughput = e.get("throughput", intIn(1, Integer.MAX_VALUE));
        return kind == null || parallelism == null || throughput == null
            ? null : new EngineSettings(kind, parallelism, throughput);
    }

    // ---- unknown keys -----------------------------------------------------------------------

    /** smpemu.params: free-form values a scenario substitutes into its own keys (reference.conf). */
    private static final String PARAMS = "params";

    /**
     * Keys under {@code smpemu} in the user layer that reference.conf does not define, checked
     * object by object. Lists (tasks, irqs) are not walked here: their elements have fixed key
     * sets that the parsers check on every load.
     */
    private static List<String> unknownKeys(Config userLayer) {
        List<String> errors = new ArrayList<>();
        Config user;
        try {
            // Resolve what can be resolved locally, so that objects built by substitution are walked too.
            user = userLayer.resolve(ConfigResolveOptions.defaults().setAllowUnresolved(true));
        } catch (com.typesafe.config.ConfigException e) {
            return errors; // layered() reports the bad substitution
        }
        // A missing smpemu is fine (nothing to check); a non-object one is reported by load().
        if (ConfigReader.isObject(user.root().get("smpemu"))) {
            walk(ConfigReader.root(user, errors), reference().getObject("smpemu"));
        }
        return errors;
    }

    private static void walk(ConfigReader user, ConfigObject reference) {
        user.checkKeys(reference.keySet());
        for (String key : reference.keySet()) {
            if (user.path().isEmpty() && key.equals(PARAMS)) continue; // the scenario's own knobs
            if (reference.get(key).valueType() == ConfigValueType.OBJECT && user.isObject(key)) {
                walk(user.object(key), (ConfigObject) reference.get(key));
            }
        }
    }
}
