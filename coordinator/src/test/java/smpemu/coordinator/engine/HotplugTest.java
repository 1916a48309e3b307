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

/** CPU hotplug through the coordinator (kernel-model.md §1.8, §6.3), on timelines worked out by hand. */
class HotplugTest {
    private static final long US = 1_000;

    private static SimSettings machine(int cpus, String kernel, String tasks, String schedule) {
        return Runs.hocon("smpemu { duration = 20ms, measurement.window = 20ms, topology.cpus = " + cpus + ","
            + " kernel { hz = 100, " + kernel + ", costs { context-switch = 0ns, tick-handler = 0ns,"
            + " resched-ipi-handler = 0ns, call-function-entry = 0ns, ipi-send = 0ns, call-function-handler = 0ns } },"
            + " workload.tasks = [" + tasks + "], hotplug.schedule = [" + schedule + "] }");
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
}
