package smpemu.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.RunResult;

/** Same config + seed => the same digest, whichever engine and however many NodeHosts run it. */
class DeterminismTest {

    @ParameterizedTest(name = "{0} seed {1}")
    @CsvSource({"smoke, 1, 2s", "smoke, 2, 2s", "smoke, 3, 2s", "rt-16, 1, 3s", "rt-16, 2, 3s", "rt-16, 3, 3s",
        "dpdk-16, 1, 3s", "dpdk-16, 2, 3s"})
    void sequentialAndActorsAgree(String scenario, long seed, String duration) {
        SimSettings s = Runs.scenario(scenario, "smpemu { seed = " + seed + ", duration = " + duration
            + ", measurement.window = 100ms }");
        RunResult seq = Runs.sequential(s);
        RunResult act = Runs.actors(s, 1);
        RunResult split = Runs.actors(s, 3);
        assertTrue(seq.counters().contextSwitches() > 100, "the scenario must actually schedule");
        assertEquals(seq.digest(), act.digest(), "actors (1 node) vs sequential");
        assertEquals(seq.digest(), split.digest(), "actors (3 NodeHosts) vs sequential");
        assertEquals(seq.digest(), Runs.sequential(s).digest(), "sequential twice");
        SimSettings other = Runs.scenario(scenario, "smpemu { seed = " + (seed + 100) + ", duration = "
            + duration + ", measurement.window = 100ms }");
        assertNotEquals(seq.digest(), Runs.sequential(other).digest(), "another seed, another digest");
    }

    /**
     * Blame chains are joined from per-CPU records after the run, so every engine gives the same
     * ones (they are outside the digest, which therefore cannot vouch for them).
     */
    @org.junit.jupiter.api.Test
    void blameChainsAgree() {
        // stalls with native flushes: csd_lock_wait behind host-preempted vCPUs and hard-IRQ handlers.
        SimSettings s = Runs.scenario("stalls", "smpemu { seed = 1, duration = 2s, measurement.window = 100ms,"
            + " kernel.variant = baseline, kernel.smp.pv-tlb-flush = false }");
        RunResult seq = Runs.sequential(s);
        assertTrue(seq.longest().stream().anyMatch(x -> !x.blame().isEmpty()), "a section with a chain to compare");
        assertEquals(seq.longest(), Runs.actors(s, 1).longest(), "actors (1 node) vs sequential");
        assertEquals(seq.longest(), Runs.actors(s, 3).longest(), "actors (3 NodeHosts) vs sequential");
    }

    /**
     * rt-16 with SMIs on every CPU (their frozen stretches delay completions, CSDs and IPIs, and
     * must keep every engine's lookahead a lower bound): the same digest on every engine.
     */
    @org.junit.jupiter.api.Test
    void smisAgree() {
        String irqs = "workload.irqs = [{name = nic, cpus = \"0-3\", interarrival = {dist = exponential, mean = 100us},"
            + " handler = {dist = uniform, min = 2us, max = 6us}},"
            + " {name = disk, cpus = \"8-11\", interarrival = {dist = exponential, mean = 1ms}, handler = 5us,"
            + " wakes = \"kblockd-{cpu}\"}%s]";
        String smi = ", {name = fw, cpus = \"0-15\", interarrival = {dist = exponential, mean = 2ms},"
            + " handler = {dist = uniform, min = 20us, max = 300us}, smi = true}";
        String base = "smpemu { seed = 1, duration = 2s, measurement.window = 100ms, ";
        SimSettings s = Runs.scenario("rt-16", base + String.format(irqs, smi) + " }");
        RunResult seq = Runs.sequential(s);
        assertEquals(seq.digest(), Runs.actors(s, 1).digest(), "actors (1 node) vs sequential");
        assertEquals(seq.digest(), Runs.actors(s, 3).digest(), "actors (3 NodeHosts) vs sequential");
        assertNotEquals(Runs.sequential(Runs.scenario("rt-16", base + String.format(irqs, "") + " }")).digest(),
            seq.digest(), "the SMIs change the run");
    }

    /** Two sockets, cross-calls of every kind and shootdowns across them, both kernels. */
    @ParameterizedTest(name = "64 CPUs, 2 sockets, {0}")
    @CsvSource({"baseline", "patched"})
    void twoSocketCrossCallsAgree(String kernel) {
        String loop = "{op = loop, body = [{op = compute, duration = {dist = exponential, mean = 300us}}, %s,"
            + " {op = irq-off, duration = {dist = lognormal, median = 20us, sigma = 1.0, cap = 2ms}},"
            + " {op = sleep, duration = {dist = exponential, mean = 500us}}]}";
        String tasks = String.join(",",
            "{ name = a, count = 64, per-cpu = true, mm = app, program = [" + String.format(loop,
                "{op = smp-call, call = single, func = 2us}") + "] }",
            "{ name = b, count = 16, mm = app, program = [" + String.format(loop,
                "{op = munmap, pages = 4}") + "] }",
            "{ name = c, count = 8, program = [" + String.format(loop,
                "{op = smp-call, call = many, cpus = \"28-40\", wait = false}") + "] }",
            "{ name = d, count = 4, program = [" + String.format(loop, "{op = exit-mmap}") + "] }",
            "{ name = e, count = 2, mm = kernel, program = [" + String.format(loop, "{op = reclaim}") + "] }",
            "{ name = f, count = 2, program = [" + String.format(loop,
                "{op = smp-call, call = on-each-cpu-cond, cpus = \"0-7,40-47\"}") + "] }",
            "{ name = g, count = 2, program = [" + String.format(loop, "{op = smp-call, call = any, cpus = \"33-35\"}") + "] }",
            "{ name = rt, policy = fifo, priority = 90, count = 4, per-cpu = true, affinity = \"0,20,40,60\","
                + " program = [{op = periodic, period = 250us, work = 30us}] }");
        SimSettings s = Runs.hocon("smpemu { seed = 7, duration = 300ms, measurement.window = 100ms,"
            + " topology { cpus = 64, sockets = 2, threads-per-core = 2 }, kernel.variant = " + kernel + ","
            + " workload.tasks = [" + tasks + "] }");
        RunResult seq = Runs.sequential(s);
        assertTrue(seq.summary().shootdowns() > 100 && seq.summary().crossCalls() > 1000);
        assertEquals(seq.digest(), Runs.actors(s, 1).digest(), "actors vs sequential");
        assertEquals(seq.digest(), Runs.actors(s, 3).digest(), "3 NodeHosts vs sequential");
    }
}
