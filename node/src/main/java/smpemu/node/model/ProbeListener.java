package smpemu.node.model;

import smpemu.protocol.CrossCallState;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * A listener of the named points the kernel files fire (after gem5's ProbePoint /
 * ProbeListener): statistics, checkers and tests attach one; nothing is attached that is not
 * enabled. Each point says what happened and hands the CPU, so a listener reads the state the
 * kernel code left; a listener never changes the model. Every method is a no-op by default.
 */
interface ProbeListener {
    /**
     * The tracer opened a section on call path {@code path} in task {@code task} (-1: none), with
     * this CPU's preempt_count and IRQ state as they are then.
     */
    default void sectionOpened(PerCpu cpu, int path, int task, int preemptCount, boolean irqsOff) {}

    /** The open section closed; it ran from {@code start} to now on call path {@code path}. */
    default void sectionClosed(PerCpu cpu, long start, int path, int task) {}

    /**
     * trace_hardirqs_off(): interrupts went off on call path {@code path} (a handler's, the
     * scheduler's, or a task op's), whichever tracer is configured.
     */
    default void hardirqsOff(PerCpu cpu, int path, int task) {}

    /** trace_hardirqs_on(): interrupts are on again. */
    default void hardirqsOn(PerCpu cpu) {}

    /** __schedule() picked {@code next}: a context switch starts. */
    default void taskSwitching(PerCpu cpu, TaskState next) {}

    /** finish_task_switch(): {@code t} runs now (its wake request, if any, still recorded). */
    default void taskRunning(PerCpu cpu, TaskState t) {}

    /** ttwu_do_activate(): {@code t} became runnable here. */
    default void taskWoken(PerCpu cpu, TaskState t) {}

    /** {@code t} leaves this CPU for {@code dest} (balancer, or hotplug evacuation). */
    default void taskMigrated(PerCpu cpu, TaskState t, int dest) {}

    /** A TTWU or reschedule IPI leaves this CPU for {@code dest}. */
    default void ipiSent(PerCpu cpu, int dest) {}

    /** The CSD {@code m} found this CPU's queue empty: its sender's call-function IPI is raised here. */
    default void callFunctionIpi(PerCpu cpu, SimMessage m) {}

    /** An interrupt handler starts on this CPU. */
    default void irqTaken(PerCpu cpu) {}

    /** The running interrupt handler is done (irqentry_exit(); another pending one may follow). */
    default void irqExited(PerCpu cpu) {}

    /** An SMI from device source {@code source} took this CPU away for {@code len} ns, from now (invisible to the OS). */
    default void smi(PerCpu cpu, int source, long len) {}

    /** The host took this vCPU's pCPU for {@code len} ns from now (steal time, invisible to the guest). */
    default void hostPreempted(PerCpu cpu, long len) {}

    /** __schedule() found nothing to run: the task that ran (if any) stops and the CPU goes idle. */
    default void cpuIdle(PerCpu cpu) {}

    /** A cross-call or shootdown starts, its code path run. */
    default void callStarted(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {}

    /** A single call's target is offline: it fails with -ENXIO. */
    default void callFailed(PerCpu cpu, TaskState t, XCallSpec x) {}

    /** The dispatch begins: the targets are chosen and the section opened. */
    default void callDispatching(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {}

    /** csd_lock() is about to spin on a CSD that still carries an earlier request. */
    default void csdLockSpinning(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {}

    /** csd_lock_wait() starts; {@code preemptible}: the count is zero there and the model preempts kernel code. */
    default void waitStarted(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c, boolean preemptible) {}

    /** csd_lock_wait() is over: every CSD it polled was unlocked (or, unsafe, it stopped looking). */
    default void waitEnded(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {}

    /** A task preempted in its call runs again (here, possibly after migrating). */
    default void callResumed(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {}

    /** The call returns to its caller. */
    default void callReturned(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {}

    /** {@code n} callbacks ran on this CPU (handler drain or the caller's own local run). */
    default void callbacksRun(PerCpu cpu, int n) {}

    /** This CPU pushes a CSD to {@code target}'s call_single_queue ({@code flags}: CsdFlags). */
    default void csdPushed(PerCpu cpu, TaskState t, int target, int flags) {}

    /** The call-function handler takes the queued CSD {@code m} and runs its callback. */
    default void csdTaken(PerCpu cpu, SimMessage m) {}

    /** A CSD arrives on this CPU's call_single_queue, before it is added. */
    default void csdArriving(PerCpu cpu, SimMessage m) {}

    /** The release store of a CSD this CPU owns arrives (csd_unlock() on the target). */
    default void csdUnlockSeen(PerCpu cpu, SimMessage m) {}

    /** csd_lock_wait_toolong(): a "non-responsive CSD lock" report. */
    default void csdLockReport(PerCpu cpu, TaskState t, int target, long waitedNs) {}

    /**
     * A per-CPU scratch object (the flush_tlb_info, KVM's __pv_cpu_mask) is taken by {@code t};
     * {@code previous} is the task that took it last and has not put it back (-1: none).
     */
    default void perCpuScratchTaken(PerCpu cpu, String what, TaskState t, int previous, int path) {}

    /** This CPU's stopper runs multi_cpu_stop() for taking CPU {@code dying} down. */
    default void stopperStarted(PerCpu cpu, int dying) {}

    /** stop_machine() let the dying CPU go, {@code waitedNs} after the stop request reached it. */
    default void cpuDying(PerCpu cpu, long waitedNs) {}

    /** This CPU came back online. */
    default void cpuOnline(PerCpu cpu) {}

    /** smpcfd_dead_cpu() freed, or smpcfd_prepare_cpu() allocated, this CPU's CSD array. */
    default void csdArray(PerCpu cpu, boolean freed) {}

    /**
     * queued_spin_lock_slowpath() at lock {@code lock}'s home (this CPU): CPU {@code waiter} found
     * it held and queued, {@code depth} waiters now in the queue.
     */
    default void lockContended(PerCpu cpu, int lock, int waiter, int depth) {}

    /** {@code t} took lock {@code lock} after spinning {@code spinNs}; {@code queued}: behind a holder. */
    default void lockAcquired(PerCpu cpu, TaskState t, int lock, long spinNs, boolean queued) {}

    /** {@code t} released lock {@code lock} after holding it {@code heldNs}. */
    default void lockReleased(PerCpu cpu, TaskState t, int lock, long heldNs) {}

    /** scftorture_invoke_one() drew primitive {@code prim} (its ordinal). */
    default void scfInvoked(PerCpu cpu, int prim) {}

    /** should_flush_tlb() on the sender accepted {@code target} for a flush of {@code mm} (-1: a reclaim batch), or the mask demands it. */
    default void tlbFlushSent(PerCpu cpu, int target, int mm) {}

    /** should_flush_tlb() on the sender declined {@code target}: no IPI (lazy, or on another mm). */
    default void tlbFlushDeclined(PerCpu cpu, int target, int mm) {}

    /** A flush this CPU was not sent, done by itself: at switch_mm_irqs_off() (its tlb_gen behind), {@code ns} long. */
    default void tlbFlushDeferred(PerCpu cpu, int mm, long ns) {}

    /** A new tlb_gen of an mm this CPU holds became visible, it got no CSD for it and did not catch up: a stale TLB. */
    default void tlbFlushMissed(PerCpu cpu, int mm, long gen, boolean freedTables) {}
}
