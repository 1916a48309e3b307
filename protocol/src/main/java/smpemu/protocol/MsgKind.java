package smpemu.protocol;

/**
 * Kinds of cross-CPU messages. The value is also the event class used to order events that fall
 * at the same simulated instant: a task arriving by migration is filed before a wake-up that may
 * have been forwarded after it, and coordinator commands before either.
 */
public final class MsgKind {
    private MsgKind() {}

    /** A task migrated to the destination CPU; payload = its TaskState. */
    public static final int MIGRATE_IN = 0;
    /** Coordinator command: move task {@code taskId} to CPU {@code arg} if it is still queued. */
    public static final int MIGRATE_CMD = 1;
    /** Remote try_to_wake_up(): a TTWU/reschedule IPI for task {@code taskId}. */
    public static final int WAKE = 2;

    /** Number of message kinds; local event classes are numbered from here. */
    public static final int COUNT = 3;
}
