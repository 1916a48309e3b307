package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import smpemu.protocol.TaskState;

/** Probe points: a listener hears only the points it overrides; sections report preempt_count and IRQ state. */
class ProbesTest {
    @Test
    void aListenerIsAttachedOnlyToThePointsItOverrides() {
        Probes p = new Probes();
        List<String> heard = new ArrayList<>();
        p.attach(new ProbeListener() {
            @Override
            public void csdPushed(PerCpu cpu, TaskState t, int target, int flags) { heard.add("pushed " + target); }
        });
        assertFalse(p.sectionOpenedOn());
        p.csdPushed(null, null, 3, 0);
        p.taskWoken(null, null);
        assertEquals(List.of("pushed 3"), heard);
    }

    @Test
    void sectionsSayWhatDisabledThem() {
        // CPU 0: a spinlock section at 100 us, an IRQ-off one at 300 us, then a pinned
        // smp_call_function_single() to CPU 1 at 500 us (baseline: get_cpu() held across the wait).
        String tasks = "{ name = t, affinity = [0], program = [{op = compute, duration = 100us},"
            + " {op = preempt-off, raw = true, duration = 50us}, {op = compute, duration = 150us},"
            + " {op = irq-off, duration = 50us}, {op = compute, duration = 150us},"
            + " {op = smp-call, call = single, cpus = \"1\", func = 0ns}, {op = compute, duration = 100ms}] },"
            + " { name = u, affinity = [1], program = [{op = compute, duration = 100ms}] }";
        List<String> opened = new ArrayList<>();
        new Machine("smpemu { measurement.tracer = preemptirqsoff, workload.tasks = [" + tasks + "] }").listen(new ProbeListener() {
            @Override
            public void sectionOpened(PerCpu cpu, int path, int task, int preemptCount, boolean irqsOff) {
                if (cpu.id == 0 && task >= 0 && cpu.frame == PerCpu.F_OP) opened.add(cpu.now / 1000 + " us: " + preemptCount + (irqsOff ? " irqs-off" : ""));
            }
        }).run();
        assertEquals(List.of("100 us: 1", "300 us: 0 irqs-off", "500 us: 1"), opened);
    }
}
