package smpemu.config;

import java.util.List;

/**
 * A task family from workload.tasks: {@code count} instances named {@code name} (count 1) or
 * {@code name-0 .. name-(count-1)}. {@code affinity} lists the allowed CPUs (sorted, distinct);
 * instance i starts on affinity[i % n]. {@code perCpu} pins instance i to that CPU alone, as the
 * kernel binds its per-CPU kthreads (kworkers, ksoftirqd).
 */
public record TaskSpec(String name, Policy policy, int priority, int nice, int[] affinity, int count,
                       boolean perCpu, List<Op> program) {

    public String instanceName(int i) { return count == 1 ? name : name + "-" + i; }

    /** The CPUs instance i may run on. */
    public int[] instanceAffinity(int i) {
        return perCpu ? new int[] {affinity[i % affinity.length]} : affinity;
    }
}
