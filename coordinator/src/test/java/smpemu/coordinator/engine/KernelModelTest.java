package smpemu.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import smpemu.config.SimSettings;
import smpemu.coordinator.result.ResultBuilder;
import smpemu.coordinator.result.RunResult;
import smpemu.node.model.CpuStats;
import smpemu.node.model.ModelContext;
import smpemu.node.model.ZeroCost;

/**
 * Golden timelines of the cross-call machinery against docs/kernel-model.md §2-5 and the patch table
 * docs/kernel-model.md#pinned-table, worked out by hand. Scheduler and call costs are zero, IPIs and unlocks take 1 us, so:
 * CPU 1 has IRQs off from 100 to 600 us; the caller on CPU 0 calls at 200 us; its CSD reaches
 * CPU 1 at 201 us, waits for the IRQ enable at 600 us, and the unlock is seen at 601 us. A wait
 * kept pinned shows as a 401 us section on CPU 0; a preemptible one leaves no section at all.
 */
class KernelModelTest {
    private static final long US = 1_000;
    private static final long PINNED_WAIT = 401 * US;

    private static final String STALL_CPU1 = "{ name = stall, mm = proc, affinity = [1], program = ["
        + "{op = compute, duration = 100us}, {op = irq-off, duration = 500us, path = [stall]},"
        + " {op = compute, duration = 100ms}] }";

    private static String caller(String op) {
        return "{ name = caller, mm = proc, affinity = [0], program = [{op = compute, duration = 200us}, " + op
            + ", {op = compute, duration = 100ms}] }";
    }

    private static SimSettings machine(int cpus, String kernel, String tasks) {
        return machine(cpus, kernel, tasks, "");
    }

    /** The shared zero-cost machine (node's ZeroCost) with {@code cpus}, the kernel keys and the tasks. */
    private static SimSettings machine(int cpus, String kernel, String tasks, String more) {
        return ZeroCost.settings("smpemu { topology.cpus = " + cpus + ", kernel { " + kernel + " }, "
            + more + " workload.tasks = [" + tasks + "] }");
    }

    private static long cpu0Max(String kernel, String op) {
        RunResult r = Runs.sequential(machine(2, kernel, caller(op) + "," + STALL_CPU1));
        return r.cpus().get(0).preemptoffMaxNs();
    }

    @ParameterizedTest(name = "{0} with {1}: pinned {2} us")
    @CsvSource(delimiter = '|', value = {
        "{op = smp-call, call = single, cpus = \"1\", func = 0ns} | variant = baseline      | 401",
        "{op = smp-call, call = single, cpus = \"1\", func = 0ns} | patches = [2]           | 0",
        "{op = smp-call, call = any, cpus = \"1\", func = 0ns}    | patches = [2]           | 401",
        "{op = smp-call, call = any, cpus = \"1\", func = 0ns}    | patches = [2, 3]        | 0",
        "{op = smp-call, call = many, cpus = \"1\", func = 0ns}   | patches = [6]           | 401",
        "{op = smp-call, call = many, cpus = \"1\", func = 0ns}   | patches = [4, 6]        | 0",
        "{op = smp-call, call = all, func = 0ns}                  | patches = [4, 6]        | 401",
        "{op = smp-call, call = all, func = 0ns}                  | patches = [4, 6, 7]     | 0",
        "{op = smp-call, call = on-each-cpu, func = 0ns}          | patches = [4, 6, 7]     | 401",
        "{op = smp-call, call = on-each-cpu, func = 0ns}          | patches = [4, 6, 8]     | 0",
        "{op = munmap, pages = 4}                                 | patches = [4, 6, 8, 10] | 401",
        "{op = munmap, pages = 4}                                 | variant = patched       | 0",
        "{op = exit-mmap}                                         | variant = patched       | 0",
        "{op = reclaim}                                           | variant = patched       | 0",
        "{op = vmalloc-purge}                                     | patches = [4, 6, 8]     | 401",
        "{op = vmalloc-purge}                                     | patches = [4, 6, 8, 12] | 0",
    })
    void whatStaysPinnedFollowsThePatchTable(String op, String kernel, long pinnedUs) {
        assertEquals(pinnedUs * US, cpu0Max(kernel, op));
    }

    @Test
    void theWaitStaysPinnedUnderNoneVoluntaryDebugAndAnOuterLock() {
        String single = "{op = smp-call, call = single, cpus = \"1\", func = 0ns}";
        String locked = "{op = smp-call, call = single, cpus = \"1\", func = 0ns, under-lock = true}";
        assertEquals(PINNED_WAIT, cpu0Max("variant = patched, preemption = none", single), "none gains nothing");
        assertEquals(PINNED_WAIT, cpu0Max("variant = patched, preemption = voluntary", single));
        assertEquals(PINNED_WAIT, cpu0Max("variant = patched, smp.csdlock-debug = true", single),
            "patch 1 pins the debug wait");
        assertEquals(PINNED_WAIT, cpu0Max("variant = patched", locked), "the caller-nesting rule");
        assertEquals(0, cpu0Max("variant = patched, preemption = rt", locked),
            "an RT spinlock does not disable preemption");
    }

    @ParameterizedTest(name = "{0} to an offline CPU: -ENXIO")
    @CsvSource({"single", "any"})
    void aSingleCallToAnOfflineCpuFailsWithoutRunningTheCallback(String kind) {
        // CPU 1 goes down at 100 us; the call at 200 us returns -ENXIO. The callback (50 us) must
        // not run on the caller's CPU instead, which would show as a 50 us IRQs-off section there.
        String op = "{op = smp-call, call = " + kind + ", cpus = \"1\", func = 50us}";
        SimSettings s = machine(2, "variant = patched", caller(op), "hotplug.schedule = [{at = 100us, cpu = 1, action = offline}],");
        RunResult r = Runs.sequential(s);
        assertEquals(1, r.hotplug().singleOffline());
        // (the only section on CPU 0 is its stopper's 1 us wait for CPU 1 to arrive)
        assertEquals(1 * US, r.cpus().get(0).preemptoffMaxNs(), "nothing ran locally");
        assertEquals(0, r.summary().ipisSent());
    }

    @Test
    void pinnedWaitPathEndsInCsdLockWait() {
        RunResult r = Runs.sequential(machine(2, "variant = baseline",
            caller("{op = exit-mmap}") + "," + STALL_CPU1));
        RunResult.Section s = r.longest().stream().filter(x -> x.cpu() == 0).findFirst().orElseThrow();
        assertEquals(PINNED_WAIT, s.durationNs());
        assertEquals(200 * US, s.startNs());
        assertEquals(List.of("do_exit", "exit_mmap", "tlb_finish_mmu", "flush_tlb_mm_range",
            "native_flush_tlb_multi", "on_each_cpu_cond_mask", "smp_call_function_many_cond",
            "csd_lock_wait"), s.path());
        assertEquals(1, r.summary().shootdowns());
    }

    @Test
    void anRtTaskWokenDuringThePreemptibleWaitRunsAtOnce() {
        // The FIFO task's timer fires at 300 us, in the middle of the wait (200-601 us).
        String rt = "{ name = rt, policy = fifo, priority = 99, affinity = [0], program = ["
            + "{op = sleep, duration = 300us}, {op = compute, duration = 10us}, {op = block}] }";
        String tasks = caller("{op = smp-call, call = single, cpus = \"1\", func = 0ns}") + "," + STALL_CPU1 + "," + rt;
        assertEquals(301 * US, Runs.sequential(machine(2, "variant = baseline", tasks)).summary().rtWakeupMaxNs());
        assertEquals(0, Runs.sequential(machine(2, "variant = patched", tasks)).summary().rtWakeupMaxNs());
    }

    @Test
    void noSecondIpiWhileTheTargetQueueIsNotEmpty() {
        // CPUs 0 and 2 both queue a CSD on CPU 1 while its IRQs are off: one IPI, both drained.
        String second = "{ name = caller2, affinity = [2], program = [{op = compute, duration = 250us},"
            + " {op = smp-call, call = single, cpus = \"1\", func = 0ns}, {op = compute, duration = 100ms}] }";
        RunResult r = Runs.sequential(machine(3, "variant = baseline",
            caller("{op = smp-call, call = single, cpus = \"1\", func = 0ns}") + "," + STALL_CPU1 + "," + second));
        assertEquals(1, r.summary().ipisSent());
        assertEquals(PINNED_WAIT, r.cpus().get(0).preemptoffMaxNs());
        assertEquals(351 * US, r.cpus().get(2).preemptoffMaxNs(), "250 us to 601 us");
    }

    @Test
    void lazyCpusAreSkippedUnlessPageTablesAreFreed() {
        // CPU 1 ran a thread of the caller's mm, then a kernel thread with IRQs off: lazy TLB.
        String cpu1 = "{ name = thread, mm = caller, affinity = [1], program = [{op = compute, duration = 50us}, {op = block}] },"
            + "{ name = kthread, mm = kernel, affinity = [1], program = [{op = sleep, duration = 50us},"
            + " {op = irq-off, duration = 500us, path = [stall]}, {op = compute, duration = 100ms}] }";
        String callerMm = "{ name = caller, mm = caller, affinity = [0], program = [{op = compute, duration = 200us}, %s,"
            + " {op = compute, duration = 100ms}] }";
        RunResult munmap = Runs.sequential(machine(2, "variant = baseline", String.format(callerMm, "{op = munmap}") + "," + cpu1));
        assertEquals(0, munmap.cpus().get(0).preemptoffMaxNs(), "should_flush_tlb() on the sender skips the lazy CPU: no IPI, no wait");
        RunResult exit = Runs.sequential(machine(2, "variant = baseline", String.format(callerMm, "{op = exit-mmap}") + "," + cpu1));
        assertEquals(PINNED_WAIT, exit.cpus().get(0).preemptoffMaxNs(), "freed page tables: lazy CPUs too");
    }

    @Test
    void aRangeAboveTheCeilingBecomesAFullFlush() {
        // One page 10 us, each further page 1 us, a full flush 5 us; CPU 1 idle, IRQs on.
        String costs = "costs { flush-tlb-one-page = 10us, flush-tlb-extra-page = 1us, flush-tlb-full = 5us }";
        String cpu1 = "{ name = thread, mm = caller, affinity = [1], program = [{op = compute, duration = 1s}] }";
        String callerMm = "{ name = caller, mm = caller, affinity = [0], program = [{op = compute, duration = 200us},"
            + " {op = munmap, pages = %d}, {op = compute, duration = 100ms}] }";
        long[] expected = {44 * US, 7 * US}; // 33 pages: 42 us of flush on each side + 2 us of delivery
        int[] pages = {33, 34};
        for (int i = 0; i < 2; i++) {
            SimSettings s = machine(2, costs, String.format(callerMm, pages[i]) + "," + cpu1);
            assertEquals(expected[i], Runs.sequential(s).summary().flushTotalMaxNs(), pages[i] + " pages");
        }
    }

    @Test
    void aPreemptedWaiterMigratesAndCompletesExactlyOnce() {
        // W waits for CPU 2 (IRQs off to 10 ms); an RT task takes CPU 0 from 1 ms for 20 ms. The
        // balancer moves the waiting W to idle CPU 1, where it keeps polling the same CSD.
        String w = "{ name = w, affinity = \"0-1\", program = [{op = compute, duration = 200us},"
            + " {op = smp-call, call = single, cpus = \"2\", func = 0ns}, {op = compute, duration = 100ms}] }";
        String rt = "{ name = rt, policy = fifo, priority = 99, affinity = [0], program = ["
            + "{op = sleep, duration = 1ms}, {op = compute, duration = 20ms}, {op = block}] }";
        String stall = "{ name = stall, affinity = [2], program = [{op = compute, duration = 100us},"
            + " {op = irq-off, duration = 10ms}, {op = compute, duration = 100ms}] }";
        SimSettings s = Runs.hocon("smpemu { duration = 30ms, measurement.window = 30ms, topology.cpus = 3,"
            + " kernel.variant = patched, workload.tasks = [" + w + "," + rt + "," + stall + "] }");
        List<CpuStats> cpus = new SequentialEngine().run(new ModelContext(s)).cpus();
        assertTrue(cpus.get(0).migrationsOut >= 1, "the waiter was moved off CPU 0");
        assertEquals(1, cpus.stream().mapToLong(c -> c.crossCallsDone).sum(), "one call, one return");
        assertEquals(1, cpus.get(1).crossCallsDone, "and it returned on CPU 1");
        assertEquals(Runs.sequential(s).digest(), Runs.actors(s, 2).digest());
    }

    @Test
    void aSecondCallSpinsPinnedOnACsdStillInFlight() {
        // Patch 6 side effect (docs/kernel-model.md#patch-6): B reuses cfd[1] of CPU 0 while A's
        // request to CPU 1 is in flight, so B's csd_lock spins with preemption off until 601 us.
        String a = "{ name = a, affinity = [0], program = [{op = compute, duration = 200us},"
            + " {op = smp-call, call = many, cpus = \"1\", wait = false, func = 0ns}, {op = block}] }";
        // B first runs when A blocks at 200 us, then sleeps to 300 us.
        String b = "{ name = b, affinity = [0], program = [{op = sleep, duration = 100us},"
            + " {op = smp-call, call = many, cpus = \"1\", func = 0ns}, {op = block}] }";
        RunResult r = Runs.sequential(machine(2, "variant = patched", a + "," + b + "," + STALL_CPU1));
        assertEquals(301 * US, r.cpus().get(0).preemptoffMaxNs(), "300 us to 601 us, then the new request");
    }

    @Test
    void syncEntriesRunBeforeAsyncOnesInTheHandler() {
        // An ASYNC CSD with a 100 us callback (from CPU 2, queued first) and the SYNC one from
        // CPU 0 both wait for CPU 1's IRQ enable at 600 us: the SYNC pass runs first, so CPU 0
        // still sees its unlock at 601 us.
        String async = "{ name = async, affinity = [2], program = [{op = compute, duration = 150us},"
            + " {op = smp-call, call = many, cpus = \"1\", wait = false, func = 100us}, {op = block}] }";
        RunResult r = Runs.sequential(machine(3, "variant = baseline",
            caller("{op = smp-call, call = single, cpus = \"1\", func = 0ns}") + "," + STALL_CPU1 + "," + async));
        assertEquals(PINNED_WAIT, r.cpus().get(0).preemptoffMaxNs());
    }

    @Test
    void theLocalCallbackRunsAfterTheIpisAreOut() {
        // on_each_cpu with a 50 us callback, CPU 1 idle: the local run (200-250 us) overlaps the
        // remote one (201-251 us, seen at 252 us), so the call takes 52 us, not 102.
        String idle = "{ name = idle1, affinity = [1], program = [{op = block}] }";
        RunResult r = Runs.sequential(machine(2, "variant = baseline",
            caller("{op = smp-call, call = on-each-cpu, func = 50us}") + "," + idle));
        assertEquals(52 * US, r.cpus().get(0).preemptoffMaxNs());
        RunResult self = Runs.sequential(machine(2, "variant = baseline",
            caller("{op = smp-call, call = single, cpus = \"0\", func = 30us}") + "," + idle));
        assertEquals(30 * US, self.cpus().get(0).preemptoffMaxNs(), "to itself: run locally, IRQs off");
        assertEquals(0, self.summary().ipisSent());
    }

    @Test
    void aPollingIdleTargetNeedsNoInterrupt() {
        String idle = "{ name = idle1, affinity = [1], program = [{op = block}] }";
        String tasks = caller("{op = smp-call, call = single, cpus = \"1\", func = 0ns}") + "," + idle;
        String costs = ", costs.call-function-handler = 5us";
        RunResult ipi = Runs.sequential(machine(2, "variant = baseline" + costs, tasks));
        RunResult poll = Runs.sequential(machine(2, "variant = baseline, smp.idle-poll-shortcut = true" + costs, tasks));
        assertEquals(1, ipi.summary().ipisSent());
        assertEquals(7 * US, ipi.cpus().get(0).preemptoffMaxNs(), "1 us there, 5 us of handler, 1 us back");
        assertEquals(0, poll.summary().ipisSent());
        assertEquals(2 * US, poll.cpus().get(0).preemptoffMaxNs());
    }

    @Test
    void invlpgbBroadcastsKernelRangesButNotASmallProcesssFlush() {
        String invlpgb = "variant = baseline, smp.invlpgb = true, costs.flush-tlb-broadcast = 3us";
        RunResult kernel = Runs.sequential(machine(2, invlpgb, caller("{op = vmalloc-purge}") + "," + STALL_CPU1));
        assertEquals(0, kernel.summary().ipisSent());
        assertEquals(3 * US, kernel.cpus().get(0).preemptoffMaxNs(), "only the local TLBSYNC wait, pinned");
        // A process active on 2 CPUs gets no global ASID (docs/kernel-model.md#invlpgb): its exit
        // flushes by IPI and waits, pinned, for CPU 1's IRQ-off stretch (TlbTest has the wide case).
        RunResult exit = Runs.sequential(machine(2, invlpgb, caller("{op = exit-mmap}") + "," + STALL_CPU1));
        assertEquals(1, exit.summary().ipisSent());
        assertTrue(exit.cpus().get(0).preemptoffMaxNs() > 390 * US, "waited for CPU 1: " + exit.cpus().get(0).preemptoffMaxNs());
    }

    @Test
    void pvTlbFlushSkipsPreemptedVcpusButStaysPinned() {
        // CPU 1's vCPU is preempted by the host from 150 to 650 us (an interrupt source marked
        // vcpu-preempted). Without PV flush the exit's shootdown waits for it (to 651 us); with
        // it the host flushes on the next entry and the caller waits 2 us, still pinned.
        String vcpu = "{ name = busy, mm = proc, affinity = [1], program = [{op = compute, duration = 1s}] }";
        String irq = "irqs = [{ name = host, cpus = \"1\", interarrival = {dist = empirical, values = [150us, 1s],"
            + " weights = [1, 0]}, handler = 500us, vcpu-preempted = true }]";
        String tasks = caller("{op = exit-mmap}") + "," + vcpu;
        for (String pv : new String[] {"false", "true"}) {
            SimSettings s = machine(2, "variant = patched, smp.pv-tlb-flush = " + pv, tasks, "workload." + irq + ",");
            RunResult r = Runs.sequential(s);
            if (pv.equals("false")) {
                assertEquals(0, r.cpus().get(0).preemptoffMaxNs(), "native flush: the wait is preemptible");
                assertEquals(451 * US, r.summary().flushTotalMaxNs());
            } else {
                assertEquals(2 * US, r.cpus().get(0).preemptoffMaxNs(), "kvm_flush_tlb_multi is pinned whole");
                assertEquals(2 * US, r.summary().flushTotalMaxNs());
            }
        }
    }

    @Test
    void csdLockDebugReportsANonResponsiveLock() {
        // A 12 ms IRQ-off stretch on CPU 1 against a 5 ms csd_lock_timeout: two reports.
        String stall = "{ name = stall, affinity = [1], program = [{op = compute, duration = 100us},"
            + " {op = irq-off, duration = 12ms}, {op = compute, duration = 100ms}] }";
        SimSettings s = Runs.hocon("smpemu { duration = 20ms, measurement.window = 20ms, topology.cpus = 2,"
            + " kernel { variant = patched, smp { csdlock-debug = true, csd-lock-timeout = 5ms } },"
            + " workload.tasks = [" + caller("{op = smp-call, call = single, cpus = \"1\"}") + "," + stall + "] }");
        RunResult r = Runs.sequential(s);
        assertEquals(2, r.summary().csdLockReports());
        RunResult.CsdLockReport first = r.csdLockReports().get(0);
        assertEquals(0, first.cpu());
        assertEquals(1, first.targetCpu());
        assertEquals(5_000 * US, first.waitingNs());
        assertTrue(first.message().contains("non-responsive CSD lock"));
    }
}
