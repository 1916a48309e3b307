package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import smpemu.protocol.MsgKind;
import smpemu.protocol.SimMessage;

/** arch/x86/mm/tlb.c's per-CPU TLB state and target side on one CPU, and a shootdown on two. */
class TlbTest {
    private static PerCpu cpu(String kernel) {
        return new PerCpu(0, new ModelContext(ZeroCost.settings("smpemu { kernel { " + kernel + " },"
            + " workload.tasks = [{name = a, mm = p, program = [{op = compute, duration = 1ms}]}] }")), m -> { });
    }

    private static SimMessage csd(int flush, int mm) {
        return new SimMessage(0, MsgKind.CSD_PUSH, 1, 0, 0, 7, CsdFlags.make(true, CsdFlags.CFD, flush, false), mm, 1, null);
    }

    @Test
    void switchMmIrqsOffJoinsMmCpumaskAndEnterLazyTlbKeepsTheMm() {
        PerCpu c = cpu("variant = baseline");
        c.tlb.switchMmIrqsOff(3);
        assertEquals(3, c.loadedMm);
        assertTrue(c.mmSet.contains(3));
        assertFalse(c.lazy);
        c.tlb.enterLazyTlb();
        assertTrue(c.lazy, "the idle task keeps mm 3 loaded, lazily");
        c.tlb.switchMmIrqsOff(-1);
        assertTrue(c.lazy, "a kthread too");
    }

    @Test
    void shouldFlushTlbSkipsLazyCpusAndOtherMmsButNotFreedTables() {
        PerCpu c = cpu("variant = baseline");
        c.tlb.switchMmIrqsOff(3);
        assertTrue(c.tlb.shouldFlushTlb(CsdFlags.FLUSH_USER_COND, 3));
        assertFalse(c.tlb.shouldFlushTlb(CsdFlags.FLUSH_USER_COND, 4), "another mm loaded");
        c.tlb.enterLazyTlb();
        assertFalse(c.tlb.shouldFlushTlb(CsdFlags.FLUSH_USER_COND, 3), "lazy: skipped");
        assertTrue(c.tlb.shouldFlushTlb(CsdFlags.FLUSH_USER_ALL, 3), "freed page tables reach lazy CPUs");
        assertFalse(c.tlb.shouldFlushTlb(CsdFlags.FLUSH_KERNEL_COND, -1), "a reclaim batch skips lazy CPUs");
    }

    @Test
    void flushTlbFuncOnACpuNotRunningTheMmLeavesItsMmCpumask() {
        PerCpu c = cpu("variant = baseline");
        c.tlb.switchMmIrqsOff(3);
        c.tlb.switchMmIrqsOff(4);
        assertTrue(c.mmSet.contains(3), "switching away does not leave the old mask");
        c.tlb.flushTlbFunc(csd(CsdFlags.FLUSH_USER_ALL, 3));
        assertFalse(c.mmSet.contains(3), "the flush trims it");
        assertTrue(c.mmSet.contains(4));
    }

    @Test
    void aShootdownReachesOnlyTheCpusOfTheMm() {
        // The caller and a thread of its process on CPU 1; CPU 2 runs another process: a munmap
        // sends one IPI (to CPU 1), an exit too.
        String tasks = "{ name = caller, mm = p, affinity = [0], program = [{op = compute, duration = 200us},"
            + " {op = munmap, pages = 4}, {op = exit-mmap}, {op = compute, duration = 100ms}] },"
            + " { name = thread, mm = p, affinity = [1], program = [{op = compute, duration = 100ms}] },"
            + " { name = other, mm = q, affinity = [2], program = [{op = compute, duration = 100ms}] }";
        Machine m = new Machine("smpemu { topology.cpus = 3, workload.tasks = [" + tasks + "] }").run();
        assertEquals(2, m.stats(0).shootdowns);
        assertEquals(2, m.stats(1).ipisSent, "CPU 1's queue was empty both times: two IPIs raised there");
        assertEquals(0, m.stats(2).ipisSent + m.stats(2).callbacks);
    }
}
