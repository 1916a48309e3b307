package smpemu.protocol;

/**
 * What the coordinator sees of one CPU at a decision instant: the running task (-1 when idle),
 * the queued tasks in run-queue order, the tasks it migrated away since the previous instant
 * (pairs of task id and destination CPU), and whether it is offline (hotplug).
 */
public record CpuSnapshot(int cpu, int current, int[] queued, int[] movedOut, boolean offline) implements WireMessage {}
