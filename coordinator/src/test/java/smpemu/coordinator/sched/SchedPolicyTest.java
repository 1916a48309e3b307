package smpemu.coordinator.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import smpemu.config.SimSettings;
import smpemu.coordinator.engine.Runs;
import smpemu.coordinator.result.RunResult;
import smpemu.node.model.Workload;
import smpemu.protocol.CpuSnapshot;

/** Global scheduling decisions respect affinity and priorities. */
class SchedPolicyTest {
    private static final int[] NONE = new int[0];

    private static SimSettings fourCpus(String tasks) {
        return Runs.hocon("smpemu { duration = 200ms, measurement.window = 50ms, topology.cpus = 4,"
            + " workload.tasks = [" + tasks + "] }");
    }

    @Test
    void loadBalancingMovesOnlyWhereAffinityAllows() {
        // Four busy tasks allowed on CPUs 0-1 only, all queued on CPU 0; CPUs 2 and 3 are idle.
        SimSettings s = fourCpus("{ name = w, count = 4, affinity = \"0-1\", program = ["
            + "{op = compute, duration = 1s}] }, { name = x, affinity = \"1\", program = [{op = compute, duration = 1s}] }");
        Workload w = new Workload(s);
        SchedPolicy p = new SchedPolicy(w, 4);
        CpuSnapshot[] snaps = {
            new CpuSnapshot(0, w.idOf("w-0"), new int[] {w.idOf("w-1"), w.idOf("w-2"), w.idOf("w-3")}, NONE, false),
            new CpuSnapshot(1, w.idOf("x"), NONE, NONE, false),
            new CpuSnapshot(2, -1, NONE, NONE, false),
            new CpuSnapshot(3, -1, NONE, NONE, false)};
        assertArrayEquals(new int[0], p.balance(snaps), "tasks must wait one interval first");
        int[] moves = p.balance(snaps);
        assertArrayEquals(new int[] {w.idOf("w-1"), 1}, moves, "one move, to CPU 1, never to 2 or 3");
    }

    @Test
    void waitingRtTaskIsPushedToTheCpuRunningTheLowestPriority() {
        SimSettings s = fourCpus("{ name = hi, policy = fifo, priority = 99, program = [{op = compute, duration = 1s}] },"
            + "{ name = lo, policy = fifo, priority = 50, program = [{op = compute, duration = 1s}] },"
            + "{ name = mid, policy = fifo, priority = 60, program = [{op = compute, duration = 1s}] },"
            + "{ name = bg, program = [{op = compute, duration = 1s}] }");
        Workload w = new Workload(s);
        SchedPolicy p = new SchedPolicy(w, 4);
        CpuSnapshot[] snaps = {
            new CpuSnapshot(0, w.idOf("hi"), new int[] {w.idOf("lo")}, NONE, false),
            new CpuSnapshot(1, w.idOf("mid"), NONE, NONE, false),
            new CpuSnapshot(2, w.idOf("bg"), NONE, NONE, false),
            new CpuSnapshot(3, w.idOf("mid"), NONE, NONE, false)};
        assertArrayEquals(new int[] {w.idOf("lo"), 2}, p.balance(snaps),
            "CPU 2 runs SCHED_OTHER: lower than FIFO-50; CPUs 1 and 3 run FIFO-60");
    }

    @Test
    void engineNeverRunsATaskOutsideItsAffinity() {
        // CPU 0 starts with three pinned tasks and two of the four movable ones: 5 against 2.
        String loop = "program = [{op = loop, body = [{op = compute, duration = {dist = exponential,"
            + " mean = 2ms}}, {op = sleep, duration = 100us}]}]";
        SimSettings s = fourCpus("{ name = w, count = 4, affinity = \"0-1\", " + loop + " },"
            + "{ name = pin, count = 3, affinity = \"0\", " + loop + " }");
        RunResult r = Runs.sequential(s);
        assertTrue(r.counters().migrations() > 0, "the balancer had work to do");
        assertEquals(r.digest(), Runs.actors(s, 2).digest());
        for (RunResult.CpuResult c : r.cpus().subList(2, 4)) {
            assertEquals(0, c.preemptoffMaxNs(), "nothing ever ran on CPU " + c.cpu());
        }
    }
}
