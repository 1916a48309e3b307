package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Steal time as the host scheduler makes it (smpemu.host, docs/kernel-model.md#steal), on a
 * zero-cost 2-CPU guest: a host task shares CPU 1's pCPU, waking every 1 ms with 4 ms of work;
 * the host's base slice is 3 ms, so the first episode is 1000-4000 us (the slice ends it, not the
 * burst). CPU 0 reaches CPU 1 at 2000 us, inside it.
 */
class HostStealTest {
    private static final long US = 1_000;
    private static final String HOST = "host { base-slice = 3ms, tasks = [{name = vhost, cpus = \"1\", interarrival = 1ms, burst = 4ms}] }";

    private static Machine machine(String kernel, String tasks) {
        return new Machine("smpemu { duration = 5ms, measurement { window = 5ms, longest-sections = 10 }, topology.cpus = 2,"
            + " kernel { variant = baseline, costs.flush-tlb-full = 1us, " + kernel + " }, " + HOST
            + ", workload.tasks = [" + tasks + "] }").run();
    }

    private static final String CALLER = "{ name = caller, affinity = [0], program = [{op = compute, duration = 2ms},"
        + " {op = smp-call, call = single, cpus = \"1\", func = 0ns}, {op = compute, duration = 100ms}] }";

    /** CPU 0's sections of at least 1 us, as "start-end". */
    private static List<String> sections(Machine m) {
        CpuStats s = m.stats(0);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.longCount; i++) {
            if (s.longDur[i] >= US) out.add(s.longStart[i] / US + "-" + (s.longStart[i] + s.longDur[i]) / US);
        }
        return out;
    }

    @Test
    void anIpiToAHostPreemptedVcpuWaitsUntilTheHostSliceEnds() {
        // The CSD reaches CPU 1 at 2001 us; the vCPU runs again at 4000 us and the release is
        // seen at 4001 us: a 2001 us pinned wait. CPU 1 had 3 ms of steal time.
        Machine m = machine("", CALLER);
        assertEquals(List.of("2000-4001"), sections(m));
        assertEquals(3000 * US, m.stats(1).stealNs);
        assertEquals(0, m.stats(0).stealNs, "CPU 0's pCPU is its own");
        List<CpuStats> all = List.of(m.stats(0), m.stats(1));
        CpuStats s = m.stats(0);
        assertEquals(List.of(new BlameChains.Hop(1, "steal", -1, 1000 * US, 3000 * US)),
            new BlameChains(all, m.ctx.workload).of(0, s.longStart[0], s.longStart[0] + s.longDur[0], s.longTask[0]));
    }

    @Test
    void theHostSliceEndsAnEpisodeAndTheVcpuGetsOneSliceBack() {
        // Bursts keep coming (4 ms every 1 ms): after 1000-4000 us the vCPU runs 4000-7000 us, and
        // the next episode begins at 7000 us. Over 8 ms: 3 ms + 1 ms of steal.
        Machine m = new Machine("smpemu { duration = 8ms, measurement.window = 8ms, topology.cpus = 2, " + HOST + " }").run();
        assertEquals(4000 * US, m.stats(1).stealNs);
    }

    /** Records the host preemptions the probe point reports, as "cpu@start+len" in us. */
    private static final class StealLog implements ProbeListener {
        final List<String> episodes = new ArrayList<>();

        @Override
        public void hostPreempted(PerCpu cpu, long len) { episodes.add(cpu.id + "@" + cpu.now / US + "+" + len / US); }
    }

    @Test
    void burstsArrivingWhileTheHostTaskRunsExtendItsEpisodeUpToTheSlice() {
        // 2.5 ms of work every 2 ms: the wake-up at 2000 us runs until the one at 4000 us adds its
        // burst, then the 3 ms slice ends the episode at 5000 us with 2 ms left; the vCPU gets
        // 5000-8000 us; at 8000 us the host task has 2 + 2.5 + 2.5 ms: 8000-11000 us.
        StealLog log = new StealLog();
        new Machine("smpemu { duration = 12ms, measurement.window = 12ms, topology.cpus = 2, host { base-slice = 3ms,"
            + " tasks = [{name = vhost, cpus = \"1\", interarrival = 2ms, burst = 2500us}] } }").listen(log).run();
        assertEquals(List.of("1@2000+3000", "1@8000+3000"), log.episodes);
    }

    @Test
    void threadsWokenTogetherEachRunASliceBeforeTheVcpuGetsOneBack() {
        // A host job of 3 threads wakes every 20 ms with 4 ms of work each: each runs one 3 ms
        // slice in turn, so the episode is 20000-29000 us (threads x slice); the vCPU gets
        // 29000-32000 us, then the three have 1 ms each left: 32000-35000 us.
        StealLog log = new StealLog();
        new Machine("smpemu { duration = 39ms, measurement.window = 39ms, topology.cpus = 2, host { base-slice = 3ms,"
            + " tasks = [{name = job, cpus = \"1\", threads = 3, interarrival = 20ms, burst = 4ms}] } }").listen(log).run();
        assertEquals(List.of("1@20000+9000", "1@32000+3000"), log.episodes);
    }

    @Test
    void hostTasksSharingAPcpuQueueTheirThreadsInOneRound() {
        // A 1-thread vhost wakes every 20 ms with 1 ms of work, a 2-thread job every 30 ms with 4 ms
        // each: at 20000 us the vhost runs 1 ms; at 30000 us the job's two threads run a slice each
        // (30000-36000 us), the vCPU gets 36000-39000 us, then 1 ms each: 39000-41000 us, and the
        // vhost's second wake-up (40000 us) lands in that round and runs after them: +1 ms.
        StealLog log = new StealLog();
        new Machine("smpemu { duration = 45ms, measurement.window = 45ms, topology.cpus = 2, host { base-slice = 3ms, tasks = ["
            + "{name = vhost, cpus = \"1\", interarrival = 20ms, burst = 1ms},"
            + "{name = job, cpus = \"1\", threads = 2, interarrival = 30ms, burst = 4ms}] } }").listen(log).run();
        assertEquals(List.of("1@20000+1000", "1@30000+6000", "1@39000+3000"), log.episodes);
    }

    private static final String SHARED_MM = "{ name = a, affinity = [1], mm = proc, program = [{op = compute, duration = 100ms}] },"
        + " { name = b, affinity = [0], mm = proc, program = [{op = compute, duration = 2ms}, {op = munmap, pages = 1},"
        + " {op = compute, duration = 100ms}] }";

    @Test
    void withPvTlbFlushAPreemptedVcpuIsSkippedAndFlushedAtItsVmEntry() {
        // kvm_flush_tlb_multi() sees CPU 1 preempted at 2000 us (and still at 2001 us, when the
        // flag store lands): no IPI, no wait. The host flushes CPU 1 at its VM entry (4000 us),
        // 1 us of full flush more of steal.
        Machine pv = machine("smp.pv-tlb-flush = true", SHARED_MM);
        assertEquals(List.of(), sections(pv), "the flush did not wait for the host");
        assertEquals(1, pv.stats(1).pvFlushesAtEntry);
        assertEquals(3001 * US, pv.stats(1).stealNs);
        Machine ipi = machine("", SHARED_MM);
        assertEquals(List.of("2000-4001"), sections(ipi), "the native flush's IPI waits for the vCPU");
        assertEquals(0, ipi.stats(1).pvFlushesAtEntry);
    }

    @Test
    void withDedicatedPcpusTheHostNeverPreemptsAndPvFlushIsNotUsed() {
        Machine m = machine("kvm.hints-realtime = true, smp.pv-tlb-flush = true", CALLER);
        assertEquals(List.of("2000-2002"), sections(m), "there and back, 1 us each way");
        assertEquals(0, m.stats(1).stealNs);
        assertTrue(!m.cpus[0].perCpu().smpCosts.pvFlush, "pv_tlb_flush_supported() requires !KVM_HINTS_REALTIME");
    }
}
