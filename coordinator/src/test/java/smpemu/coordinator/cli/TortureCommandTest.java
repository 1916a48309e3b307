package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * `smpemu torture`: the safe kernels pass scftorture's invariants under load; each unsafe
 * variant (docs/kernel-model.md#unsafe-variants) is caught by its checker, deterministically. No CPU hotplug yet.
 */
class TortureCommandTest {
    /** Waiting many/all calls: the primitives whose waits the unsafe variants break. */
    private static final String WAITS = "scftorture.weight_many_wait=1 scftorture.weight_all_wait=1";

    @TempDir
    Path dir;

    private JsonNode torture(String kernel, String bootargs, String... extra) throws Exception {
        return tortureOn("sequential", kernel, bootargs, extra);
    }

    private JsonNode tortureOn(String engine, String kernel, String bootargs, String... extra) throws Exception {
        Path json = dir.resolve(kernel + "-" + engine + ".json");
        String[] base = {"torture", "--engine", engine, "--kernel", kernel, "--bootargs", bootargs,
            "--json", json.toString()};
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(base), java.util.Arrays.stream(extra))
            .toArray(String[]::new);
        Cli.Outcome o = Cli.exec(args);
        JsonNode r = new ObjectMapper().readTree(Files.readString(json));
        boolean failed = r.get("violations").size() > 0;
        assertEquals(failed ? 1 : 0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains(failed ? "End of test: FAILURE" : "End of test: SUCCESS"), o.out());
        return r;
    }

    private static long invocations(JsonNode r) {
        long n = 0;
        for (JsonNode v : r.get("scftorture").get("invoked")) n += v.asLong();
        return n;
    }

    @ParameterizedTest(name = "{0} passes")
    @CsvSource({"baseline", "patched"})
    void safeKernelsPass(String kernel) throws Exception {
        // A CPU goes down or comes back every 7 simulated ms (docs/kernel-model.md#scftorture-parameters: onoff_interval),
        // out of step with the invokers' stutter (5 jiffies on, 5 off).
        JsonNode r = torture(kernel, WAITS + " scftorture.weight_single=2 scftorture.weight_single_wait=2"
            + " scftorture.weight_many=1 scftorture.weight_all=1 scftorture.onoff_interval=7", "--duration", "700ms");
        assertEquals(0, r.get("violations").size());
        assertTrue(invocations(r) >= 100_000, "invocations: " + invocations(r));
        JsonNode h = r.get("hotplug");
        assertEquals(50, h.get("offline_attempts").asLong());
        assertEquals(h.get("offline_attempts"), h.get("offline_successes"));
        assertEquals(h.get("online_attempts"), h.get("online_successes"));
        assertTrue(h.get("single_offline").asLong() > 0, "single calls to an offline CPU return -ENXIO");
        // Every primitive, RPCs and reschedule IPIs included (the kernel's default weights), with
        // hotplug, on the actor engine too.
        JsonNode all = torture(kernel, "scftorture.nthreads=-1 scftorture.onoff_interval=7", "--duration", "200ms",
            "--set", "scftorture.stat-interval=50ms");
        JsonNode actors = tortureOn("actors", kernel, "scftorture.nthreads=-1 scftorture.onoff_interval=7",
            "--duration", "200ms", "--set", "scftorture.stat-interval=50ms");
        assertEquals(all.get("digest"), actors.get("digest"));
        assertEquals(3, all.get("scftorture").get("stats").size(), "a statistics line at 50, 100 and 150 ms");
        assertEquals(0, all.get("violations").size());
        for (JsonNode n : all.get("scftorture").get("invoked")) assertTrue(n.asLong() > 0, all.get("scftorture").toString());
    }

    /**
     * U2, U3 and U10 open a window of a few hundred ns between decision and dispatch; a slower
     * decision (20 us) and a CPU going down every 3 ms make torture hit it within the run.
     */
    @ParameterizedTest(name = "{0} is caught: {2}")
    @CsvSource(delimiter = '|', value = {
        "unsafe-u1  | --set=kernel.smp.csdlock-debug=true          | preemptible-csd-debug-wait   | ",
        "unsafe-u2  | --set=kernel.costs.call-function-entry=20us | csd-lock-self-deadlock       | scftorture.onoff_interval=3 scftorture.weight_single=1",
        "unsafe-u3  | --set=kernel.costs.call-function-entry=20us | target-chosen-on-another-cpu | scftorture.onoff_interval=3 scftorture.weight_single=1",
        "unsafe-u4  | --set=checkers.enabled=true                 | returned-with-csd-locked     | ",
        "unsafe-u5  | --set=scftorture.onoff_interval=5           | csd-use-after-free           | ",
        "unsafe-u6  | --set=checkers.enabled=true                 | csd-lock-self-deadlock       | ",
        "unsafe-u7  | --set=checkers.enabled=true                 | csd-lock-self-deadlock       | ",
        "unsafe-u8  | --set=checkers.enabled=true                 | flush-tlb-info-overwritten   | ",
        "unsafe-u9  | --set=kernel.smp.pv-tlb-flush=true          | pv-cpu-mask-overwritten      | ",
        "unsafe-u10 | --set=kernel.costs.call-function-entry=20us | flush-decided-on-another-cpu/push-after-dying-drain | scftorture.onoff_interval=3 scftorture.weight_single=1",
        "unsafe-u11 | --set=checkers.enabled=true                 | stale-tlb                    | ",
    })
    void unsafeVariantsAreCaught(String kernel, String set, String kind, String extra) throws Exception {
        String args = WAITS + " scftorture.stutter=0" + (extra == null ? "" : " " + extra);
        JsonNode r = torture(kernel, args, set.trim(), "--duration", "300ms");
        JsonNode first = r.get("violations").get(0);
        java.util.List<String> kinds = new java.util.ArrayList<>();
        r.get("violations").forEach(v -> kinds.add(v.get("kind").asText()));
        // An earlier symptom may come first; "a/b": either is this variant's (U10's stale mask can
        // also reach a CPU that died meanwhile).
        assertTrue(java.util.Arrays.stream(kind.split("/")).anyMatch(kinds::contains), kind + " not among " + kinds);
        assertTrue(first.get("path").size() > 0);
        // The same seed gives the same first violation, on the actor engine too.
        JsonNode again = tortureOn("actors", kernel, args, set.trim(), "--duration", "300ms");
        assertEquals(first, again.get("violations").get(0));
        assertEquals(r.get("digest"), again.get("digest"));
    }

    @Test
    void parametersUnderTheirKernelNames() {
        Cli.Outcome bad = Cli.exec("torture", "--engine", "sequential", "--bootargs", "scftorture.weight_singel=4");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("scftorture.weight-singel"), bad.err());
        Cli.Outcome set = Cli.exec("torture", "--engine", "sequential", "--duration", "20ms",
            "--set", "scftorture.weight_single=4", "--set", "scftorture.nthreads=2");
        assertEquals(0, set.code(), set.err());
        assertTrue(set.out().contains("nthreads=2"), set.out());
        assertTrue(set.out().contains("weight_single=4 weight_single_rpc=0"), set.out());
    }

    @Test
    void aRunWhoseCheckerFiresExitsOne() {
        Cli.Outcome o = Cli.exec("run", "--scenario", "torture", "--engine", "sequential", "--kernel", "unsafe-u8",
            "--duration", "100ms", "--set", "measurement.window=100ms", "-q");
        assertEquals(1, o.code(), o.err());
    }

    @Test
    void cpusReadLockReadersHoldBackHotplug() throws Exception {
        // use_cpus_read_lock: invocations take the hotplug read lock, preemptible, instead of
        // preempt_disable; a CPU's stopper waits for its readers (sleeping RPC callers included).
        String args = "scftorture.onoff_interval=7 scftorture.use_cpus_read_lock=1";
        JsonNode seq = torture("patched", args, "--duration", "200ms");
        JsonNode act = tortureOn("actors", "patched", args, "--duration", "200ms");
        assertEquals(seq.get("digest"), act.get("digest"));
        JsonNode h = seq.get("hotplug");
        assertEquals(h.get("offline_attempts"), h.get("offline_successes"));
        assertTrue(h.get("offline_successes").asLong() > 10);
    }
}
