package smpemu.protocol;

/**
 * The mutable state of one simulated task. Owned by exactly one CPU model at a time and handed
 * over whole when the task migrates; its static description (policy, priority, affinity,
 * program) is looked up by {@code id} in the run's immutable workload table.
 */
public final class TaskState implements WireMessage {
    public static final int RUNNABLE = 0;   // queued or running
    public static final int SLEEPING = 1;   // waiting for its timer
    public static final int BLOCKED = 2;    // waiting for a wake-up
    public static final int DEAD = 3;

    public int id;
    public int state;
    /** Index of the current op in the compiled program. */
    public int pc;
    /** Remaining time of the current timed op, or -1 when not yet drawn. */
    public long opRemaining = -1;
    /** Remaining iterations of each loop of the program (by loop slot). */
    public int[] loopLeft;
    public long rngState;
    /** Next release of a periodic op (absolute ns). */
    public long nextRelease;
    /** When the pending wake-up was requested (-1 = none): RT wake-up latency starts here. */
    public long wakeRequestedAt = -1;
    /** When the task last started running, and the slice it had used before (time slices). */
    public long runSince;
    public long sliceUsed;
    /** End of the current timed sleep, and its generation (a stale timer is ignored). */
    public long sleepUntil;
    public int sleepSeq;
    /** A wake-up arrived while the task was runnable: its next block returns at once. */
    public boolean wakePending;
    /** The cross-call the task is in (null when none); see CrossCallState. */
    public CrossCallState xcall;
    public int xcallSeq;

    public TaskState() {}

    public TaskState(int id, int loopSlots, long rngState) {
        this.id = id;
        this.loopLeft = new int[loopSlots];
        this.rngState = rngState;
    }
}
