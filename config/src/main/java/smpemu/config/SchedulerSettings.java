package smpemu.config;

/**
 * Scheduler knobs: the coordinator's balancing instants, the SCHED_RR slice and the slice of the
 * round-robin stand-in for SCHED_OTHER.
 */
public record SchedulerSettings(long balanceIntervalNs, long rrTimesliceNs, long otherTimesliceNs) {}
