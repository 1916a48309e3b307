package smpemu.config;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * The per-CPU ksoftirqd threads (kernel/softirq.c: spawn_ksoftirqd()): one SCHED_OTHER kernel
 * thread "ksoftirqd/N" pinned to each CPU that has a source raising softirqs, appended after the
 * workload's own tasks (so a workload without softirqs has exactly the tasks it had). User task
 * names cannot contain '/', so these cannot clash with them.
 */
public final class Ksoftirqd {
    private Ksoftirqd() {}

    public static final String PREFIX = "ksoftirqd/";

    static List<TaskSpec> withThreads(WorkloadParser.Workload w) {
        TreeSet<Integer> cpus = new TreeSet<>();
        for (IrqSpec irq : w.irqs()) {
            if (irq != null && irq.softirq() != null) for (int c : irq.cpus()) cpus.add(c);
        }
        if (cpus.isEmpty()) return w.tasks();
        List<TaskSpec> tasks = new ArrayList<>(w.tasks());
        List<Op> program = List.of(new Op.Loop(-1, List.of(new Op.Ksoftirqd(), new Op.CondResched())));
        for (int c : cpus) {
            tasks.add(new TaskSpec(PREFIX + c, Policy.OTHER, 0, 0, new int[] {c}, 1, true, TaskSpec.MM_KERNEL, program));
        }
        return tasks;
    }
}
