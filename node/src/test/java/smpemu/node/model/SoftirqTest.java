package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kernel/softirq.c on a zero-cost machine: a NIC's hard-IRQ handler raises NET_RX; on IRQ exit
 * __do_softirq() runs it with IRQs on and BH disabled, within its budgets, and ksoftirqd/N runs
 * the rest as a SCHED_OTHER task. The NIC interrupts every 15 ms, first at 15000 us, with a 20 us
 * handler; packets cost 10 us each.
 */
class SoftirqTest {
    private static final long US = 1_000;
    private static final String SOFTIRQ_PATH = "irq_exit_rcu>__do_softirq>net_rx_action";
    private static final String KSOFTIRQD_PATH = "run_ksoftirqd>__do_softirq>net_rx_action";

    private static String nic(int packets) {
        return "{ name = nic, kind = nic, cpus = \"0\", interarrival = 15ms, handler = 20us, path = [nic_irq],"
            + " softirq = { vector = net-rx, units = " + packets + ", work = 10us } }";
    }

    private static Machine machine(String tracer, String preemption, String duration, String tasks, String irqs) {
        return new Machine("smpemu { duration = " + duration + ", measurement { window = " + duration + ", tracer = " + tracer
            + ", longest-sections = 20 }, topology.cpus = 1, kernel.preemption = " + preemption
            + ", workload { tasks = [" + tasks + "], irqs = [" + irqs + "] } }").run();
    }

    /** The sections of at least 1 us, as "start-end path kind", in time order. */
    private static List<String> sections(Machine m) {
        CpuStats s = m.stats(0);
        List<long[]> rows = new ArrayList<>();
        for (int i = 0; i < s.longCount; i++) if (s.longDur[i] >= US) rows.add(new long[] {s.longStart[i], i});
        rows.sort((a, b) -> Long.compare(a[0], b[0]));
        List<String> out = new ArrayList<>();
        for (long[] r : rows) {
            int i = (int) r[1];
            out.add(s.longStart[i] / US + "-" + (s.longStart[i] + s.longDur[i]) / US + " "
                + String.join(">", m.ctx.workload.paths.path(s.longPath[i])) + " " + CpuStats.kindName(s.longKind[i]));
        }
        return out;
    }

    private static final String USER = "{ name = t, affinity = [0], program = [{op = compute, duration = 100ms}] }";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // 10 packets: 100 us of NET_RX after the 20 us handler, within every budget.
        "preemptoff     | 15020-15120 " + SOFTIRQ_PATH + " preempt",
        "irqsoff        | 15000-15020 nic_irq irqs",
        "preemptirqsoff | 15000-15120 nic_irq preempt+irqs",
    })
    void aHardIrqAndItsSoftirqAsEachTracerSeesThem(String tracer, String expected) {
        assertEquals(List.of(expected), sections(machine(tracer, "full", "15500us", USER, nic(10))));
    }

    @Test
    void aSoftirqRaisedInABhDisabledSectionRunsAtItsEndInsideTheSameSection() {
        // local_bh_disable() 14950-15050 us; the NIC at 15000 us; its handler (20 us) lengthens the
        // section to 15070 us, where local_bh_enable() runs the 100 us of NET_RX before
        // preempt_count drops: one section 14950-15170 us (it saw IRQs off: the handler).
        String bh = "{ name = t, affinity = [0], program = [{op = compute, duration = 14950us},"
            + " {op = bh-off, duration = 100us, path = [bh]}, {op = compute, duration = 100ms}] }";
        assertEquals(List.of("14950-15170 bh preempt+irqs"), sections(machine("preemptoff", "full", "15500us", bh, nic(10))));
    }

    @Test
    void workBeyondTheBudgetGoesToKsoftirqdWhichAnRtTaskPreemptsBetweenItsBatches() {
        // 1000 packets = 10 ms of NET_RX. net_rx_action() stops at netdev_budget_usecs (2000 us =
        // 200 packets) and raises NET_RX again; MAX_SOFTIRQ_TIME (2 ms) has passed, so the IRQ exit
        // wakes ksoftirqd/0, which runs one __do_softirq() (2 ms) at a time, non-preemptible, with a
        // cond_resched() between. A FIFO task wakes at 20000 us, inside the batch of 19020-21020 us: it
        // runs 21020-21520 us, then ksoftirqd finishes the last 400 packets.
        String rt = "{ name = rt, policy = fifo, priority = 50, affinity = [0], program = [{op = sleep, duration = 20ms},"
            + " {op = compute, duration = 500us}, {op = block}] }";
        Machine m = machine("preemptoff", "full", "26ms", rt, nic(1000));
        assertEquals(List.of(
            "15020-17020 " + SOFTIRQ_PATH + " preempt",
            "17020-19020 " + KSOFTIRQD_PATH + " preempt",
            "19020-21020 " + KSOFTIRQD_PATH + " preempt+irqs", // the RT task's timer interrupt came in it
            "21520-23520 " + KSOFTIRQD_PATH + " preempt",
            "23520-25520 " + KSOFTIRQD_PATH + " preempt"), sections(m));
        assertEquals(1020 * US, m.stats(0).rtMax, "the RT task waited for the end of ksoftirqd's batch");
    }

    @Test
    void netdevBudgetInPacketsBoundsOneNetRxAction() {
        // netdev_budget = 50 packets (500 us) per net_rx_action(): __do_softirq() restarts while
        // under 2 ms: 4 rounds of 500 us on IRQ exit, then ksoftirqd takes the other 600 packets.
        Machine m = new Machine("smpemu { duration = 26ms, measurement { window = 26ms, longest-sections = 20 },"
            + " topology.cpus = 1, kernel.softirq.netdev-budget = 50,"
            + " workload.irqs = [" + nic(800) + "] }").run();
        List<String> got = sections(m);
        assertEquals("15020-17020 " + SOFTIRQ_PATH + " preempt", got.get(0), "4 x 50 packets on IRQ exit");
        assertEquals("17020-19020 " + KSOFTIRQD_PATH + " preempt", got.get(1));
        assertEquals(4, got.size(), "600 packets in ksoftirqd: 2 ms, 2 ms, 2 ms");
    }

    @Test
    void underPreemptRtSoftirqsRunInKsoftirqdAndNoTracerSeesThem() {
        Machine m = machine("preemptoff", "rt", "15500us", "", nic(10));
        assertEquals(List.of(), sections(m), "softirqs in thread context keep preemption on");
        assertTrue(m.ctx.workload.idOf("ksoftirqd/0") >= 0, "the thread exists");
    }

    @Test
    void aCallToACpuInANicHandlerBlamesTheHandlerAndItsSoftirqDoesNotDelayTheIpi() {
        // CPU 0 calls CPU 1 at 15005 us (baseline: a pinned wait); the CSD arrives at 15006 us,
        // inside the NIC's handler (15000-15020 us). The IPI is taken at the handler's exit, before
        // the 100 us of NET_RX (IRQs are on in softirq processing): released at 15020 us, seen at
        // 15021 us.
        String caller = "{ name = caller, affinity = [0], program = [{op = compute, duration = 15005us},"
            + " {op = smp-call, call = single, cpus = \"1\", func = 0ns}, {op = compute, duration = 100ms}] }";
        String nic1 = nic(10).replace("cpus = \"0\"", "cpus = \"1\"");
        Machine m = new Machine("smpemu { duration = 15500us, measurement.window = 15500us, topology.cpus = 2,"
            + " kernel.variant = baseline, workload { tasks = [" + caller + "], irqs = [" + nic1 + "] } }").run();
        CpuStats s = m.stats(0);
        assertEquals(1, s.longCount);
        assertEquals(16 * US, s.longDur[0]);
        int nicPath = m.ctx.workload.paths.id(List.of("nic_irq"));
        List<CpuStats> all = List.of(m.stats(0), m.stats(1));
        assertEquals(List.of(new BlameChains.Hop(1, "hardirq", nicPath, 15000 * US, 20 * US)),
            new BlameChains(all, m.ctx.workload).of(0, s.longStart[0], s.longStart[0] + s.longDur[0], s.longTask[0]));
    }
}
