package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Blame chains: the records {@link BlameRecorder} keeps on simulated zero-cost timelines (the
 * stall of {@link SmpTest}: CPU 1 has IRQs off from 100 to 600 us, CPU 0 calls it at 200 us),
 * and the join over hand-built records where a chain has two hops.
 */
class BlameChainsTest {
    static final long US = 1_000;

    private static BlameChains chains(Machine m) {
        List<CpuStats> all = new java.util.ArrayList<>();
        for (int c = 0; c < m.cpus.length; c++) all.add(m.stats(c));
        return new BlameChains(all, m.ctx.workload);
    }

    private static List<BlameChains.Hop> longestChain(Machine m, int cpu) {
        CpuStats s = m.stats(cpu);
        return chains(m).of(cpu, s.longStart[0], s.longStart[0] + s.longDur[0], s.longTask[0]);
    }

    @Test
    void aWaitOnATargetWithIrqsOffBlamesItsIrqOffSection() {
        Machine m = SmpTest.machine(2, "variant = baseline",
            SmpTest.caller("{op = smp-call, call = single, cpus = \"1\", func = 0ns}"), SmpTest.STALL_CPU1).run();
        int stall = m.ctx.workload.paths.id(List.of("stall"));
        // The CSD reached CPU 1 at 201 us, inside the stall (100-600 us); the callback ran at 600 us.
        assertEquals(List.of(new BlameChains.Hop(1, "irqs-off", stall, 100 * US, 500 * US)), longestChain(m, 0));
    }

    @Test
    void aHostPreemptedTargetIsBlamedAsTheHost() {
        // The host takes CPU 1 every 300 us for 200 us (300-500 us, ...); the call at 350 us
        // reaches it at 351 us and is served when the vCPU runs again at 500 us.
        String host = "irqs = [{name = steal, cpus = \"1\", interarrival = 300us, handler = 200us,"
            + " path = [host, vcpu_preempted], vcpu-preempted = true}]";
        String caller = "{ name = caller, affinity = [0], program = [{op = compute, duration = 350us},"
            + " {op = smp-call, call = single, cpus = \"1\", func = 0ns}, {op = compute, duration = 100ms}] }";
        Machine m = new Machine("smpemu { duration = 2ms, topology.cpus = 2, kernel.variant = baseline, workload { " + host
            + ", tasks = [" + caller + "] } }").run();
        int path = m.ctx.workload.paths.id(List.of("host", "vcpu_preempted"));
        assertEquals(List.of(new BlameChains.Hop(1, "host", path, 300 * US, 200 * US)), longestChain(m, 0));
    }

    @Test
    void aTargetInAnSmiIsBlamedAsTheSmi() {
        // An SMI takes CPU 1 every 150 us for 100 us (150-250 us, ...); the call at 200 us reaches
        // it at 201 us and is served when the SMI ends at 250 us.
        String fw = "irqs = [{name = fw, cpus = \"1\", interarrival = 150us, handler = 100us, path = [smm], smi = true}]";
        String caller = "{ name = caller, affinity = [0], program = [{op = compute, duration = 200us},"
            + " {op = smp-call, call = single, cpus = \"1\", func = 0ns}, {op = compute, duration = 100ms}] }";
        Machine m = new Machine("smpemu { duration = 280us, measurement.window = 280us, topology.cpus = 2,"
            + " kernel.variant = baseline, workload { " + fw + ", tasks = [" + caller + "] } }").run();
        int path = m.ctx.workload.paths.id(List.of("smm"));
        assertEquals(List.of(new BlameChains.Hop(1, "smi", path, 150 * US, 100 * US)), longestChain(m, 0));
    }

    @Test
    void anSmiInsideAnIrqOffStretchIsBlamedWhenItHeldTheCsdLonger() {
        // CPU 1 has IRQs off from 450 us for 200 us of its own work; an SMI at 500 us freezes it
        // (the next comes at 1000 us). CPU 0's CSD arrives at 551 us. A 100 us SMI (to 600 us)
        // leaves 150 us of the stretch after it (to 750 us): the stretch is blamed. A 300 us SMI
        // (to 800 us) outweighs the 150 us left after it (to 950 us): the SMI is.
        String stall = "{ name = stall, affinity = [1], program = [{op = compute, duration = 450us},"
            + " {op = irq-off, duration = 200us, path = [stall]}, {op = compute, duration = 100ms}] }";
        String caller = "{ name = caller, affinity = [0], program = [{op = compute, duration = 550us},"
            + " {op = smp-call, call = single, cpus = \"1\", func = 0ns}, {op = compute, duration = 100ms}] }";
        for (long len : new long[] {100, 300}) {
            String fw = "irqs = [{name = fw, cpus = \"1\", interarrival = 500us, handler = " + len + "us, path = [smm], smi = true}]";
            Machine m = new Machine("smpemu { duration = 990us, measurement.window = 990us, topology.cpus = 2,"
                + " kernel.variant = baseline, workload { " + fw + ", tasks = [" + caller + "," + stall + "] } }").run();
            BlameChains.Hop hop = len == 100
                ? new BlameChains.Hop(1, "irqs-off", m.ctx.workload.paths.id(List.of("stall")), 450 * US, 300 * US)
                : new BlameChains.Hop(1, "smi", m.ctx.workload.paths.id(List.of("smm")), 500 * US, 450 * US);
            assertEquals(List.of(hop), longestChain(m, 0), len + " us SMI");
        }
    }

    @Test
    void aTargetPinnedInItsOwnWaitIsFollowedToWhatHeldThatWaitUp() {
        // CPU 0's task 0 waits 200-1001 us on CPU 1; CPU 1 served that CSD (arrived 201 us) at
        // 1000 us, having been pinned since 150 us in task 1's own wait, which CPU 2 ended: CPU 2
        // ran task 1's CSD (arrived 151 us) at 998 us, its IRQs off since 100 us.
        Machine m = SmpTest.machine(3, "variant = baseline");
        CpuStats c0 = new CpuStats(0, 10_000 * US, 1_000 * US, 4);
        CpuStats c1 = new CpuStats(1, 10_000 * US, 1_000 * US, 4);
        CpuStats c2 = new CpuStats(2, 10_000 * US, 1_000 * US, 4);
        int waitPath = 5, stall = 7;
        c0.blameWait(801 * US, 0, 200 * US, 200 * US, 1001 * US, 1, waitPath);
        c1.blameCsd(799 * US, 0, 0, 201 * US, 1000 * US, BlameRecorder.CAUSE_WAIT, 150 * US, 1);
        c1.blameWait(849 * US, 1, 150 * US, 150 * US, 999 * US, 2, waitPath);
        c2.blameCsd(847 * US, 1, 1, 151 * US, 998 * US, BlameRecorder.CAUSE_IRQS_OFF, 100 * US, stall);
        List<BlameChains.Hop> chain = new BlameChains(List.of(c2, c0, c1), m.ctx.workload).of(0, 200 * US, 1001 * US, 0);
        assertEquals(List.of(new BlameChains.Hop(1, "csd_lock_wait", waitPath, 150 * US, 850 * US),
            new BlameChains.Hop(2, "irqs-off", stall, 100 * US, 898 * US)), chain);
    }

    @Test
    void aChainStopsAfterFourHops() {
        // Two CPUs each pinned in a wait the other one holds up: the records go round forever.
        Machine m = SmpTest.machine(2, "variant = baseline");
        CpuStats c0 = new CpuStats(0, 10_000 * US, 1_000 * US, 4);
        CpuStats c1 = new CpuStats(1, 10_000 * US, 1_000 * US, 4);
        c0.blameWait(800, 0, 100, 100, 900, 1, 5);
        c1.blameWait(800, 1, 100, 100, 900, 0, 5);
        c1.blameCsd(700, 0, 0, 150, 850, BlameRecorder.CAUSE_WAIT, 100, 1);
        c0.blameCsd(700, 1, 1, 150, 850, BlameRecorder.CAUSE_WAIT, 100, 0);
        assertEquals(BlameChains.MAX_DEPTH, new BlameChains(List.of(c0, c1), m.ctx.workload).of(0, 100, 900, 0).size());
    }

    @Test
    void keptRowsHoldTheLargestKeysLargestFirst() {
        long[] rows = new long[3 * 2];
        int n = 0;
        for (long key : new long[] {5, 20, 10, 1, 30, 20}) {
            int at = KeptRows.insertAt(rows, n, 2, key);
            if (at < 0) continue;
            if (n < 3) n++;
            rows[at] = key;
            rows[at + 1] = key * 100;
        }
        assertArrayEquals(new long[] {30, 3000, 20, 2000, 20, 2000}, rows);
        assertEquals(3, n);
    }
}
