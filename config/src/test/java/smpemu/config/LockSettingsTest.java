package smpemu.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** workload.locks, the named-lock ops and topology.latency.cache-line-*: what is read, and each bad input's error line. */
class LockSettingsTest {

    private static String config(String locks, String op) {
        return "smpemu { topology { cpus = 8, sockets = 2, threads-per-core = 2 }, workload { locks = " + locks
            + ", tasks = [{name = t, program = [" + op + "]}] } }";
    }

    private static SimSettings load(String hocon) {
        return SettingsLoader.fromUserLayer(ConfigFactory.parseString(hocon));
    }

    private static List<String> errorsOf(String hocon) {
        return assertThrows(ConfigException.class, () -> load(hocon)).errors();
    }

    private static void assertError(List<String> errors, String path, String text) {
        assertTrue(errors.stream().anyMatch(l -> (l.startsWith(path + ": ") || l.startsWith("smpemu." + path + ": ")) && l.contains(text)),
            () -> "no error for " + path + " with " + text + " in:\n" + String.join("\n", errors));
    }

    @Test
    void locksAndTheirOpsAreRead() {
        SimSettings s = load(config("[{name = futex-hash, home = 4}, {name = zone, raw = true}]",
            "{op = spin-lock, lock = futex-hash, duration = 2us}, {op = spin-lock-irqsave, lock = zone, duration = 3us}"));
        assertEquals(List.of(new LockSpec("futex-hash", 4, false), new LockSpec("zone", 0, true)), s.locks().locks());
        List<Op> program = s.tasks().get(0).program();
        assertEquals(new Op.SpinLock("futex-hash", new Dist.Constant(2_000), List.of("_raw_spin_lock"), false), program.get(0));
        assertEquals(new Op.SpinLock("zone", new Dist.Constant(3_000), List.of("_raw_spin_lock_irqsave"), true), program.get(1));
    }

    @Test
    void aSpinLockIrqsaveWithoutALockIsStillTheUnnamedSection() {
        SimSettings s = load(config("[]", "{op = spin-lock-irqsave, duration = 2us, raw = true}"));
        assertEquals(new Op.SpinLockIrqsave(new Dist.Constant(2_000), List.of("_raw_spin_lock_irqsave"), true),
            s.tasks().get(0).program().get(0));
    }

    @Test
    void transfersGoByTheClassOfTheCpuPair() {
        // 8 CPUs, 2 sockets, 2 threads per core: CPUs 0 and 1 are siblings, 0 and 2 share a socket, 0 and 4 do not.
        SimSettings s = load(config("[{name = l}]", "{op = spin-lock, lock = l, duration = 1us}")
            + "\nsmpemu.topology.latency { cache-line-smt = 11ns, cache-line-same-socket = 22ns, cache-line-cross-socket = 33ns }");
        LockSettings l = s.locks();
        assertEquals(0, l.transferNs(s.topology(), 0, 0));
        assertEquals(11, l.transferNs(s.topology(), 0, 1));
        assertEquals(22, l.transferNs(s.topology(), 0, 2));
        assertEquals(33, l.transferNs(s.topology(), 4, 0));
        java.util.BitSet used = new java.util.BitSet();
        assertEquals(Long.MAX_VALUE, l.minTransferNs(s.topology(), used), "no lock in use: no lock message");
        used.set(0);
        assertEquals(11, l.minTransferNs(s.topology(), used));
    }

    @Test
    void anOpNamingAnUnknownLockListsTheDeclaredOnes() {
        List<String> errors = errorsOf(config("[{name = futex-hash}, {name = zone}]", "{op = spin-lock, lock = futex-hsh, duration = 1us}"));
        assertEquals(List.of("workload.tasks[0].program[0].lock: \"futex-hsh\" is not a lock of workload.locks"
            + " (allowed: futex-hash, zone; did you mean \"futex-hash\"?)"), errors);
    }

    @Test
    void anOpNamingALockWhenNoneIsDeclared() {
        assertError(errorsOf(config("[]", "{op = spin-lock-irqsave, lock = l, duration = 1us}")),
            "workload.tasks[0].program[0].lock", "\"l\" is not a lock of workload.locks (allowed: none are declared)");
    }

    @Test
    void duplicateLockNames() {
        assertEquals(List.of("workload.locks[1].name: \"l\" is already the name of another lock"),
            errorsOf(config("[{name = l}, {name = l, home = 1}]", "{op = compute, duration = 1us}")));
    }

    @Test
    void aDuplicateAndAnUnknownLockAreBothReported() {
        List<String> errors = errorsOf(config("[{name = a}, {name = a}]", "{op = spin-lock, lock = b, duration = 1us}"));
        assertError(errors, "workload.locks[1].name", "\"a\" is already the name of another lock");
        assertError(errors, "workload.tasks[0].program[0].lock", "\"b\" is not a lock of workload.locks (allowed: a");
    }

    @Test
    void badLockValues() {
        List<String> errors = errorsOf(config("[{name = \"a b\", home = 8, raw = maybe}]", "{op = compute, duration = 1us}"));
        assertError(errors, "workload.locks[0].name", "\"a b\"");
        assertError(errors, "workload.locks[0].home", "8 is out of range 0..7");
        assertError(errors, "workload.locks[0].raw", "maybe");
    }

    @Test
    void unknownLockKey() {
        assertEquals(List.of("smpemu.workload.locks[0].hom: unknown key (did you mean home?)"),
            errorsOf(config("[{name = l, hom = 1}]", "{op = compute, duration = 1us}")));
    }

    @Test
    void rawBelongsToTheLockNotToTheOp() {
        assertError(errorsOf(config("[{name = l}]", "{op = spin-lock-irqsave, lock = l, raw = true, duration = 1us}")),
            "workload.tasks[0].program[0].raw", "true is not allowed with lock (a named lock's raw is set in workload.locks)");
    }

    @Test
    void aSpinLockNeedsALockAndADuration() {
        List<String> errors = errorsOf(config("[{name = l}]", "{op = spin-lock}"));
        assertError(errors, "workload.tasks[0].program[0].lock", "missing (required)");
        assertError(errors, "workload.tasks[0].program[0].duration", "missing");
    }

    @Test
    void badCacheLineLatency() {
        assertError(errorsOf("smpemu.topology.latency.cache-line-same-socket = 0ns"),
            "topology.latency.cache-line-same-socket", "\"0ns\" must be > 0");
        assertError(errorsOf("smpemu.topology.latency.cache-line-smt = 5"),
            "topology.latency.cache-line-smt", "5 is not a duration");
    }
}
