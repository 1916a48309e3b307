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

    /** A swept scftorture parameter under its kernel name takes the kernel's unit, as --set does: jiffies of the point's HZ. */
    @Test
    void aKernelNamedParameterIsInTheKernelsUnit() throws Exception {
        Path out = tmp.resolve("jiffies");
        Cli.Outcome o = exec("sweep", "--scenario", "torture", "--duration", "30ms", "--set", "kernel.hz=250",
            "--set", "measurement.window=10ms", "--param", "scftorture.onoff_interval=7", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        Cli.Outcome run = exec("run", "-c", out.resolve("points/0001.conf").toString(), "--json", "-", "--json-config");
        assertEquals(0, run.code(), run.err());
        assertEquals("28000000ns", JSON.readTree(run.out()).at("/config/smpemu/scftorture/onoff-interval").asText(),
            "7 jiffies at HZ=250");
    }

    @Test
    @org.junit.jupiter.api.Timeout(value = 240, unit = java.util.concurrent.TimeUnit.SECONDS)
    void aSweepKilledHalfwayIsCompletedByResume() throws Exception {
        Path out = tmp.resolve("killed");
        List<String> args = List.of("sweep", "--scenario", "dpdk-16", "--duration", "3s", "--set", "measurement.window=1s", "--seeds", "1-8", "--jobs", "1",
            "--progress", "never", "--out", out.toString());
        // The sweep in a JVM of its own, killed (SIGKILL) once three points are stored.
        List<String> cmd = new ArrayList<>(smpemu.coordinator.cluster.LocalWorkers.command("127.0.0.1:1", 1));
        cmd.subList(cmd.indexOf("smpemu.coordinator.cli.Main") + 1, cmd.size()).clear();
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("killed.log").toFile()).start();
        try {
            long end = System.currentTimeMillis() + 150_000;
            while (results(out) < 3 && p.isAlive() && System.currentTimeMillis() < end) Thread.sleep(20);
            p.destroyForcibly().waitFor();
        } finally {
            p.destroyForcibly();
        }
        int kept = results(out);
        assertTrue(kept >= 3 && kept < 8, kept + " points stored when killed: " + Files.readString(tmp.resolve("killed.log")));
        Cli.Outcome resumed = exec(concat(args, "--resume"));
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("ran " + (8 - kept) + ", kept " + kept + " from an earlier run"), resumed.err());
        List<String[]> rows = csv(out);
        assertEquals(9, rows.size());
        int seed = List.of(rows.get(0)).indexOf("seed"), digest = List.of(rows.get(0)).indexOf("digest");
        Cli.Outcome one = exec("run", "--scenario", "dpdk-16", "--duration", "3s", "--set", "measurement.window=1s", "--seed", rows.get(8)[seed], "--json", "-");
        assertEquals(JSON.readTree(one.out()).get("digest").asText(), rows.get(8)[digest]);
    }

    private static int results(Path out) throws java.io.IOException {
        if (!Files.isDirectory(out.resolve("points"))) return 0;
        try (var s = Files.list(out.resolve("points"))) {
            return (int) s.filter(f -> f.getFileName().toString().matches("\\d{4}\\.json")).count();
        }
    }

    private static String[] concat(List<String> a, String... b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(List.of(b));
        return all.toArray(new String[0]);
    }

    @Test
    void theAblationIsBaselineEachPatchAloneAllButOneAndPatched() throws Exception {
        Path out = tmp.resolve("ablation");
        Cli.Outcome o = exec("sweep", "--duration", "50ms", "--set", "measurement.window=10ms", "--ablation", "--out", out.toString());
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
        Cli.Outcome o = exec("sweep", "--scenario", "torture", "--duration", "100ms", "--set", "measurement.window=100ms", "--kernels", "patched,unsafe-u8",
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
