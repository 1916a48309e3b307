package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kernel/trace/trace_irqsoff.c: which tracer sees what, for how long. One CPU, zero costs; a
 * task runs a spin_lock_irqsave section (100-150 us), a local_irq_disable section (300-350 us),
 * a spinlock section (500-550 us) and a local_bh_disable section (700-750 us); a device
 * interrupt (20 us handler) is raised every millisecond, at 1000 us while IRQs are on; the run
 * ends at 1.5 ms.
 */
class TraceIrqsoffTest {
    private static final long US = 1_000;

    private static final String TASK = "{ name = t, program = [{op = compute, duration = 100us},"
        + " {op = spin-lock-irqsave, duration = 50us, path = [irqsave]}, {op = compute, duration = 150us},"
        + " {op = irq-off, duration = 50us, path = [irqoff]}, {op = compute, duration = 150us},"
        + " {op = preempt-off, duration = 50us, path = [spin]}, {op = compute, duration = 150us},"
        + " {op = bh-off, duration = 50us, path = [bh]}, {op = compute, duration = 10ms}] }";
    private static final String NIC = "{ name = nic, cpus = \"0\", interarrival = 1ms, handler = 20us, path = [nic_irq] }";

    /** The sections a tracer records on that timeline, as "start-end path kind". */
    private static List<String> sections(String tracer) {
        Machine m = new Machine("smpemu { duration = 1500us, measurement { window = 1500us, tracer = " + tracer + ", longest-sections = 10 },"
            + " topology.cpus = 1,"
            + " workload { tasks = [" + TASK + "], irqs = [" + NIC + "] } }").run();
        CpuStats s = m.stats(0);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < s.longCount; i++) {
            out.add(s.longStart[i] / US + "-" + (s.longStart[i] + s.longDur[i]) / US + " "
                + String.join(">", m.ctx.workload.paths.path(s.longPath[i])) + " " + CpuStats.kindName(s.longKind[i]));
        }
        out.sort(null);
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "preemptoff     | 100-150 irqsave preempt+irqs; 500-550 spin preempt; 700-750 bh preempt",
        "irqsoff        | 100-150 irqsave preempt+irqs; 1000-1020 nic_irq irqs; 300-350 irqoff irqs",
        "preemptirqsoff | 100-150 irqsave preempt+irqs; 1000-1020 nic_irq irqs; 300-350 irqoff irqs; 500-550 spin preempt; 700-750 bh preempt",
    })
    void eachTracerSeesWhatItsHooksSee(String tracer, String expected) {
        assertEquals(List.of(expected.split("; ")), sections(tracer));
    }

    @Test
    void aHardIrqInsideAPreemptOffSectionExtendsItButDoesNotOpenOne() {
        // The interrupt is raised at 1000 us, inside a 100 us spinlock section from 950 us: under
        // preemptoff the section takes the handler's 20 us in and ends at 1070 us.
        String task = "{ name = t, program = [{op = compute, duration = 950us}, {op = preempt-off, duration = 100us,"
            + " path = [spin]}, {op = compute, duration = 10ms}] }";
        String nic = NIC;
        Machine m = new Machine("smpemu { duration = 1500us, measurement { window = 1500us, tracer = preemptoff },"
            + " topology.cpus = 1,"
            + " workload { tasks = [" + task + "], irqs = [" + nic + "] } }").run();
        assertEquals(1, m.stats(0).longCount);
        assertEquals(950 * US, m.stats(0).longStart[0]);
        assertEquals(120 * US, m.stats(0).longDur[0], "the handler's 20 us are added to the section");
        assertEquals(TraceIrqsoff.PREEMPT | TraceIrqsoff.IRQS, m.stats(0).longKind[0], "and it saw IRQs off");
    }
}
