package smpemu.coordinator.result;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The JSON result of a run (docs/architecture.md#contract, schema v1). The tree is built field by field so
 * that the snake_case names are the contract, not a by-product of Java names.
 */
public final class JsonReport {
    private JsonReport() {}

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** {@code withConfig}: also the whole effective configuration ({@code --json-config}). */
    public static ObjectNode tree(RunResult r, boolean withConfig) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("schema_version", r.schemaVersion());
        o.put("scenario", r.scenario());
        o.put("kernel", r.kernel());
        ArrayNode patches = o.putArray("patches");
        for (int p : r.patches()) patches.add(p);
        o.put("seed", r.seed());
        o.put("engine", r.engine());
        o.put("nodes", r.nodes());
        o.put("cpus_count", r.cpusCount());
        o.put("sim_duration_ns", r.simDurationNs());
        o.put("window_ns", r.windowNs());
        o.put("measurement_windows", Units.windows(r));
        o.put("coarse_percentiles", r.coarsePercentiles());
        RunResult.Origin origin = r.origin();
        o.put("preemption", origin.preemption());
        o.put("hz", origin.hz());
        o.put("tracer", origin.tracer());
        o.put("series", origin.series());
        o.put("config_sha256", origin.configSha256());
        if (withConfig) o.set("config", config(origin.configJson()));
        o.put("digest", r.digest());
        o.set("summary", summary(r.summary()));
        ArrayNode cpus = o.putArray("cpus");
        for (RunResult.CpuResult c : r.cpus()) {
            ObjectNode n = cpus.addObject();
            n.put("cpu", c.cpu());
            n.put("preemptoff_p50_ns", c.preemptoffP50Ns());
            n.put("preemptoff_p99_ns", c.preemptoffP99Ns());
            n.put("preemptoff_max_ns", c.preemptoffMaxNs());
            n.set("over_1ms", over1ms(c.over1ms()));
            // No RT wake-up on this CPU: no maximum (0 would read as a zero-latency wake-up).
            if (c.rtWakeups() == 0) n.putNull("rt_wakeup_max_ns");
            else n.put("rt_wakeup_max_ns", c.rtWakeupMaxNs());
            n.put("rt_wakeups", c.rtWakeups());
            n.put("steal_ns", c.stealNs());
        }
        ArrayNode longest = o.putArray("longest");
        for (RunResult.Section s : r.longest()) {
            ObjectNode n = longest.addObject();
            n.put("cpu", s.cpu());
            n.put("start_ns", s.startNs());
            n.put("duration_ns", s.durationNs());
            n.put("task", s.task());
            n.put("kind", s.kind());
            ArrayNode path = n.putArray("path");
            s.path().forEach(path::add);
            ArrayNode blame = n.putArray("blame");
            for (RunResult.BlameHop h : s.blame()) {
                ObjectNode hop = blame.addObject();
                hop.put("cpu", h.cpu());
                hop.put("what", h.what());
                ArrayNode hopPath = hop.putArray("path");
                h.path().forEach(hopPath::add);
                hop.put("since_ns", h.sinceNs());
                hop.put("duration_ns", h.durationNs());
            }
        }
        ArrayNode reports = o.putArray("csd_lock_reports");
        for (RunResult.CsdLockReport c : r.csdLockReports()) {
            ObjectNode n = reports.addObject();
            n.put("cpu", c.cpu());
            n.put("time_ns", c.timeNs());
            n.put("task", c.task());
            n.put("target_cpu", c.targetCpu());
            n.put("waiting_ns", c.waitingNs());
            n.put("message", c.message());
        }
        ArrayNode violations = o.putArray("violations");
        for (RunResult.Violation v : r.violations()) {
            ObjectNode n = violations.addObject();
            n.put("kind", v.kind());
            n.put("cpu", v.cpu());
            n.put("time_ns", v.timeNs());
            n.put("task", v.task());
            ArrayNode path = n.putArray("path");
            v.path().forEach(path::add);
        }
        ObjectNode torture = o.putObject("scftorture");
        ObjectNode invoked = torture.putObject("invoked");
        String[] prims = {"resched", "single", "single_rpc", "single_wait", "many", "many_wait", "all", "all_wait"};
        for (int i = 0; i < prims.length; i++) invoked.put(prims[i], r.torture().invoked()[i]);
        torture.put("handler_invocations", r.torture().handlerInvocations());
        torture.put("violations", r.torture().violations());
        ArrayNode stats = torture.putArray("stats");
        for (long[] row : r.torture().series()) {
            ObjectNode n = stats.addObject();
            for (int i = 0; i < prims.length; i++) n.put(prims[i], row[i]);
            n.put("handler_invocations", row[prims.length]);
        }
        RunResult.Hotplug h = r.hotplug();
        ObjectNode hotplug = o.putObject("hotplug");
        hotplug.put("offline_attempts", h.offlineAttempts());
        hotplug.put("offline_successes", h.offlineSuccesses());
        hotplug.put("online_attempts", h.onlineAttempts());
        hotplug.put("online_successes", h.onlineSuccesses());
        hotplug.put("stop_machine_min_ns", h.stopMachineMinNs());
        hotplug.put("stop_machine_max_ns", h.stopMachineMaxNs());
        hotplug.put("single_offline", h.singleOffline());
        hotplug.put("csd_array_frees", h.csdArrayFrees());
        hotplug.put("csd_array_allocs", h.csdArrayAllocs());
        RunResult.Counters k = r.counters();
        ObjectNode counters = o.putObject("counters");
        counters.put("sections", k.sections());
        counters.put("context_switches", k.contextSwitches());
        counters.put("wakeups", k.wakeups());
        counters.put("migrations", k.migrations());
        counters.put("interrupts", k.interrupts());
        o.set("histograms", histograms(r));
        ArrayNode paths = o.putArray("paths");
        for (RunResult.PathStats p : r.paths()) {
            ObjectNode n = paths.addObject();
            ArrayNode path = n.putArray("path");
            p.path().forEach(path::add);
            n.put("count", p.count());
            n.put("total_ns", p.totalNs());
            n.put("max_ns", p.maxNs());
            n.set("buckets", buckets(p.log2()));
        }
        ArrayNode locks = o.putArray("locks");
        for (RunResult.LockStats l : r.locks()) {
            ObjectNode n = locks.addObject();
            n.put("name", l.name());
            n.put("home", l.home());
            n.put("acquisitions", l.acquisitions());
            n.put("contended", l.contended());
            n.put("spin_total_ns", l.spinTotalNs());
            n.put("spin_max_ns", l.spinMaxNs());
            n.put("hold_total_ns", l.holdTotalNs());
            n.put("hold_max_ns", l.holdMaxNs());
        }
        o.set("engine_stats", engineStats(r.engineStats()));
        return o;
    }

    /**
     * Per CPU, both distributions in power-of-two buckets of nanoseconds (bpftrace's hist()
     * bounds). Every 3-digit HdrHistogram sub-bucket lies inside one power of two, so these
     * counts are exact.
     */
    private static ObjectNode histograms(RunResult r) {
        ObjectNode h = MAPPER.createObjectNode();
        h.put("significant_digits", 3);
        ArrayNode cpus = h.putArray("cpus");
        for (RunResult.CpuDistributions c : r.distributions()) {
            ObjectNode n = cpus.addObject();
            n.put("cpu", c.cpu());
            n.set("sections", distribution(c.sections()));
            n.set("rt_wakeup", distribution(c.rtWakeups()));
        }
        return h;
    }

    private static ObjectNode distribution(RunResult.Distribution d) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("count", d.count());
        if (d.count() == 0) {
            n.putNull("min_ns");
            n.putNull("avg_ns");
            n.putNull("max_ns");
        } else {
            n.put("min_ns", d.minNs());
            n.put("avg_ns", d.avgNs());
            n.put("max_ns", d.maxNs());
        }
        n.set("buckets", buckets(Log2Buckets.counts(d)));
        return n;
    }

    /** The non-empty power-of-two buckets: from_ns inclusive, to_ns exclusive. */
    private static ArrayNode buckets(long[] counts) {
        ArrayNode buckets = MAPPER.createArrayNode();
        for (int k = 0; k < counts.length; k++) {
            if (counts[k] == 0) continue;
            ObjectNode b = buckets.addObject();
            b.put("from_ns", Log2Buckets.from(k));
            b.put("to_ns", Log2Buckets.to(k));
            b.put("count", counts[k]);
        }
        return buckets;
    }

    /**
     * The result of {@code compare}: {@code {"<before>": <run>, "<after>": <run>, "reduction_pct": x}},
     * keyed by the kernel names given. When both names are the same, the second key gets a
     * {@code -2} suffix, since a JSON object cannot hold one key twice.
     */
    public static ObjectNode compareTree(String beforeName, RunResult before, String afterName, RunResult after,
                                         boolean withConfig) {
        ObjectNode o = MAPPER.createObjectNode();
        o.set(beforeName, tree(before, withConfig));
        o.set(afterName.equals(beforeName) ? afterName + "-2" : afterName, tree(after, withConfig));
        o.put("reduction_pct", CompareReport.reductionPct(before, after));
        return o;
    }

    /**
     * compare's {@code calibration}: {@code {"source": s, "held": n, "targets": [{side, figure, cpus?,
     * frames?, min?, max?, why, low, high, off_cpu?, holds}]}}, bounds and values in ns or plain numbers.
     */
    public static ObjectNode calibration(smpemu.config.Calibration c, java.util.List<CalibrationCheck.Row> rows) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("source", c.source());
        o.put("held", rows.stream().filter(CalibrationCheck.Row::holds).count());
        com.fasterxml.jackson.databind.node.ArrayNode targets = o.putArray("targets");
        for (CalibrationCheck.Row row : rows) {
            smpemu.config.Calibration.Target t = row.target();
            ObjectNode r = targets.addObject();
            r.put("side", t.side().name().toLowerCase(java.util.Locale.ROOT));
            r.put("figure", t.figure().spelling());
            if (t.cpus() != null) {
                com.fasterxml.jackson.databind.node.ArrayNode cpus = r.putArray("cpus");
                for (int cpu : t.cpus()) cpus.add(cpu);
            }
            if (!t.frames().isEmpty()) {
                com.fasterxml.jackson.databind.node.ArrayNode frames = r.putArray("frames");
                t.frames().forEach(frames::add);
            }
            if (!Double.isNaN(t.min())) r.put("min", t.min());
            if (!Double.isNaN(t.max())) r.put("max", t.max());
            r.put("why", t.why());
            r.put("low", row.low());
            r.put("high", row.high());
            if (row.offCpu() >= 0) r.put("off_cpu", row.offCpu());
            r.put("holds", row.holds());
        }
        return o;
    }

    private static JsonNode config(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Typesafe's concise rendering is JSON", e);
        }
    }

    private static ObjectNode summary(RunResult.Summary s) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("preemptoff_p50_ns", s.preemptoffP50Ns());
        n.put("preemptoff_p99_ns", s.preemptoffP99Ns());
        n.put("preemptoff_max_ns", s.preemptoffMaxNs());
        n.set("over_1ms", over1ms(s.over1ms()));
        n.put("rt_wakeup_min_ns", s.rtWakeupMinNs());
        n.put("rt_wakeup_avg_ns", s.rtWakeupAvgNs());
        n.put("rt_wakeup_p50_ns", s.rtWakeupP50Ns());
        n.put("rt_wakeup_p99_ns", s.rtWakeupP99Ns());
        n.put("rt_wakeup_max_ns", s.rtWakeupMaxNs());
        n.put("rt_wakeups", s.rtWakeups());
        n.put("shootdowns", s.shootdowns());
        n.put("ipis_sent", s.ipisSent());
        n.put("csd_lock_wait_max_ns", s.csdLockWaitMaxNs());
        n.put("flush_total_p50_ns", s.flushTotalP50Ns());
        n.put("flush_total_p99_ns", s.flushTotalP99Ns());
        n.put("flush_total_max_ns", s.flushTotalMaxNs());
        n.put("flush_pinned_p99_ns", s.flushPinnedP99Ns());
        n.put("flush_pinned_max_ns", s.flushPinnedMaxNs());
        n.put("cross_calls", s.crossCalls());
        n.put("csd_lock_reports", s.csdLockReports());
        return n;
    }

    private static ObjectNode over1ms(RunResult.Over1ms b) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("1-10ms", b.ms1to10());
        n.put("10-50ms", b.ms10to50());
        n.put("50-100ms", b.ms50to100());
        n.put(">=100ms", b.ms100plus());
        return n;
    }

    /** Also used by the bench report, which shows these figures per engine. */
    public static ObjectNode engineStats(RunResult.EngineFigures e) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("events", e.events());
        n.put("windows", e.windows());
        n.put("wall_ms", e.wallMs());
        n.put("events_per_sec", e.eventsPerSec());
        n.put("peak_heap_bytes", e.peakHeapBytes());
        return n;
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node) + System.lineSeparator();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a Jackson tree always serializes", e);
        }
    }

    /**
     * Readers of a result file never see it half-written: the text goes to a temporary file in
     * the same directory (same file system, so the rename is atomic), then replaces the target.
     */
    public static void writeAtomically(Path target, String text) {
        writeAtomically(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Bytes to a temporary file in the target's directory, then renamed over it. */
    public static void writeAtomically(Path target, byte[] bytes) {
        Path abs = target.toAbsolutePath();
        try {
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
