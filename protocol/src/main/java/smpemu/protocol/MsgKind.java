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
    /**
     * A CSD pushed onto the destination's call_single_queue (with the IPI if the queue was
     * empty, decided on arrival). {@code src} owns the CSD storage, {@code taskId} waits for it
     * (-1: nobody), {@code arg} = CsdFlags, {@code extra} = mm id of a TLB flush (-1 kernel),
     * {@code value} = callback cost in ns, or pages of a ranged flush.
     */
    public static final int CSD_PUSH = 3;
    /**
     * csd_unlock() became visible at the CSD's owner CPU: {@code arg} = the CPU that ran it,
     * {@code taskId} = the waiter, {@code extra} = CsdFlags.
     */
    public static final int CSD_UNLOCK = 4;
    /** The owner CPU passes an unlock on to its waiter, which has migrated: {@code arg} = target. */
    public static final int CSD_RELEASE = 5;
    /**
     * CPU hotplug (docs/kernel-model.md#hotplug), from the coordinator: take CPU {@code arg} down;
     * {@code taskId} = the operation's number. Every online CPU must run a stopper.
     */
    public static final int STOP_REQUEST = 6;
    /** A stopper runs, IRQs off, on CPU {@code src}: to the control CPU. */
    public static final int STOP_ARRIVED = 7;
    /** Every stopper arrived: CPU {@code arg} leaves the online mask; the stoppers return. */
    public static final int STOP_GO = 8;
    /** From the coordinator: CPU {@code arg} comes online (smpcfd_prepare_cpu, then bring-up). */
    public static final int CPU_ONLINE = 9;
    /**
     * kernel/locking/qspinlock.c (docs/kernel-model.md#qspinlock): CPU {@code src} asks for named
     * lock {@code arg} at the lock's home CPU (the cache line's home): it joins the lock's FIFO
     * queue; {@code taskId} = the task that spins.
     */
    public static final int LOCK_ACQUIRE = 10;
    /**
     * From the lock's home: lock {@code arg} is the destination's now (the release, or the free
     * lock, became visible there); {@code extra} = 1 when the waiter had queued behind a holder.
     */
    public static final int LOCK_GRANT = 11;
    /** The holder on CPU {@code src} released lock {@code arg}: to the lock's home, which hands it on. */
    public static final int LOCK_RELEASE = 12;

    /**
     * A store to arch/x86/mm/tlb.c's shared TLB state became visible at the destination (one
     * cache-line transfer after it was made): {@code arg} = what (TlbState), {@code extra} = mm,
     * {@code taskId} = tlb_gen, {@code value} = lazy flag or the flush's mm_cpumask read time.
     */
    public static final int TLB_STATE = 13;

    /** Number of message kinds; local event classes are numbered from here. */
    public static final int COUNT = 14;
}
