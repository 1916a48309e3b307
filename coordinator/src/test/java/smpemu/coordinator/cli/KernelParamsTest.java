package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import smpemu.config.ConfigException;

/** scftorture's module parameters and the modelled boot words, with the kernel's names and units. */
class KernelParamsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Cli.Outcome torture(String bootargs, String... extra) {
        String[] base = {"torture", "--engine", "sequential", "--bootargs", bootargs, "--json", "-", "--json-config"};
        return Cli.exec(Stream.concat(Arrays.stream(base), Arrays.stream(extra)).toArray(String[]::new));
    }

    private static JsonNode json(Cli.Outcome o) throws IOException {
        assertEquals(0, o.code(), o.err());
        return JSON.readTree(o.out());
    }

    private static JsonNode scf(JsonNode r) { return r.get("config").get("smpemu").get("scftorture"); }

    /** kernel/scftorture.c's torture_param list, every one accepted under its own name. */
    @Test
    void everyModuleParameterIsAccepted() throws IOException {
        String line = "scftorture.holdoff=0 scftorture.longwait=0 scftorture.nthreads=4 scftorture.onoff_holdoff=0"
            + " scftorture.onoff_interval=0 scftorture.shutdown_secs=0 scftorture.stat_interval=60 scftorture.stutter=5"
            + " scftorture.use_cpus_read_lock=0 scftorture.verbose=1 scftorture.weight_resched=-1"
            + " scftorture.weight_single=-1 scftorture.weight_single_rpc=-1 scftorture.weight_single_wait=-1"
            + " scftorture.weight_many=-1 scftorture.weight_many_wait=-1 scftorture.weight_all=-1"
            + " scftorture.weight_all_wait=-1 scftorture.shutdown=1";
        JsonNode r = json(torture(line, "--duration", "50ms"));
        assertEquals(4, scf(r).get("nthreads").asInt());
        assertEquals(1, scf(r).get("verbose").asInt());
        assertTrue(scf(r).get("shutdown").asBoolean());
    }

    @Test
    void theKernelsUnits() throws IOException {
        // Patched: on baseline, use_cpus_read_lock leaves scftorture's smp_call_function_many()
        // unpinned (as unsafe-u7 does), and the checkers may rightly fail the run.
        JsonNode r = json(torture("scftorture.onoff_holdoff=2 scftorture.holdoff=1 scftorture.stat_interval=15"
            + " scftorture.shutdown_secs=3 scftorture.use_cpus_read_lock=y", "--set", "kernel.hz=250", "--kernel", "patched"));
        assertEquals("2s", scf(r).get("onoff-holdoff").asText());
        assertEquals("1s", scf(r).get("holdoff").asText());
        assertEquals("15s", scf(r).get("stat-interval").asText());
        assertTrue(scf(r).get("use-cpus-read-lock").asBoolean());
        assertEquals(3_000_000_000L, r.get("sim_duration_ns").asLong(), "shutdown_secs is the run's length");
    }

    /** onoff_interval is in jiffies: 7 at HZ=250 is 28 ms, the same hotplug schedule as 28ms given as a duration. */
    @Test
    void onoffIntervalIsInJiffiesOfTheRunsHz() throws IOException {
        JsonNode jiffies = json(torture("scftorture.onoff_interval=7", "--set", "kernel.hz=250", "--duration", "300ms"));
        JsonNode millis = json(torture("scftorture.stutter=5", "--set", "kernel.hz=250", "--duration", "300ms",
            "--set", "scftorture.onoff-interval=28ms"));
        assertEquals("28000000ns", scf(jiffies).get("onoff-interval").asText());
        assertEquals(millis.get("hotplug").get("offline_attempts"), jiffies.get("hotplug").get("offline_attempts"));
        assertEquals(millis.get("digest"), jiffies.get("digest"));
        assertTrue(jiffies.get("hotplug").get("offline_attempts").asLong() >= 4, jiffies.get("hotplug").toString());
    }

    /** holdoff: no invocation before it, invocations after it. */
    @Test
    void holdoffDelaysTheInvokers() throws IOException {
        JsonNode r = json(torture("scftorture.holdoff=1 scftorture.shutdown_secs=2", "--set", "scftorture.stat-interval=250ms"));
        JsonNode stats = r.get("scftorture").get("stats");
        assertEquals(7, stats.size(), "a statistics line every 250 ms up to 1.75 s");
        for (int i = 0; i < stats.size(); i++) {
            long n = 0;
            for (String prim : List.of("resched", "single", "single_rpc", "single_wait", "many", "many_wait", "all", "all_wait")) {
                n += stats.get(i).get(prim).asLong();
            }
            // rows 0-3 are at 250, 500, 750 and 1000 ms: up to the end of the 1 s holdoff
            assertTrue(i < 4 ? n == 0 : n > 0, "row " + i + ": " + n + " invocations");
        }
        JsonNode none = json(torture("scftorture.holdoff=0", "--duration", "200ms"));
        JsonNode plain = json(torture("scftorture.stutter=5", "--duration", "200ms"));
        assertEquals(plain.get("digest"), none.get("digest"), "holdoff=0 is the run there always was");
    }

    @Test
    void verbosePrintsTheStartOfTheInvokers() {
        Cli.Outcome o = Cli.exec("torture", "--engine", "sequential", "--duration", "20ms", "--bootargs", "scftorture.verbose=1");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("scftorture: Starting 8 smp_call_function() threads"), o.out());
        assertTrue(o.out().contains("scf_sel_dump:   2.857 smp_call_function_many(wait)"), o.out());
        Cli.Outcome quiet = Cli.exec("torture", "--engine", "sequential", "--duration", "20ms");
        assertTrue(!quiet.out().contains("Starting 8"), quiet.out());
    }

    @Test
    void bootWordsSmpemuModelsAreHonoured() throws IOException {
        JsonNode r = json(torture("preempt=voluntary csdlock_debug=1 smp.csd_lock_timeout=200", "--duration", "50ms"));
        assertEquals("voluntary", r.get("preemption").asText());
        Cli.Outcome text = Cli.exec("torture", "--engine", "sequential", "--duration", "50ms", "--bootargs", "preempt=voluntary");
        assertTrue(text.out().contains("kernel baseline (preempt voluntary, HZ 1000, tracer preemptoff, series v6)"), text.out());
        JsonNode smp = r.get("config").get("smpemu").get("kernel").get("smp");
        assertTrue(smp.get("csdlock-debug").asBoolean());
        assertEquals("200ms", smp.get("csd-lock-timeout").asText());
    }

    @Test
    void otherWordsAreListedOnOneLineAndIgnored() throws IOException {
        Cli.Outcome o = torture("console=ttyS0 scftorture.nthreads=2 rcutorture.onoff_interval=3 threadirqs tsc=watchdog",
            "--duration", "50ms");
        JsonNode r = json(o);
        assertEquals(2, scf(r).get("nthreads").asInt());
        assertEquals(List.of("smpemu: --bootargs: ignored, not modelled: console=ttyS0 rcutorture.onoff_interval=3"
            + " threadirqs tsc=watchdog"), o.err().lines().toList());
    }

    @Test
    void badValuesOfModelledWordsAreErrors() {
        for (String[] c : new String[][] {
            {"preempt=lazy", "smpemu: --bootargs preempt=lazy: smpemu models preempt=none, voluntary and full"},
            {"csdlock_debug=ext", "smpemu: --bootargs csdlock_debug=ext: expects csdlock_debug=0 or 1"},
            {"scftorture.verbose", "smpemu: --bootargs scftorture.verbose: expects scftorture.PARAM=VALUE"},
            {"scftorture.weight_singel=4", "smpemu: smpemu.scftorture.weight-singel"}}) {
            Cli.Outcome o = Cli.exec("torture", "--bootargs", c[0]);
            assertEquals(2, o.code(), o.err());
            assertTrue(o.err().startsWith(c[1]), o.err());
        }
    }

    @Test
    void shutdownSecsZeroKeepsTheDuration() {
        assertNull(KernelParams.scftorture("scftorture.shutdown_secs", "0", 1000));
        assertEquals(new KernelParams.Setting("duration", "5s"), KernelParams.scftorture("scftorture.shutdown_secs", "5", 1000));
        assertEquals(new KernelParams.Setting("scftorture.onoff-interval", "3333333ns"),
            KernelParams.scftorture("scftorture.onoff_interval", "1", 300));
        assertEquals(new KernelParams.Setting("scftorture.stat-interval", "50ms"),
            KernelParams.scftorture("scftorture.stat_interval", "50ms", 1000), "a HOCON duration passes as it is");
        try {
            KernelParams.bootWord("preempt=");
            throw new AssertionError("preempt= without a model");
        } catch (ConfigException expected) {
            assertTrue(expected.getMessage().startsWith("--bootargs preempt=: "), expected.getMessage());
        }
    }
}
