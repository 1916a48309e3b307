package smpemu.coordinator.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import smpemu.config.ConfigException;
import smpemu.config.KernelSettings;
import smpemu.coordinator.cluster.ClusterSettings;
import smpemu.coordinator.cluster.ConfigText;
import smpemu.coordinator.cluster.SweepMaster;
import smpemu.coordinator.sweep.SweepFiles;
import smpemu.coordinator.sweep.SweepPlan;
import smpemu.coordinator.sweep.SweepPoint;
import smpemu.coordinator.sweep.SweepRunner;

/**
 * Many simulations of one scenario: the cartesian product of --param values, --kernels (or the
 * --ablation set) and --seeds, each point a whole single-threaded simulation on the sequential
 * engine (the digest is the one either engine gives), run --jobs at a time, stored in --out.
 */
@Command(name = "sweep", description = "Run a scenario over parameter values x kernels x seeds, in parallel, into a results directory.")
final class SweepCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--param", paramLabel = "KEY=V1,V2,...",
        description = "A swept key (relative to smpemu.) and its values, HOCON, e.g. 'kernel.patches=[],[2],[2,3]'. Repeatable.")
    List<String> params = new ArrayList<>();

    @Option(names = "--kernels", paramLabel = "A,B,...",
        description = "Kernels: variants or patch sets as in compare (baseline+2+3, patched-7). Default: the configured kernel.")
    String kernels;

    @Option(names = "--ablation",
        description = "Kernels baseline, each patch alone, all but one, and patched (26 kernels).")
    boolean ablation;

    @Option(names = "--seeds", paramLabel = "LIST", description = "Seeds, e.g. 1-5 or 1,3,9. Default: the configured seed.")
    String seeds;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--jobs", paramLabel = "N", description = "Points simulated at once (default: the cores).")
    Integer jobs;

    @Option(names = "--resume", description = "Keep the points DIR already has results for; simulate the others.")
    boolean resume;

    @Mixin
    ProgressOptions progress;

    @Mixin
    ClusterOptions cluster;

    @Override
    public Integer call() {
        if (config.engine != null) {
            throw new ParameterException(spec.commandLine(),
                "--engine is not an option of sweep: every point runs on the sequential engine (the digest is the same on both)");
        }
        if (ablation && kernels != null) throw new ParameterException(spec.commandLine(), "--ablation and --kernels exclude each other");
        cluster.validate(spec.commandLine());
        // On a cluster every member runs one point at a time; this node too unless --jobs says otherwise.
        int threads = jobs != null ? jobs : cluster.enabled() ? 1 : Runtime.getRuntime().availableProcessors();
        // On a cluster --jobs 0 leaves this node to hand out the points.
        if (threads < (cluster.enabled() ? 0 : 1)) {
            throw new ParameterException(spec.commandLine(), "--jobs must be >= 1 (>= 0 on a cluster); got " + threads);
        }

        List<SweepPlan.Param> swept = params.stream().map(SweepPlan::param).toList();
        List<KernelSpec> specs = ablation ? ablationKernels() : kernels == null ? List.of() : KernelSpec.parseList("--kernels", kernels);
        for (SweepPlan.Param p : swept) {
            if (!specs.isEmpty() && (p.key().startsWith("kernel.variant") || p.key().startsWith("kernel.patches"))) {
                throw new ConfigException(List.of("--param " + p.key() + ": the kernel is swept by --kernels/--ablation; give one or the other"));
            }
        }
        Map<String, KernelSpec> byName = new LinkedHashMap<>();
        for (KernelSpec k : specs) {
            if (byName.put(k.name(), k) != null) throw new ConfigException(List.of("--kernels: " + k.name() + " is listed twice"));
        }
        List<SweepPoint> points = SweepPlan.points(swept, List.copyOf(byName.keySet()),
            seeds == null ? List.of() : SweepPlan.seeds(seeds));

        // Every point's configuration is loaded before any runs: a bad one fails the sweep at once.
        List<SweepRunner.Job> jobsToRun = new ArrayList<>();
        List<SweepMaster.Work> work = new ArrayList<>();
        List<ConfigOptions.Loaded> loaded = new ArrayList<>();
        for (SweepPoint p : points) {
            ConfigOptions.Loaded l = config.load("smoke", keys(p, byName));
            if (p.kernel() != null) byName.get(p.kernel()).checkSeries(ablation ? "--ablation" : "--kernels", l.settings().kernel());
            loaded.add(l);
        }

        SweepFiles files = new SweepFiles(out);
        if (!resume && files.hasResults()) {
            throw new ConfigException(List.of("--out " + out + ": holds results of a sweep already; add --resume to complete it, or choose another directory"));
        }
        files.prepare();
        List<JsonNode> stored = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            SweepPoint p = points.get(i);
            JsonNode kept = resume ? files.stored(p) : null;
            stored.add(kept);
            if (kept == null) {
                files.writeConfig(p, ConfigText.hocon(loaded.get(i).simLayer()));
                jobsToRun.add(new SweepRunner.Job(p, loaded.get(i).settings()));
                if (cluster.enabled()) work.add(new SweepMaster.Work(p.id(), ConfigText.of(loaded.get(i).simLayer())));
            }
        }

        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        SweepRunner.Outcome o;
        try (Progress bar = Progress.open(progress.mode, err, "sweep", jobsToRun.size(), "points")) {
            o = cluster.enabled() && !work.isEmpty()
                ? onCluster(points, work, threads, files, bar, loaded.get(0).cluster())
                : SweepRunner.run(jobsToRun, threads, files, RunCommand::simulate, bar::stepTo);
        }
        double wall = (System.nanoTime() - start) / 1e9;

        List<JsonNode> done = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            JsonNode n = stored.get(i) != null ? stored.get(i) : files.stored(points.get(i));
            if (n != null) done.add(n);
        }
        int kept = (int) stored.stream().filter(java.util.Objects::nonNull).count();
        long violating = done.stream().filter(n -> n.get("result").get("violations").size() > 0).count();
        String header = String.format(Locale.ROOT,
            "sweep: scenario %s, %d points (%s); ran %d, kept %d from an earlier run, failed %d; %d with checker violations%n"
                + "jobs %d, wall %.1f s for the points run (%.2f points/s)%n",
            loaded.isEmpty() ? "-" : loaded.get(0).settings().scenario(), points.size(), shape(swept, byName.size(), seeds == null ? 0 : SweepPlan.seeds(seeds).size()),
            o.ran(), kept, o.failures().size(), violating, threads, wall, o.ran() / Math.max(wall, 1e-9));
        files.writeTables(done, header);
        // Plots of the stored results, whatever the outcome of this invocation.
        smpemu.coordinator.plot.SweepPlots.write(out.resolve("plots"), done, swept.stream().map(SweepPlan.Param::key).toList());

        err.print(header.replace("sweep: ", "smpemu sweep: "));
        for (SweepRunner.Failure f : o.failures()) err.printf("smpemu: sweep point %s (%s) failed: %s%n", f.point().file(), f.point().label(), f.message());
        for (JsonNode n : done) {
            if (n.get("result").get("violations").size() > 0) {
                err.printf("smpemu: sweep point %s: %d checker violations (first: %s)%n", n.get("point").get("id").asText(),
                    n.get("result").get("violations").size(), n.get("result").get("violations").get(0).get("kind").asText());
            }
        }
        spec.commandLine().getOut().printf("results in %s (results.csv, results.jsonl, summary.txt, points/, plots/)%n", out);
        err.flush();
        return o.failures().isEmpty() && violating == 0 ? 0 : Main.FAILED;
    }

    /**
     * The points on the cluster: workers pull them from a SweepMaster here; results are stored as
     * they arrive, each once. A worker that goes away is reported and its point runs elsewhere.
     */
    private SweepRunner.Outcome onCluster(List<SweepPoint> points, List<SweepMaster.Work> work, int slots, SweepFiles files,
                                          Progress bar, ClusterSettings cs) {
        Map<Integer, SweepPoint> byId = new java.util.HashMap<>();
        for (SweepPoint p : points) byId.put(p.id(), p);
        List<SweepRunner.Failure> failures = new ArrayList<>();
        int[] ran = {0};
        Map<String, Integer> perNode = new java.util.TreeMap<>();
        PrintWriter err = spec.commandLine().getErr();
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        SweepMaster.Listener listener = new SweepMaster.Listener() {
            @Override
            public void done(int id, String result, String worker) {
                try {
                    files.writeResult(byId.get(id), (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(result));
                    ran[0]++;
                    perNode.merge(worker, 1, Integer::sum);
                } catch (java.io.IOException e) {
                    failures.add(new SweepRunner.Failure(byId.get(id), "unreadable result from " + worker + ": " + e.getMessage()));
                }
                bar.stepTo(ran[0] + failures.size());
            }

            @Override
            public void failed(int id, String message, String worker) {
                failures.add(new SweepRunner.Failure(byId.get(id), message + " (on " + worker + ")"));
                bar.stepTo(ran[0] + failures.size());
            }

            @Override
            public void lost(String worker, int id) {
                err.println("smpemu: sweep worker " + worker + " is gone" + (id < 0 ? "" : "; point " + id + " goes to another worker"));
                err.flush();
            }
        };
        try (ClusterRunner c = ClusterRunner.forSweep(cluster, cs)) {
            c.sweep(work, slots, listener, cs.joinTimeout(), err);
        }
        failures.sort(java.util.Comparator.comparingInt(f -> f.point().id()));
        err.println("smpemu sweep: points simulated per node: " + perNode);
        return new SweepRunner.Outcome(ran[0], failures);
    }

    /**
     * The point's keys over the configuration: swept values, then its kernel and seed.
     * scftorture parameters under their kernel names take the kernel's units, as on --set;
     * onoff_interval's jiffies need the point's HZ, read once the other keys are in.
     */
    private Map<String, Object> keys(SweepPoint p, Map<String, KernelSpec> kernels) {
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("engine.type", "sequential");
        Map<String, String> kernelNamed = new LinkedHashMap<>();
        p.params().forEach((k, v) -> {
            String bare = k.startsWith("smpemu.") ? k.substring("smpemu.".length()) : k;
            if (KernelParams.isScftorture(bare)) kernelNamed.put(k, v);
            else keys.put(k, hocon(k, v));
        });
        if (p.kernel() != null) keys.putAll(kernels.get(p.kernel()).keys());
        if (p.seed() != null) keys.put("seed", p.seed());
        if (!kernelNamed.isEmpty()) {
            int hz = config.rawInt("smoke", keys, "kernel.hz", 1000);
            kernelNamed.forEach((k, v) -> {
                KernelParams.Setting s = KernelParams.scftorture(k.startsWith("smpemu.") ? k.substring("smpemu.".length()) : k, v, hz);
                if (s != null) keys.put(s.key(), hocon(k, s.value()));
            });
        }
        return keys;
    }

    private static ConfigValue hocon(String key, String value) {
        try {
            return ConfigFactory.parseString("v = " + value).getValue("v");
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(List.of("--param " + key + ": " + value + " is not a HOCON value (" + e.getMessage() + ")"));
        }
    }

    /** baseline, each patch alone, the series without each patch, the series. */
    private static List<KernelSpec> ablationKernels() {
        List<KernelSpec> k = new ArrayList<>();
        k.add(KernelSpec.parse("--ablation", "baseline"));
        IntStream.rangeClosed(1, KernelSettings.PATCH_COUNT).forEach(p -> k.add(KernelSpec.parse("--ablation", "baseline+" + p)));
        IntStream.rangeClosed(1, KernelSettings.PATCH_COUNT).forEach(p -> k.add(KernelSpec.parse("--ablation", "patched-" + p)));
        k.add(KernelSpec.parse("--ablation", "patched"));
        return k;
    }

    private static String shape(List<SweepPlan.Param> swept, int kernels, int seeds) {
        List<String> dims = new ArrayList<>();
        for (SweepPlan.Param p : swept) dims.add(p.values().size() + " " + p.key());
        if (kernels > 0) dims.add(kernels + " kernels");
        if (seeds > 0) dims.add(seeds + " seeds");
        return dims.isEmpty() ? "one configuration" : String.join(" x ", dims);
    }
}
