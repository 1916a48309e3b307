package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SMIs (irqs with smi = true) on a zero-cost 2-CPU machine over 280 us: one SMI at 150 us (the
 * next would come at 300 us), lasting the source's handler time. The CPU does
 * not run meanwhile, whatever its IRQ state, and the tracers see nothing of it.
 */
class SmiTest {
    private static final long US = 1_000;

    private static String smiAt150(String cpus, String len, boolean smi) {
        return "{ name = fw, cpus = \"" + cpus + "\", interarrival = 150us, handler = " + len + ", path = [smi], smi = " + smi + " }";
    }

    /** Records the SMIs the probe point reports, as "cpu@start+len" in us. */
    private static final class SmiLog implements ProbeListener {
        final List<String> smis = new ArrayList<>();

        @Override
        public void smi(PerCpu cpu, int source, long len) { smis.add(cpu.id + "@" + cpu.now / US + "+" + len / US); }
    }

    private static Machine machine(String tracer, String tasks, String irqs) {
        return new Machine("smpemu { duration = 280us, measurement { window = 280us, tracer = " + tracer
            + ", longest-sections = 10 }, topology.cpus = 2, kernel.variant = baseline,"
            + " workload { tasks = [" + tasks + "], irqs = [" + irqs + "] } }");
    }

    @Test
    void anSmiInsideAnIrqOffSectionDelaysItsEndAndTheSectionGrowsByIt() {
        // local_irq_disable from 100 to 200 us; the SMI at 150 us takes 30 us, which the maskable
        // state cannot hold off: the section ends at 230 us and is 130 us long.
        String task = "{ name = t, affinity = [0], program = [{op = compute, duration = 100us},"
            + " {op = irq-off, duration = 100us, path = [stall]}, {op = compute, duration = 10ms}] }";
        SmiLog log = new SmiLog();
        Machine m = machine("irqsoff", task, smiAt150("0", "30us", true)).listen(log).run();
        assertEquals(List.of("0@150+30"), log.smis);
        CpuStats s = m.stats(0);
        assertEquals(1, s.longCount, "the SMI opens no section of its own");
        assertEquals(100 * US, s.longStart[0]);
        assertEquals(130 * US, s.longDur[0], "the section goes on through the SMI");
        assertEquals(List.of("stall"), m.ctx.workload.paths.path(s.longPath[0]));
    }

    @Test
    void anSmiOnAnIdleCpuOpensNoSectionWhereAHandlerWould() {
        SmiLog log = new SmiLog();
        Machine smi = machine("irqsoff", "", smiAt150("0", "50us", true)).listen(log).run();
        assertEquals(List.of("0@150+50"), log.smis, "the SMI did happen");
        assertEquals(0, smi.stats(0).longCount, "invisible to the OS");
        Machine irq = machine("irqsoff", "", smiAt150("0", "50us", false)).run();
        assertEquals(1, irq.stats(0).longCount, "the same source as a hard-IRQ handler is a section");
        assertEquals(50 * US, irq.stats(0).longDur[0]);
    }

    @Test
    void aCsdArrivingDuringAnSmiIsHandledAtItsEnd() {
        // CPU 0 calls CPU 1 at 200 us and waits pinned (baseline); the CSD reaches CPU 1 at
        // 201 us, inside its SMI (150-250 us), and is handled at 250 us; the unlock is seen at
        // 251 us: a 51 us section on CPU 0. Without the SMI it is 2 us (there and back).
        String caller = "{ name = caller, affinity = [0], program = [{op = compute, duration = 200us},"
            + " {op = smp-call, call = single, cpus = \"1\", func = 0ns}, {op = compute, duration = 100ms}] }";
        Machine smi = machine("preemptoff", caller, smiAt150("1", "100us", true)).run();
        assertEquals(1, smi.stats(0).longCount);
        assertEquals(200 * US, smi.stats(0).longStart[0]);
        assertEquals(51 * US, smi.stats(0).longDur[0], "the pinned wait includes the SMI");
        assertEquals(0, smi.stats(1).longCount, "and the target shows no section");
        Machine none = machine("preemptoff", caller, "").run();
        assertEquals(2 * US, none.stats(0).longDur[0]);
    }

    @Test
    void theTimelineShowsTheSmiOnTheHardIrqTrack() {
        Machine m = new Machine("smpemu { duration = 280us, measurement.window = 280us, topology.cpus = 2,"
            + " workload.irqs = [" + smiAt150("0", "50us", true) + "] }", new TraceRecording(0, 280 * US, 2)).run();
        List<String> got = new ArrayList<>();
        for (TraceRecording.Event e : m.ctx.trace.finish(280 * US).get(0)) {
            if (e.lane() == TraceRecording.HARDIRQ) got.add(e.name() + " " + e.ts() / US + "+" + e.dur() / US);
        }
        assertEquals(List.of("SMI fw 150+50"), got);
    }

    @Test
    void anSmiDuringAHandlerDelaysItsExitAndTheInterruptedOp() {
        // A 20 us device handler from 140 us (IRQs on in a compute op that would end at 200 us);
        // the SMI at 150 us takes 40 us: the handler exits at 200 us (20 + 40 us after its
        // entry), the op ends 60 us late, at 260 us, and the next op, a 10 us irq-off section,
        // runs 260-270 us.
        String task = "{ name = t, affinity = [0], program = [{op = compute, duration = 200us},"
            + " {op = irq-off, duration = 10us, path = [after]}, {op = compute, duration = 10ms}] }";
        String nic = "{ name = nic, cpus = \"0\", interarrival = 140us, handler = 20us, path = [nic] }";
        Machine m = machine("irqsoff", task, nic + "," + smiAt150("0", "40us", true)).run();
        CpuStats s = m.stats(0);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < s.longCount; i++) {
            got.add(s.longStart[i] / US + "-" + (s.longStart[i] + s.longDur[i]) / US + " "
                + String.join(">", m.ctx.workload.paths.path(s.longPath[i])));
        }
        got.sort(null);
        assertEquals(List.of("140-200 nic", "260-270 after"), got);
    }
}
