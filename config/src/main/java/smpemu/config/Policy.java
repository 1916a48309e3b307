package smpemu.config;

/** Scheduling policy of a task (sched(7)). */
public enum Policy {
    FIFO, RR, OTHER;

    public boolean isRealTime() { return this != OTHER; }
}
