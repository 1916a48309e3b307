package smpemu.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.RunResult;
import smpemu.node.model.CpuStats;
import smpemu.node.model.ModelContext;
import smpemu.node.model.ZeroCost;

/** CPU hotplug through the coordinator (docs/kernel-model.md#hotplug), on timelines worked out by hand. */
class HotplugTest {
    private static final long US = 1_000;

    private static SimSettings machine(int cpus, String kernel, String tasks, String schedule) {
        return ZeroCost.settings("smpemu { duration = 20ms, measurement.window = 20ms, topology.cpus = " + cpus + ","
            + " kernel { " + kernel + " }, workload.tasks = [" + tasks + "], hotplug.schedule = [" + schedule + "] }");
    }

    @Test
    void aPinnedCpuDelaysStopMachine() {
        // Take CPU 2 down at 1 ms (requests arrive at 1.001 ms). CPU 1 is in a 500 us raw
        // spinlock section from 800 us: its stopper starts at 1.3 ms, so stop_machine ends at
        // 1.302 ms: the report reaches CPU 0 at 1.301 ms, the go CPU 2 at 1.302 ms; 301 us after its request.
        String pinned = "{ name = pinned, affinity = [1], program = [{op = compute, duration = 800us},"
            + " {op = preempt-off, raw = true, duration = 500us}, {op = compute, duration = 100ms}] }";
        String busy2 = "{ name = victim, affinity = \"1-2\", program = [{op = compute, duration = 100ms}] }";
        RunResult r = Runs.sequential(machine(3, "variant = baseline", pinned + "," + busy2,
            "{at = 1ms, cpu = 2, action = offline}"));
        assertEquals(1, r.hotplug().offlineSuccesses());
        assertEquals(301 * US, r.hotplug().stopMachineMaxNs(), "from the request at CPU 2 to the go");
        RunResult idle = Runs.sequential(machine(3, "variant = baseline", busy2, "{at = 1ms, cpu = 2, action = offline}"));
        assertEquals(2 * US, idle.hotplug().stopMachineMaxNs(), "nobody pinned: one report, one go");
    }

    @Test
    void tasksLeaveTheDyingCpuAndItComesBack() {
        String loop = "program = [{op = loop, body = [{op = compute, duration = 300us}, {op = sleep, duration = 200us}]}]";
        SimSettings s = machine(4, "variant = patched", "{ name = w, count = 8, per-cpu = false, " + loop + " }",
            "{at = 2ms, cpu = 3, action = offline}, {at = 10ms, cpu = 3, action = online}");
        List<CpuStats> cpus = new SequentialEngine().run(new ModelContext(s)).cpus();
        RunResult r = Runs.sequential(s);
        assertEquals(1, r.hotplug().offlineSuccesses());
        assertEquals(1, r.hotplug().onlineSuccesses());
        assertTrue(cpus.get(3).migrationsOut >= 2, "its tasks were moved off");
        assertEquals(r.digest(), Runs.actors(s, 2).digest(), "hotplug is deterministic across engines");
        assertEquals(0, r.hotplug().csdArrayFrees(), "patch 5: the CSD array is never freed");
        assertEquals(0, r.hotplug().csdArrayAllocs());
        SimSettings base = machine(4, "variant = baseline", "{ name = w, count = 8, per-cpu = false, " + loop + " }",
            "{at = 2ms, cpu = 3, action = offline}, {at = 10ms, cpu = 3, action = online}");
        RunResult b = Runs.sequential(base);
        assertEquals(1, b.hotplug().csdArrayFrees(), "baseline: smpcfd_dead_cpu frees it");
        assertEquals(1, b.hotplug().csdArrayAllocs(), "and smpcfd_prepare_cpu allocates it again");
    }

    @ParameterizedTest(name = "{0}: violations {1}")
    @CsvSource({"patched, 0", "unsafe-u5, 1"})
    void aMigratedWaiterWhoseCpuDiesCompletes(String kernel, int violations) {
        // W on CPU 1 waits for CPU 3 (IRQs off to 5.1 ms); a FIFO task preempts W at 1 ms
        // (preemptible wait); CPU 1 goes down at 2 ms and W moves to CPU 2, still polling
        // CPU 1's cfd CSD. Patch 5 keeps the CSD array; without it (unsafe-u5) the unlock hits freed memory.
        String w = "{ name = w, affinity = \"1-2\", program = [{op = sleep, duration = 100us},"
            + " {op = smp-call, call = many, cpus = \"3\", func = 0ns}, {op = compute, duration = 100ms}] }";
        String rt = "{ name = rt, policy = fifo, priority = 99, affinity = [1], program = ["
            + "{op = sleep, duration = 1ms}, {op = compute, duration = 100ms}] }";
        String stall = "{ name = stall, affinity = [3], program = [{op = compute, duration = 100us},"
            + " {op = irq-off, duration = 5ms}, {op = compute, duration = 100ms}] }";
        SimSettings s = machine(4, "variant = " + kernel, w + "," + rt + "," + stall,
            "{at = 2ms, cpu = 1, action = offline}");
        List<CpuStats> cpus = new SequentialEngine().run(new ModelContext(s)).cpus();
        assertEquals(1, cpus.get(2).crossCallsDone, "W returned on CPU 2, once");
        assertEquals(1, cpus.stream().mapToLong(c -> c.crossCallsDone).sum());
        RunResult r = Runs.sequential(s);
        assertEquals(violations, r.violations().size(), r.violations().toString());
        if (violations > 0) assertEquals("csd-use-after-free", r.violations().get(0).kind());
    }

    @ParameterizedTest(name = "{0}: {2}")
    @CsvSource(delimiter = '|', value = {
        "unsafe-u10 | {op = munmap, pages = 2}                              | flush-decided-on-another-cpu",
        "unsafe-u3  | {op = smp-call, call = any, cpus = \"0\", func = 1us} | target-chosen-on-another-cpu",
        "patched    | {op = munmap, pages = 2}                              | -"})
    void aDecisionMadeUnpinnedCanBeActedOnElsewhere(String kernel, String op, String kind) {
        // F on CPU 1 decides (50 us, preemptible in the unsafe variants) from 100 us; a FIFO task
        // preempts it at 120 us; CPU 1 goes down at 500 us and F resumes on CPU 2.
        String f = "{ name = f, mm = p, affinity = \"1-2\", program = [{op = compute, duration = 100us}, " + op
            + ", {op = compute, duration = 100ms}] }";
        String peer = "{ name = peer, mm = p, affinity = [2], program = [{op = compute, duration = 100ms}] }";
        String rt = "{ name = rt, policy = fifo, priority = 99, affinity = [1], program = ["
            + "{op = sleep, duration = 120us}, {op = compute, duration = 1ms}, {op = block}] }";
        SimSettings s = ZeroCost.settings("smpemu { topology.cpus = 3,"
            + " kernel { hz = 1000, variant = " + kernel + ", costs { call-function-entry = 50us } },"
            + " workload.tasks = [" + f + "," + peer + "," + rt + "], hotplug.schedule = [{at = 500us, cpu = 1, action = offline}] }");
        RunResult r = Runs.sequential(s);
        if (kind.equals("-")) {
            assertEquals(0, r.violations().size(), r.violations().toString());
        } else {
            assertEquals(kind, r.violations().get(0).kind());
            assertEquals(2, r.violations().get(0).cpu());
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({"unsafe-u2, csd-lock-self-deadlock", "patched, -"})
    void aCsdLockedByAPreemptedTaskIsASelfDeadlock(String kernel, String kind) {
        // U2a: A takes this CPU's csd_data (single call, no wait) at 100 us and, preemptible,
        // is preempted at 120 us by a FIFO task whose own single call needs the same csd_data.
        String a = "{ name = a, affinity = [0], program = [{op = compute, duration = 100us},"
            + " {op = smp-call, call = single, cpus = \"1\", wait = false}, {op = compute, duration = 100ms}] }";
        String rt = "{ name = rt, policy = fifo, priority = 99, affinity = [0], program = ["
            + "{op = sleep, duration = 120us}, {op = smp-call, call = single, cpus = \"1\", wait = false}, {op = block}] }";
        String idle = "{ name = idle, affinity = [1], program = [{op = block}] }";
        SimSettings s = Runs.hocon("smpemu { duration = 2ms, measurement.window = 2ms, topology.cpus = 2,"
            + " kernel { hz = 1000, variant = " + kernel + ", costs { context-switch = 0ns, call-function-entry = 50us } },"
            + " workload.tasks = [" + a + "," + rt + "," + idle + "] }");
        RunResult r = Runs.sequential(s);
        if (kind.equals("-")) {
            assertEquals(0, r.violations().size(), r.violations().toString());
        } else {
            assertEquals(kind, r.violations().get(0).kind());
            assertEquals("rt", r.violations().get(0).task());
        }
    }

    @Test
    void aCsdSentToTheDyingCpuRunsAndReleasesItsWaiter() {
        // CPU 1's task calls CPU 2 (wait, pinned: baseline) just before CPU 2 is taken down. CPU
        // 2's stopper still takes the IPI (IRQs stay on until every stopper has arrived), so the
        // callback runs there, the waiter is released, and only then can CPU 1's stopper run.
        String sender = "{ name = s, affinity = [1], program = [{op = compute, duration = 999us},"
            + " {op = smp-call, call = single, cpus = \"2\", func = 5us}, {op = compute, duration = 100ms}] }";
        String victim = "{ name = v, affinity = \"1-2\", program = [{op = compute, duration = 100ms}] }";
        SimSettings s = machine(3, "variant = baseline", sender + "," + victim, "{at = 1ms, cpu = 2, action = offline}");
        List<CpuStats> cpus = new SequentialEngine().run(new ModelContext(s)).cpus();
        assertEquals(1, cpus.get(1).crossCallsDone, "the waiter was released");
        RunResult r = Runs.sequential(s);
        assertEquals(1, r.hotplug().offlineSuccesses());
        assertEquals(0, r.violations().size());
        assertTrue(r.hotplug().stopMachineMaxNs() > 5 * US, "CPU 1's stopper waited for the call");
    }
}
