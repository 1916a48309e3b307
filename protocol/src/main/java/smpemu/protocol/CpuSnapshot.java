package smpemu.protocol;

/**
 * What the coordinator sees of one CPU at a decision instant: the running task (-1 when idle),
 * the queued tasks in run-queue order, the tasks it migrated away since the previous instant
 * (pairs of task id and destination CPU), and how its mm_cpumask memberships changed since then,
 * in order: m joined the mask of mm m, -(m + 1) left it; and whether it is offline (hotplug).
 */
public record CpuSnapshot(int cpu, int current, int[] queued, int[] movedOut, int[] mmChanges,
                          boolean offline) implements WireMessage {}
