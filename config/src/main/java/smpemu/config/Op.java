package smpemu.config;

import java.util.List;

/**
 * One step of a task program (workload.tasks[i].program). Kernel sections carry the call path
 * that the preempt-off tracer reports, outermost function first.
 */
public sealed interface Op {

    /** User-space work: preemptible in every preemption model; ends in a return to user. */
    record Compute(Dist duration) implements Op {}

    /** Kernel code with preemption enabled: preemptible only under full / rt. */
    record Kernel(Dist duration, List<String> path) implements Op {}

    /**
     * A preempt_count > 0 section (spinlock-like). {@code raw} = a raw spinlock, which stays
     * non-preemptible under PREEMPT_RT; an ordinary spinlock becomes a sleeping lock there.
     */
    record PreemptOff(Dist duration, List<String> path, boolean raw) implements Op {}

    /** A local_irq_disable() section: interrupts stay pending until it ends; preemption is not counted off. */
    record IrqOff(Dist duration, List<String> path) implements Op {}

    /**
     * A spin_lock_irqsave() section: preemption and interrupts both off. {@code raw}: a raw
     * spinlock; an ordinary one sleeps under PREEMPT_RT, with IRQs on.
     */
    record SpinLockIrqsave(Dist duration, List<String> path, boolean raw) implements Op {}

    /**
     * A named spinlock of workload.locks taken, held for {@code duration} (the critical section)
     * and released: spin_lock() (preemption off while spinning and holding) or, with
     * {@code irqsave}, spin_lock_irqsave() (IRQs off too). Waiters queue FIFO, as qspinlock's
     * MCS queue does (docs/kernel-model.md#qspinlock).
     */
    record SpinLock(String lock, Dist duration, List<String> path, boolean irqsave) implements Op {}

    /** A local_bh_disable() section: softirqs (and so preemption) off, interrupts on. */
    record BhOff(Dist duration, List<String> path) implements Op {}

    /** Sleep for a relative time (an hrtimer on the task's CPU wakes it). */
    record Sleep(Dist duration) implements Op {}

    /** Block until woken by a wake op or an interrupt handler. */
    record Block() implements Op {}

    /** try_to_wake_up() of the named task instance. */
    record Wake(String task) implements Op {}

    /** sched_yield(). */
    record Yield() implements Op {}

    /**
     * kernel/softirq.c: run_ksoftirqd(): one __do_softirq() of this CPU's pending softirqs, or sleep
     * until wakeup_softirqd() when none are pending. Not a scenario op: only the ksoftirqd/N
     * threads the settings add for CPUs with softirq sources run it (docs/kernel-model.md#softirq).
     */
    record Ksoftirqd() implements Op {}

    /** cond_resched(): a voluntary preemption point (none, voluntary). */
    record CondResched() implements Op {}

    /** Repeat {@code body} {@code count} times; count < 0 = forever. */
    record Loop(int count, List<Op> body) implements Op {}

    /**
     * A periodic real-time activity (DPDK-like): sleep until the next period boundary
     * (absolute, period-aligned from the task's start), then run {@code work}; forever.
     */
    record Periodic(long periodNs, Dist work) implements Op {}

    /** The smp_call_function*() entry points (docs/kernel-model.md#smp-caller). */
    enum CallKind { SINGLE, SINGLE_ASYNC, ANY, MANY, ALL, ON_EACH_CPU, ON_EACH_CPU_MASK, ON_EACH_CPU_COND }

    /**
     * A direct cross-call (scftorture-style load). {@code cpus}: the target CPU (single: one of
     * them at random per call), the mask (any, many, on-each-cpu-mask) or the CPUs for which
     * cond_func is true (on-each-cpu-cond); all CPUs when null. {@code func}: callback time.
     * {@code underLock}: the caller already holds preemption disabled (a spinlock): the
     * caller-nesting rule keeps the whole call pinned.
     */
    record CrossCall(CallKind call, boolean waits, int[] cpus, Dist func, List<String> path,
                     boolean underLock) implements Op {}

    /** The TLB-flush paths of arch/x86/mm/tlb.c that the workload reaches (docs/kernel-model.md#tlb). */
    enum FlushKind { MUNMAP, MADVISE, EXIT_MMAP, RECLAIM, VMALLOC_PURGE }

    /**
     * A TLB shootdown from a workload operation: munmap / madvise of {@code pages} pages of the
     * task's mm (flush_tlb_mm_range), process exit (freed page tables: every CPU of mm_cpumask,
     * lazy ones included), reclaim (arch_tlbbatch_flush over the mms it unmapped), vmalloc purge
     * (flush_tlb_kernel_range on every CPU).
     */
    record TlbFlush(FlushKind kind, int pages, List<String> path, boolean underLock) implements Op {}

    /**
     * One scftorture invocation (docs/kernel-model.md#scftorture_invoke_one): a primitive drawn by the scftorture
     * weights, called under preempt_disable() (before patch 9) or cpus_read_lock().
     */
    record ScfInvoke() implements Op {}
}
