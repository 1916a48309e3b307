package smpemu.coordinator.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import smpemu.config.EngineKind;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.RunResult;
import smpemu.coordinator.result.Units;

/**
 * Runs scenarios at several CPU counts on both engines and compares their speed. Scaling is
 * done by the scenario itself: it sizes its per-CPU task families with
 * {@code count = ${smpemu.topology.cpus}}, which HOCON resolves after {@code topology.cpus} is
 * overridden here, so no workload rewriting is needed. Without --scenario or -c the table has
 * rt-16 (no cross-calls) and torture (IPIs of every kind), since IPIs are what smpemu is about.
 * With --cluster-local N (or --join) each size also runs on the actor engine spread over a
 * cluster, next to the one-JVM figures; every run of a size must give the same digest.
 */
@Command(name = "bench", description = "Compare the sequential and actor engines at several CPU counts.",
    modelTransformer = BenchCommand.BothEngines.class)
final class BenchCommand implements Callable<Integer> {
    private static final String ROW = "%6s %9s %11s %11s %11s %11s %9s %12s %12s %15s %15s %15s";
    /** The cluster's columns, between the one-JVM ones and the digest. */
    private static final String CLUSTER_COLUMNS = " %11s %9s %15s";

    /** The default table: a scheduling scenario and an IPI-heavy one. */
    static final List<String> DEFAULT_SCENARIOS = List.of("rt-16", "torture");

    /**
     * Simulated CPU-time per run by scenario, in CPU-microseconds (the run lasts this divided
     * by the CPU count, clamped), so that a run has a few million events whatever the size.
     * torture has ~50x the events per simulated second of rt-16.
     */
    private record Budget(long cpuUs, long minUs, long maxUs) {
        long durationUs(int cpus) { return Math.max(minUs, Math.min(maxUs, cpuUs / cpus)); }
    }

    private static final Budget DEFAULT_BUDGET = new Budget(256_000_000L, 1_000_000, 16_000_000);
    private static final Map<String, Budget> BUDGETS = Map.of("torture", new Budget(5_120_000L, 1_000, 320_000));

    /** The JIT warm-up before the first size is at most this long; each size gets a fifth of its run, at most 200 ms. */
    private static final long WARMUP_MAX_US = 1_000_000, WARMUP_AT_SIZE_MAX_US = 200_000;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--cpus", split = ",", paramLabel = "N", defaultValue = "16,256,1024,4096",
        description = "CPU counts to simulate (default: ${DEFAULT-VALUE}).")
    List<Integer> cpus;

    @Option(names = "--warmup", paramLabel = "DUR",
        description = "Simulated time of the untimed JIT warm-up run of each engine at the first CPU count (default: the measured run's, at most 1s); each size also gets a shorter one.")
    String warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE (- = stdout).")
    String json;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "1",
        description = "Measured runs per engine and size, the engines taking turns; each engine's fastest is kept (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Mixin
    ClusterOptions cluster;

    /** bench runs both engines: the shared --engine option is not one of its options (nor in its help). */
    static final class BothEngines implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.remove(spec.findOption("--engine"));
            return spec;
        }
    }

    /** One CPU count: the same simulation on both engines, and on the cluster (null without one). */
    private record Pair(int cpus, RunResult sequential, RunResult actors, ClusterRunner.Simulation cluster) {
        boolean sameDigest() {
            return sequential.digest().equals(actors.digest())
                && (cluster == null || sequential.digest().equals(cluster.result().digest()));
        }
        double ratio() { return ratio(actors, sequential); }
        /** The cluster's events/s over the one-JVM actor engine's. */
        double clusterRatio() { return ratio(cluster.result(), actors); }
        private static double ratio(RunResult a, RunResult b) {
            return (double) a.engineStats().eventsPerSec() / Math.max(1, b.engineStats().eventsPerSec());
        }
    }

    /** One scenario's rows; {@code scenario} is the bundled default it was run with (null: the user's). */
    private record Table(String scenario, List<Pair> pairs) {}

    @Override
    public Integer call() {
        config.perWindowFigures = false; // its report has no per-window percentiles
        cluster.validate(spec.commandLine());
        if (repeat < 1) throw new ParameterException(spec.commandLine(), "--repeat must be >= 1; got " + repeat);
        boolean configured = config.scenario != null || config.file != null;
        List<String> scenarios = configured ? java.util.Collections.singletonList(null) : DEFAULT_SCENARIOS;
        // Every configuration is checked before the first run: a bad size fails at once.
        for (String sc : scenarios) for (int n : cpus) settings(sc, n, EngineKind.SEQUENTIAL, duration(sc, n));

        List<Table> tables = new ArrayList<>();
        if (cluster.enabled()) {
            // One cluster for the whole table; its threads per node as the largest size would choose.
            int largest = cpus.stream().max(Integer::compare).orElseThrow();
            ConfigOptions.Loaded first = loaded(scenarios.get(0), largest, EngineKind.ACTORS, duration(scenarios.get(0), largest));
            try (ClusterRunner c = ClusterRunner.open(spec.commandLine(), cluster, first.cluster(), first.settings())) {
                for (String sc : scenarios) tables.add(new Table(sc, measureAll(sc, c)));
            }
        } else {
            for (String sc : scenarios) tables.add(new Table(sc, measureAll(sc, null)));
        }
        PrintWriter out = spec.commandLine().getOut();
        OutputFiles files = new OutputFiles();
        if (json != null) files.write(json, JsonReport.write(json(tables)), out);
        if (!"-".equals(json)) {
            for (int i = 0; i < tables.size(); i++) out.print((i > 0 ? System.lineSeparator() : "") + text(tables.get(i).pairs()));
        }
        out.flush();
        boolean deterministic = tables.stream().flatMap(t -> t.pairs().stream()).allMatch(Pair::sameDigest);
        // A digest that depends on the engine is a determinism bug: the run failed.
        if (!deterministic) spec.commandLine().getErr().println("smpemu: the engines' digests differ"
            + (cluster.enabled() ? " (sequential, one JVM, cluster)" : ""));
        return files.finish(spec.commandLine().getErr(), deterministic ? 0 : Main.FAILED);
    }

    /** Every size of one scenario; {@code c} is the cluster its actor runs also go to (null: none). */
    private List<Pair> measureAll(String sc, ClusterRunner c) {
        String first = warmup != null ? warmup : Math.min(WARMUP_MAX_US, durationUs(sc, cpus.get(0))) + "us";
        warmUp(sc, cpus.get(0), first, c);
        List<Pair> pairs = new ArrayList<>();
        for (int n : cpus) {
            String duration = duration(sc, n);
            // A short untimed run at this size first: the JIT and the heap settle per machine size.
            warmUp(sc, n, Math.max(1, Math.min(WARMUP_AT_SIZE_MAX_US, durationUs(sc, n) / 5)) + "us", c);
            // Taking turns, so that a slower spell of a shared machine falls on both engines.
            RunResult seq = null, act = null;
            for (int r = 0; r < repeat; r++) {
                seq = faster(seq, measure(settings(sc, n, EngineKind.SEQUENTIAL, duration)));
                act = faster(act, measure(settings(sc, n, EngineKind.ACTORS, duration)));
            }
            ClusterRunner.Simulation onCluster = null;
            if (c != null) {
                System.gc();
                onCluster = c.simulate(loaded(sc, n, EngineKind.ACTORS, duration));
            }
            pairs.add(new Pair(n, seq, act, onCluster));
        }
        return pairs;
    }

    /** Untimed runs of both engines (and of the cluster's JVMs, whose JIT warms up too). */
    private void warmUp(String sc, int n, String duration, ClusterRunner c) {
        for (EngineKind kind : EngineKind.values()) RunCommand.simulate(settings(sc, n, kind, duration));
        if (c != null) c.simulate(loaded(sc, n, EngineKind.ACTORS, duration));
    }

    private String duration(String sc, int n) {
        return config.duration != null ? config.duration : durationUs(sc, n) + "us";
    }

    /** The default run length of a bundled scenario (the user's own: as rt-16). */
    private long durationUs(String sc, int n) {
        String name = sc != null ? sc : config.scenario;
        return BUDGETS.getOrDefault(name == null ? "" : name, DEFAULT_BUDGET).durationUs(n);
    }

    private SimSettings settings(String sc, int n, EngineKind kind, String duration) {
        return loaded(sc, n, kind, duration).settings();
    }

    /** The settings with the layer a cluster's workers receive. */
    private ConfigOptions.Loaded loaded(String sc, int n, EngineKind kind, String duration) {
        return config.load(sc != null ? sc : "rt-16", Map.of("topology.cpus", n,
            "engine.type", kind.name().toLowerCase(Locale.ROOT), "duration", duration));
    }

    /** The faster of two runs of one simulation; they must agree on the digest. */
    private static RunResult faster(RunResult best, RunResult r) {
        if (best == null) return r;
        if (!best.digest().equals(r.digest())) {
            throw new IllegalStateException("two runs of one simulation on the " + r.engine() + " engine gave two digests");
        }
        return r.engineStats().wallMs() < best.engineStats().wallMs() ? r : best;
    }

    /** Collects the previous run's garbage first, so that the peak heap is this run's. */
    private static RunResult measure(SimSettings s) {
        System.gc();
        return RunCommand.simulate(s);
    }

    private static double simPerWall(RunResult r) {
        return r.simDurationNs() / 1e9 / (Math.max(1, r.engineStats().wallMs()) / 1e3);
    }

    /** Peak heap per simulated CPU, KiB (the JVM's own baseline included). */
    private static long heapPerCpuKiB(RunResult r) {
        return r.engineStats().peakHeapBytes() / r.cpusCount() / 1024;
    }

    private String repeatNote() {
        return repeat == 1 ? "" : String.format(Locale.ROOT, "; each engine's fastest of %d runs", repeat);
    }

    private String text(List<Pair> pairs) {
        RunResult first = pairs.get(0).sequential();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
            "bench: scenario %s, kernel %s, seed %d%s%n%n", first.scenario(), first.kernel(), first.seed(),
            repeatNote()));
        boolean onCluster = pairs.get(0).cluster() != null;
        b.append(String.format(Locale.ROOT, ROW, "cpus", "simulated", "events", "windows", "seq ev/s", "actor ev/s",
            "actor/seq", "seq sim-s/s", "act sim-s/s", "heap MiB s/a", "KiB/CPU s/a", onCluster ? "wall ms s/a/c" : "wall ms s/a"));
        if (onCluster) {
            int nodes = pairs.get(0).cluster().result().nodes();
            b.append(String.format(Locale.ROOT, CLUSTER_COLUMNS, nodes + "-node ev/s", "clu/act", "clu ms/window"));
        }
        b.append(String.format(Locale.ROOT, " %7s%n", "digest"));
        for (Pair p : pairs) {
            RunResult.EngineFigures s = p.sequential().engineStats(), a = p.actors().engineStats();
            String wall = s.wallMs() + "/" + a.wallMs() + (onCluster ? "/" + p.cluster().result().engineStats().wallMs() : "");
            b.append(String.format(Locale.ROOT, ROW, p.cpus(), Units.time(p.sequential().simDurationNs()),
                Units.count(s.events()), Units.count(a.windows()), Units.count(s.eventsPerSec()),
                Units.count(a.eventsPerSec()), String.format(Locale.ROOT, "%.2fx", p.ratio()),
                String.format(Locale.ROOT, "%.3f", simPerWall(p.sequential())),
                String.format(Locale.ROOT, "%.3f", simPerWall(p.actors())),
                Units.mib(s.peakHeapBytes()) + "/" + Units.mib(a.peakHeapBytes()),
                heapPerCpuKiB(p.sequential()) + "/" + heapPerCpuKiB(p.actors()), wall));
            if (onCluster) {
                RunResult.EngineFigures c = p.cluster().result().engineStats();
                b.append(String.format(Locale.ROOT, CLUSTER_COLUMNS, Units.count(c.eventsPerSec()),
                    String.format(Locale.ROOT, "%.2fx", p.clusterRatio()),
                    String.format(Locale.ROOT, "%.3f", msPerWindow(c))));
            }
            b.append(String.format(Locale.ROOT, " %7s%n", p.sameDigest() ? "same" : "DIFF"));
        }
        return b.toString();
    }

    private ObjectNode json(List<Table> tables) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        ArrayNode list = root.putArray("scenarios");
        for (Table t : tables) {
            RunResult first = t.pairs().get(0).sequential();
            ObjectNode o = list.addObject();
            o.put("scenario", first.scenario());
            o.put("kernel", first.kernel());
            o.put("seed", first.seed());
            o.put("repeat", repeat);
            ArrayNode runs = o.putArray("runs");
            for (Pair p : t.pairs()) {
                ObjectNode n = runs.addObject();
                n.put("cpus", p.cpus());
                n.put("sim_duration_ns", p.sequential().simDurationNs());
                n.put("events", p.sequential().engineStats().events());
                n.put("actor_to_sequential_ratio", p.ratio());
                n.put("digests_match", p.sameDigest());
                n.set("sequential", engine(p.sequential()));
                n.set("actors", engine(p.actors()));
                if (p.cluster() != null) n.set("cluster", cluster(p));
            }
        }
        return root;
    }

    /** Wall time per window, ms: the figure the cluster's cost is about (docs/performance.md). */
    private static double msPerWindow(RunResult.EngineFigures e) {
        return (double) e.wallMs() / Math.max(1, e.windows());
    }

    /**
     * The cluster run: its engine figures (peak heap: node 0's JVM only), its ratio to one JVM,
     * and the bytes node 0 sent and received over the cluster during it.
     */
    private static ObjectNode cluster(Pair p) {
        ObjectNode n = engine(p.cluster().result());
        n.put("nodes", p.cluster().result().nodes());
        n.put("cluster_to_one_jvm_ratio", p.clusterRatio());
        n.put("node0_bytes_out", p.cluster().bytesOut());
        n.put("node0_bytes_in", p.cluster().bytesIn());
        return n;
    }

    private static ObjectNode engine(RunResult r) {
        ObjectNode n = JsonReport.engineStats(r.engineStats());
        n.put("sim_seconds_per_wall_second", simPerWall(r));
        n.put("peak_heap_bytes_per_cpu", r.engineStats().peakHeapBytes() / r.cpusCount());
        n.put("wall_ms_per_window", msPerWindow(r.engineStats()));
        return n;
    }
}
