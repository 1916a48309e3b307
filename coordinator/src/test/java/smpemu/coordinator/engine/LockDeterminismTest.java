package smpemu.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.RunResult;

/**
 * The named locks' handoffs are messages between CPUs that may be hosted by different actors and
 * NodeHosts, with latencies below the IPI latency (docs/kernel-model.md#qspinlock): every engine
 * and partition gives the same digest, and the lock spins really are in the result.
 */
class LockDeterminismTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "default                 | ",
        // rt: the futex lock becomes an rt_mutex (no section), the zone lock raw stays a spinlock.
        "rt with a raw zone lock | kernel.preemption = rt, workload.locks = [{name = futex-hash, home = 0}, {name = zone-lock, home = 4, raw = true}]",
        "patched, SMT siblings   | kernel.variant = patched, topology.threads-per-core = 2",
        // The zone lock's home goes down and comes back; CPU 3 (a kswapd's) too.
        "hotplug of a lock home  | hotplug.schedule = [{at = 50ms, cpu = 4, action = offline}, {at = 150ms, cpu = 4, action = online}, {at = 200ms, cpu = 3, action = offline}, {at = 250ms, cpu = 3, action = online}]",
        // SMIs freeze the futex lock's home now and then: its handoffs wait for the SMI's end.
        "SMIs on a lock home     | workload.irqs = [{name = fw, cpus = \"0\", interarrival = {dist = exponential, mean = 2ms}, handler = 100us, smi = true}]",
    })
    void everyEngineAndPartitionAgree(String name, String extra) {
        SimSettings s = Runs.scenario("locks", "smpemu { seed = 3, duration = 300ms, measurement.window = 100ms"
            + (extra == null ? "" : ", " + extra) + " }");
        RunResult seq = Runs.sequential(s);
        assertTrue(seq.longest().stream().anyMatch(x -> x.path().get(x.path().size() - 1).equals("queued_spin_lock_slowpath")),
            "some longest section spun queued behind a holder: " + seq.longest());
        RunResult one = Runs.actors(s, 1), three = Runs.actors(s, 3);
        assertEquals(seq.digest(), one.digest(), "actors (1 node) vs sequential");
        assertEquals(seq.digest(), three.digest(), "actors (3 NodeHosts) vs sequential");
        // The per-lock figures are outside the digest: compared on their own.
        assertEquals(seq.locks(), one.locks(), "lock figures, actors (1 node) vs sequential");
        assertEquals(seq.locks(), three.locks(), "lock figures, actors (3 NodeHosts) vs sequential");
        for (RunResult.LockStats l : seq.locks()) {
            assertTrue(l.acquisitions() > 0 && l.contended() > 0 && l.contended() <= l.acquisitions(), l.toString());
            assertTrue(l.spinMaxNs() > 0 && l.holdMaxNs() >= l.holdTotalNs() / l.acquisitions(), l.toString());
        }
    }
}
