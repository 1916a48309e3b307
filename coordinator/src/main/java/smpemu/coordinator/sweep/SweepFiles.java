package smpemu.coordinator.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import smpemu.coordinator.result.JsonReport;

/**
 * A sweep's output directory. Each point, once simulated, is written atomically to
 * {@code points/NNNN.json} ({@code {"point": ..., "result": <run --json>}}) next to its effective
 * configuration {@code points/NNNN.conf}: those files are the record, so a killed sweep loses at
 * most the points in flight and {@code --resume} reruns exactly the points without a result.
 * {@code results.csv}, {@code results.jsonl} and {@code summary.txt} are rebuilt from them, in
 * point order, at the end.
 */
public final class SweepFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final Path dir;

    public SweepFiles(Path dir) { this.dir = dir; }

    public Path dir() { return dir; }

    private Path points() { return dir.resolve("points"); }

    public void prepare() {
        try {
            Files.createDirectories(points());
            // A sweep killed while renaming a result leaves its temporary file: never a result, so drop it.
            try (var s = Files.list(points())) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    String n = p.getFileName().toString();
                    if (n.startsWith(".") && n.endsWith(".tmp")) Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + points() + ": " + e.getMessage(), e);
        }
    }

    /** Whether the directory already holds results of some sweep. */
    public boolean hasResults() {
        if (!Files.isDirectory(points())) return false;
        try (var s = Files.list(points())) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".json"));
        } catch (IOException e) {
            return false;
        }
    }

    /** The stored result of {@code p}, or null; a result of another point under its number is an error. */
    public JsonNode stored(SweepPoint p) {
        Path f = points().resolve(p.file() + ".json");
        if (!Files.exists(f)) return null;
        JsonNode n;
        try {
            n = MAPPER.readTree(f.toFile());
        } catch (IOException e) {
            return null; // unreadable: simulate it again
        }
        // Compared as text: the stored seed reads back as an int node, the plan's is a long.
        if (n == null || n.get("point") == null || !p.json().toString().equals(n.get("point").toString())) {
            throw new smpemu.config.ConfigException(List.of("--resume: " + f + " holds " + (n == null ? "nothing" : n.get("point"))
                + ", not point " + p.json() + ": the directory holds another sweep (use a new --out)"));
        }
        return n;
    }

    public void writeConfig(SweepPoint p, String hocon) {
        JsonReport.writeAtomically(points().resolve(p.file() + ".conf"), hocon);
    }

    public JsonNode writeResult(SweepPoint p, ObjectNode result) {
        ObjectNode o = MAPPER.createObjectNode();
        o.set("point", p.json());
        o.set("result", result);
        JsonReport.writeAtomically(points().resolve(p.file() + ".json"), JsonReport.write(o));
        return o;
    }

    /** results.jsonl, results.csv and summary.txt from the points that have results, in order. */
    public void writeTables(List<JsonNode> done, String header) {
        StringBuilder jsonl = new StringBuilder();
        for (JsonNode n : done) {
            try {
                jsonl.append(MAPPER.writeValueAsString(n)).append('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        JsonReport.writeAtomically(dir.resolve("results.jsonl"), jsonl.toString());
        JsonReport.writeAtomically(dir.resolve("results.csv"), csv(done));
        JsonReport.writeAtomically(dir.resolve("summary.txt"), header + SweepSummary.render(done));
    }

    /** One row per point: parameters, kernel, seed, digest, the summary fields, the worst CPU's p50/p99. */
    static String csv(List<JsonNode> done) {
        List<Map<String, String>> rows = new ArrayList<>();
        for (JsonNode n : done) rows.add(row(n));
        List<String> cols = new ArrayList<>();
        for (Map<String, String> r : rows) for (String k : r.keySet()) if (!cols.contains(k)) cols.add(k);
        StringBuilder b = new StringBuilder();
        b.append(String.join(",", cols.stream().map(SweepFiles::cell).toList())).append('\n');
        for (Map<String, String> r : rows) {
            b.append(String.join(",", cols.stream().map(c -> cell(r.getOrDefault(c, ""))).toList())).append('\n');
        }
        return b.toString();
    }

    static Map<String, String> row(JsonNode n) {
        JsonNode p = n.get("point"), r = n.get("result");
        Map<String, String> row = new LinkedHashMap<>();
        row.put("point", p.get("id").asText());
        p.get("params").fields().forEachRemaining(e -> row.put(e.getKey(), e.getValue().asText()));
        row.put("kernel", kernelName(n));
        List<String> patches = new ArrayList<>();
        r.get("patches").forEach(x -> patches.add(x.asText()));
        row.put("patches", "[" + String.join(",", patches) + "]");
        row.put("seed", r.get("seed").asText());
        row.put("digest", r.get("digest").asText());
        row.put("violations", Integer.toString(r.get("violations").size()));
        JsonNode worst = worstCpu(r);
        row.put("worst_cpu", worst == null ? "" : worst.get("cpu").asText());
        row.put("worst_cpu_p50_ns", worst == null ? "" : worst.get("preemptoff_p50_ns").asText());
        row.put("worst_cpu_p99_ns", worst == null ? "" : worst.get("preemptoff_p99_ns").asText());
        flatten("", r.get("summary"), row);
        return row;
    }

    /** The kernel as the sweep named it, else the configured variant. */
    static String kernelName(JsonNode n) {
        JsonNode k = n.get("point").get("kernel");
        return k.isNull() ? n.get("result").get("kernel").asText() : k.asText();
    }

    /** The CPU with the largest p99 of its window maxima (the lowest number among equals). */
    static JsonNode worstCpu(JsonNode r) {
        JsonNode worst = null;
        for (JsonNode c : r.get("cpus")) {
            if (worst == null || c.get("preemptoff_p99_ns").asLong() > worst.get("preemptoff_p99_ns").asLong()) worst = c;
        }
        return worst;
    }

    private static void flatten(String prefix, JsonNode o, Map<String, String> row) {
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = prefix + e.getKey();
            if (e.getValue().isObject()) flatten(key + "_", e.getValue(), row);
            else row.put(key, e.getValue().asText());
        }
    }

    /** RFC 4180: quote a cell holding a comma, a quote or a line break. */
    private static String cell(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0) return v;
        return '"' + v.replace("\"", "\"\"") + '"';
    }
}
