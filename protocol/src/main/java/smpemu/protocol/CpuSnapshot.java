package smpemu.protocol;

/**
 * What the coordinator's scheduling policy sees of one CPU at a decision instant: the running
 * task (-1 when idle), the queued tasks in run-queue order, and the tasks it migrated away since
 * the previous instant (pairs of task id and destination CPU).
 */
public record CpuSnapshot(int cpu, int current, int[] queued, int[] movedOut) implements WireMessage {}
