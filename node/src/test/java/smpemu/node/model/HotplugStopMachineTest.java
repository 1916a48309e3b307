package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import smpemu.protocol.MsgKind;

/** kernel/stop_machine.c and kernel/cpu.c: CPU 1 of 2 taken down at 1 ms and brought back at 3 ms. */
class HotplugStopMachineTest {
    private static final long US = 1_000;

    @ParameterizedTest(name = "{0}: CSD array freed {1}, allocated {2}")
    @CsvSource({"variant = baseline, 1, 1", "patches = [5], 0, 0"})
    void stopMachineTakesTheCpuDownAndItsTasksMove(String kernel, long frees, long allocs) {
        // CPU 1 is in a 300 us raw spinlock section from 800 us: its stopper starts at 1.1 ms,
        // reports to CPU 0 at 1.101 ms, which lets it go at 1.102 ms: 102 us after its request.
        String tasks = "{ name = pinned, affinity = \"0-1\", program = [{op = compute, duration = 800us},"
            + " {op = preempt-off, raw = true, duration = 300us}, {op = compute, duration = 100ms}] }";
        Machine m = new Machine("smpemu { kernel { " + kernel + " }, workload.tasks = [{ name = idle0, affinity = [0],"
            + " program = [{op = compute, duration = 100ms}] }, " + tasks.replace("affinity = \"0-1\"", "affinity = [1]") + "] }")
            .command(1_000 * US, MsgKind.STOP_REQUEST, 1).command(3_000 * US, MsgKind.CPU_ONLINE, 1).run();
        assertEquals(102 * US, m.stats(1).stopMachineMax, "the pinned section delays stop_machine");
        assertEquals(1, m.stats(1).migrationsOut, "its task moved to CPU 0 (affinity broken, as the kernel does)");
        assertEquals(frees, m.stats(1).csdArrayFrees);
        assertEquals(allocs, m.stats(1).csdArrayAllocs);
        assertEquals(1, m.stats(1).onlined);
        assertTrue(!m.cpus[1].isOffline());
    }
}
