package smpemu.config;

import java.util.List;

/**
 * A task family from workload.tasks: {@code count} instances named {@code name} (count 1) or
 * {@code name-0 .. name-(count-1)}. {@code affinity} lists the allowed CPUs (sorted, distinct);
 * instance i starts on affinity[i % n]. {@code perCpu} pins instance i to that CPU alone, as the
 * kernel binds its per-CPU kthreads (kworkers, ksoftirqd). {@code mm}: the address space:
 * {@link #MM_PRIVATE} (each instance its own process), {@link #MM_KERNEL} (a kernel thread, which
 * runs on a borrowed mm: lazy TLB), or a name shared by every task naming it (threads of one process).
 */
public record TaskSpec(String name, Policy policy, int priority, int nice, int[] affinity, int count,
                       boolean perCpu, String mm, List<Op> program) {

    public static final String MM_PRIVATE = "private";
    public static final String MM_KERNEL = "kernel";

    public String instanceName(int i) { return count == 1 ? name : name + "-" + i; }

    /** The CPUs instance i may run on. */
    public int[] instanceAffinity(int i) {
        return perCpu ? new int[] {affinity[i % affinity.length]} : affinity;
    }
}
