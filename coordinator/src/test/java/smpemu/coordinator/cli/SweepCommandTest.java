package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpemu.coordinator.cli.Cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smpemu.coordinator.sweep.SweepPlan;

/** {@code smpemu sweep}: the product of parameters, kernels and seeds, in parallel, resumable. */
class SweepCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void aSweepGivesTheDigestsOfTheSamePointsRunOneByOne() throws Exception {
        Path out = tmp.resolve("sweep");
        Cli.Outcome o = exec("sweep", "--duration", "300ms", "--param", "topology.cpus=4,8", "--kernels", "baseline,patched",
            "--seeds", "1-2", "--jobs", "2", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        List<String[]> rows = csv(out);
        assertEquals(8, rows.size() - 1, "2 x 2 x 2 points");
        List<String> head = List.of(rows.get(0));
        int cpus = head.indexOf("topology.cpus"), kernel = head.indexOf("kernel"), seed = head.indexOf("seed"),
            digest = head.indexOf("digest");
        for (String col : List.of("point", "patches", "worst_cpu_p50_ns", "worst_cpu_p99_ns", "preemptoff_p99_ns", "rt_wakeup_p99_ns")) {
            assertTrue(head.contains(col), col + " in " + head);
        }
        List<String> seen = new ArrayList<>();
        for (String[] r : rows.subList(1, rows.size())) {
            Cli.Outcome run = exec("run", "--duration", "300ms", "--set", "topology.cpus=" + r[cpus], "--kernel", r[kernel],
                "--seed", r[seed], "--json", "-");
            assertEquals(0, run.code(), run.err());
            assertEquals(JSON.readTree(run.out()).get("digest").asText(), r[digest], String.join(",", r));
            seen.add(r[cpus] + "/" + r[kernel] + "/" + r[seed]);
        }
        assertEquals(List.of("4/baseline/1", "4/baseline/2", "4/patched/1", "4/patched/2",
            "8/baseline/1", "8/baseline/2", "8/patched/1", "8/patched/2"), seen, "rows in point order");
        assertEquals(8, Files.readAllLines(out.resolve("results.jsonl")).size());
        assertTrue(Files.readString(out.resolve("summary.txt")).contains("ran 8, kept 0"));

        // A point's stored configuration reproduces it.
        Cli.Outcome again = exec("run", "-c", out.resolve("points/0007.conf").toString(), "--json", "-");
        assertEquals(0, again.code(), again.err());
        assertEquals(rows.get(7)[digest], JSON.readTree(again.out()).get("digest").asText());

        // The same directory again without --resume is refused; nothing there changes.
        Cli.Outcome twice = exec("sweep", "--duration", "300ms", "--out", out.toString());
        assertEquals(2, twice.code(), twice.err());
        assertTrue(twice.err().contains("holds results of a sweep already; add --resume"), twice.err());

        // As if killed after five points: --resume simulates exactly the three missing ones.
        for (String p : List.of("0002", "0005", "0008")) Files.delete(out.resolve("points/" + p + ".json"));
        Files.delete(out.resolve("results.csv"));
        Cli.Outcome resumed = exec("sweep", "--duration", "300ms", "--param", "topology.cpus=4,8", "--kernels", "baseline,patched",
            "--seeds", "1-2", "--jobs", "2", "--out", out.toString(), "--resume");
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("ran 3, kept 5 from an earlier run"), resumed.err());
        List<String[]> after = csv(out);
        assertEquals(rows.size(), after.size());
        for (int i = 1; i < rows.size(); i++) assertEquals(rows.get(i)[digest], after.get(i)[digest], "row " + i);

        // Resuming with another sweep's definition is refused.
        Cli.Outcome other = exec("sweep", "--duration", "300ms", "--param", "topology.cpus=8,16", "--out", out.toString(), "--resume");
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("the directory holds another sweep"), other.err());
    }

    @Test
    void theAblationIsBaselineEachPatchAloneAllButOneAndPatched() throws Exception {
        Path out = tmp.resolve("ablation");
        Cli.Outcome o = exec("sweep", "--duration", "50ms", "--ablation", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        List<String[]> rows = csv(out);
        List<String> head = List.of(rows.get(0));
        int kernel = head.indexOf("kernel"), patches = head.indexOf("patches");
        assertEquals(26, rows.size() - 1);
        assertEquals("baseline", rows.get(1)[kernel]);
        assertEquals("[]", rows.get(1)[patches]);
        assertEquals("baseline+3", rows.get(4)[kernel]);
        assertEquals("[3]", rows.get(4)[patches]);
        assertEquals("patched-3", rows.get(16)[kernel]);
        assertEquals("[1,2,4,5,6,7,8,9,10,11,12]", rows.get(16)[patches]);
        assertEquals("patched", rows.get(26)[kernel]);
    }

    @Test
    void aPointWhoseCheckerFiresFailsTheSweep() throws Exception {
        Path out = tmp.resolve("torture");
        Cli.Outcome o = exec("sweep", "--scenario", "torture", "--duration", "100ms", "--kernels", "patched,unsafe-u8",
            "--out", out.toString(), "--jobs", "2");
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().contains("smpemu: sweep point 2: "), o.err());
        assertTrue(o.err().contains("checker violations (first: flush-tlb-info-overwritten)"), o.err());
        assertEquals(3, csv(out).size(), "both points are in the results");
    }

    @Test
    void paramValuesAreHoconSplitOutsideBrackets() {
        assertEquals(List.of("[]", "[2]", "[2,3]"), SweepPlan.param("kernel.patches=[],[2],[2,3]").values());
        assertEquals(List.of("\"a,b\"", "{x = 1, y = 2}"), SweepPlan.param("k=\"a,b\",{x = 1, y = 2}").values());
        assertEquals("topology.cpus", SweepPlan.param("smpemu.topology.cpus=4").key());
        assertEquals(List.of(1L, 2L, 3L, 7L), SweepPlan.seeds("1-3,7"));
        Cli.Outcome bad = exec("sweep", "--param", "topology.cpus=4,nope", "--out", tmp.resolve("bad").toString());
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("smpemu: topology.cpus"), bad.err());
        Cli.Outcome seeds = exec("sweep", "--seeds", "5-1", "--out", tmp.resolve("bad").toString());
        assertEquals(2, seeds.code(), seeds.err());
        assertTrue(seeds.err().contains("--seeds 5-1"), seeds.err());
    }

    /** RFC 4180 rows (quoted cells may hold commas). */
    static List<String[]> csv(Path out) throws Exception {
        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(out.resolve("results.csv"))) {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean q = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (q) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { cell.append('"'); i++; }
                    else if (c == '"') q = false;
                    else cell.append(c);
                } else if (c == '"') q = true;
                else if (c == ',') { cells.add(cell.toString()); cell.setLength(0); }
                else cell.append(c);
            }
            cells.add(cell.toString());
            rows.add(cells.toArray(new String[0]));
        }
        return rows;
    }
}
