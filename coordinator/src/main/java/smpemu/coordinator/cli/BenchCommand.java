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
import picocli.CommandLine.Spec;
import smpemu.config.EngineKind;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.JsonReport;
import smpemu.coordinator.result.RunResult;
import smpemu.coordinator.result.Units;

/**
 * Runs one scenario at several CPU counts on both engines and compares their speed. Scaling is
 * done by the scenario itself: it sizes its per-CPU task families with
 * {@code count = ${smpemu.topology.cpus}}, which HOCON resolves after {@code topology.cpus} is
 * overridden here, so no workload rewriting is needed.
 */
@Command(name = "bench", description = "Compare the sequential and actor engines at several CPU counts.",
    modelTransformer = BenchCommand.BothEngines.class)
final class BenchCommand implements Callable<Integer> {
    private static final String ROW = "%6s %11s %11s %11s %11s %9s %12s %12s %15s %7s%n";

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions config;

    @Option(names = "--cpus", split = ",", paramLabel = "N", defaultValue = "16,256,1024,4096",
        description = "CPU counts to simulate (default: ${DEFAULT-VALUE}).")
    List<Integer> cpus;

    @Option(names = "--warmup", paramLabel = "DUR", defaultValue = "1s",
        description = "Simulated time of the untimed JIT warm-up run of each engine at the first CPU count (default: ${DEFAULT-VALUE}); each size also gets a 200 ms one.")
    String warmup;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the figures as JSON to FILE (- = stdout).")
    String json;

    /** bench runs both engines: the shared --engine option is not one of its options (nor in its help). */
    static final class BothEngines implements CommandLine.IModelTransformer {
        @Override
        public CommandSpec transform(CommandSpec spec) {
            spec.remove(spec.findOption("--engine"));
            return spec;
        }
    }

    /** One CPU count: the same simulation on both engines. */
    private record Pair(int cpus, RunResult sequential, RunResult actors) {
        boolean sameDigest() { return sequential.digest().equals(actors.digest()); }
        double ratio() { return (double) actors.engineStats().eventsPerSec() / Math.max(1, sequential.engineStats().eventsPerSec()); }
    }

    @Override
    public Integer call() {
        config.perWindowFigures = false; // its report has no per-window percentiles
        for (EngineKind kind : EngineKind.values()) RunCommand.simulate(settings(cpus.get(0), kind, warmup));

        List<Pair> pairs = new ArrayList<>();
        for (int n : cpus) {
            String duration = config.duration != null ? config.duration : defaultDuration(n);
            // A short untimed run at this size first: the JIT and the heap settle per machine size.
            for (EngineKind kind : EngineKind.values()) RunCommand.simulate(settings(n, kind, WARMUP_AT_SIZE));
            pairs.add(new Pair(n, measure(settings(n, EngineKind.SEQUENTIAL, duration)),
                measure(settings(n, EngineKind.ACTORS, duration))));
        }
        PrintWriter out = spec.commandLine().getOut();
        OutputFiles files = new OutputFiles();
        if (json != null) files.write(json, JsonReport.write(json(pairs)), out);
        if (!"-".equals(json)) out.print(text(pairs));
        out.flush();
        boolean deterministic = pairs.stream().allMatch(Pair::sameDigest);
        // A digest that depends on the engine is a determinism bug: the run failed.
        if (!deterministic) spec.commandLine().getErr().println("smpemu: the engines' digests differ");
        return files.finish(spec.commandLine().getErr(), deterministic ? 0 : Main.FAILED);
    }

    private static final String WARMUP_AT_SIZE = "200ms";

    /**
     * About 256 simulated CPU-seconds per run (16 s at 16 CPUs, at least 1 s): enough events
     * that the actor engine's fixed start-up (the ActorSystem, one actor per CPU) does not
     * decide the ratio.
     */
    static String defaultDuration(int cpus) {
        long ms = Math.max(1_000, Math.min(16_000, 256_000L / cpus));
        return ms + "ms";
    }

    private SimSettings settings(int n, EngineKind kind, String duration) {
        return config.settings("rt-16", Map.of("topology.cpus", n,
            "engine.type", kind.name().toLowerCase(Locale.ROOT), "duration", duration));
    }

    /** Collects the previous run's garbage first, so that the peak heap is this run's. */
    private static RunResult measure(SimSettings s) {
        System.gc();
        return RunCommand.simulate(s);
    }

    private static double simPerWall(RunResult r) {
        return r.simDurationNs() / 1e9 / (Math.max(1, r.engineStats().wallMs()) / 1e3);
    }

    private static String text(List<Pair> pairs) {
        RunResult first = pairs.get(0).sequential();
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
            "bench: scenario %s, %s simulated per run, seed %d%n%n", first.scenario(),
            Units.time(first.simDurationNs()), first.seed()));
        b.append(String.format(Locale.ROOT, ROW, "cpus", "events", "windows", "seq ev/s", "actor ev/s",
            "actor/seq", "seq sim-s/s", "act sim-s/s", "heap MiB s/a", "digest"));
        for (Pair p : pairs) {
            RunResult.EngineFigures s = p.sequential().engineStats(), a = p.actors().engineStats();
            b.append(String.format(Locale.ROOT, ROW, p.cpus(), Units.count(s.events()),
                Units.count(a.windows()), Units.count(s.eventsPerSec()), Units.count(a.eventsPerSec()),
                String.format(Locale.ROOT, "%.2fx", p.ratio()),
                String.format(Locale.ROOT, "%.3f", simPerWall(p.sequential())),
                String.format(Locale.ROOT, "%.3f", simPerWall(p.actors())),
                Units.mib(s.peakHeapBytes()) + "/" + Units.mib(a.peakHeapBytes()),
                p.sameDigest() ? "same" : "DIFF"));
        }
        return b.toString();
    }

    private static ObjectNode json(List<Pair> pairs) {
        RunResult first = pairs.get(0).sequential();
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("scenario", first.scenario());
        o.put("seed", first.seed());
        o.put("sim_duration_ns", first.simDurationNs());
        ArrayNode runs = o.putArray("runs");
        for (Pair p : pairs) {
            ObjectNode n = runs.addObject();
            n.put("cpus", p.cpus());
            n.put("events", p.sequential().engineStats().events());
            n.put("actor_to_sequential_ratio", p.ratio());
            n.put("digests_match", p.sameDigest());
            n.set("sequential", engine(p.sequential()));
            n.set("actors", engine(p.actors()));
        }
        return o;
    }

    private static ObjectNode engine(RunResult r) {
        ObjectNode n = JsonReport.engineStats(r.engineStats());
        n.put("sim_seconds_per_wall_second", simPerWall(r));
        return n;
    }
}
