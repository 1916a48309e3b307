package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's field table of {@code run --json} names every field a run's JSON has. */
class ReadmeFieldsTest {
    /** The module's tests run in coordinator/; the README is the project's. */
    private static final Path README = Path.of("..", "README.md");

    /** Every word inside backticks of the README section that documents the run JSON. */
    private static Set<String> documentedNames() throws IOException {
        String text = Files.readString(README);
        int from = text.indexOf("`run --json FILE` writes one object");
        int to = text.indexOf("`compare --json FILE` writes", from);
        assertTrue(from >= 0 && to > from, "the README section of the run JSON moved");
        Set<String> names = new HashSet<>();
        Matcher code = Pattern.compile("`([^`]+)`").matcher(text.substring(from, to));
        while (code.find()) {
            for (String w : code.group(1).split("[^A-Za-z0-9_>=-]+")) if (!w.isEmpty()) names.add(w);
        }
        return names;
    }

    /** Field names with their paths; {@code config} is the configuration's own tree (reference.conf documents it). */
    private static void fields(JsonNode node, String path, List<Map.Entry<String, String>> out) {
        if (node.isArray()) {
            for (JsonNode e : node) fields(e, path + "[]", out);
        } else if (node.isObject()) {
            node.fields().forEachRemaining(f -> {
                out.add(Map.entry(f.getKey(), path + f.getKey()));
                if (!f.getKey().equals("config")) fields(f.getValue(), path + f.getKey() + ".", out);
            });
        }
    }

    @Test
    void everyJsonFieldIsInTheTable() throws IOException {
        // torture fills scftorture.stats[], violations[] and the hotplug counters.
        Cli.Outcome o = Cli.exec("torture", "--engine", "sequential", "--kernel", "unsafe-u4", "--duration", "200ms",
            "--bootargs", "scftorture.weight_many_wait=1 scftorture.weight_all_wait=1 scftorture.stutter=0",
            "--set", "scftorture.stat-interval=50ms", "--json", "-", "--json-config");
        JsonNode r = new ObjectMapper().readTree(o.out());
        assertTrue(r.get("violations").size() > 0 && r.get("scftorture").get("stats").size() > 0, "fields to check");
        List<Map.Entry<String, String>> all = new ArrayList<>();
        fields(r, "", all);
        Set<String> documented = documentedNames();
        List<String> missing = all.stream().filter(f -> !documented.contains(f.getKey())).map(Map.Entry::getValue).toList();
        assertEquals(List.of(), missing, "JSON fields the README table does not name");
    }

    @Test
    void blameHopFieldsAreInTheTable() throws IOException {
        // stalls with native flushes, before the series: long csd_lock_wait sections behind host-preempted vCPUs.
        Cli.Outcome o = Cli.exec("run", "--engine", "sequential", "--scenario", "stalls", "--kernel", "baseline",
            "--set", "kernel.smp.pv-tlb-flush=false", "--json", "-");
        JsonNode r = new ObjectMapper().readTree(o.out());
        ResultSchema.assertRun(r);
        List<Map.Entry<String, String>> all = new ArrayList<>();
        for (JsonNode s : r.get("longest")) fields(s.get("blame"), "longest[].blame", all);
        assertTrue(!all.isEmpty(), "a blame chain to check");
        Set<String> documented = documentedNames();
        assertEquals(List.of(), all.stream().filter(f -> !documented.contains(f.getKey())).map(Map.Entry::getValue).toList());
    }

}
