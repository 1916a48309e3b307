package smpemu.node.model;

import smpemu.config.LockSettings;
import smpemu.protocol.MsgKind;
import smpemu.protocol.TaskState;

/**
 * kernel/locking/qspinlock.c (and the spin_lock() / spin_lock_irqsave() wrappers of
 * include/linux/spinlock_api_smp.h) for the named locks of workload.locks
 * (docs/kernel-model.md#qspinlock), on this CPU, in its two roles:
 * <ul>
 * <li>as a lock's <em>home</em> (the CPU the lock's cache line lives with): it keeps the lock's
 *     owner and its FIFO queue of waiting CPUs, qspinlock's MCS queue. Acquisitions and releases
 *     reach it as messages and are served in this CPU's total event order, so every engine hands
 *     the lock on in the same order; the home's own tasks use it without a message. It costs this
 *     CPU no time;</li>
 * <li>as a <em>waiter</em> and <em>holder</em>: the current task spins (preemption off, and IRQs
 *     off for _irqsave) from its request until the grant arrives, then holds the lock for its op's
 *     drawn duration and releases it. Each leg between a CPU and the home takes one cache-line
 *     transfer ({@link LockSettings#transferNs}).</li>
 * </ul>
 * A task in a lock op is never preempted (with preemption off it cannot be; under PREEMPT_RT an
 * ordinary lock is an rt_mutex that disables nothing, and the model keeps its waiter on the CPU,
 * as rt_mutex's adaptive spinning does while the owner runs).
 */
final class Qspinlock {
    private final PerCpu cpu;
    private final LockSettings settings;
    /** Per lock: the CPU holding it (-1: free) and the CPUs queued for it, oldest first; only for locks homed here. */
    private final int[] owner;
    private final Fifo[] queue;
    /** The lock the current task spins on (-1: none), since when, and whether a grant waits for an IRQ handler's end. */
    private int spinning = -1;
    private long spinStart;
    private boolean granted;
    private boolean grantQueued;
    /** The lock the current task holds (-1: none) and since when. */
    private int held = -1;
    private long holdStart;

    Qspinlock(PerCpu cpu) {
        this.cpu = cpu;
        this.settings = cpu.ctx.settings.locks();
        int n = settings.locks().size();
        this.owner = new int[n];
        this.queue = new Fifo[n];
        for (int l = 0; l < n; l++) {
            owner[l] = -1;
            if (settings.locks().get(l).home() == cpu.id) queue[l] = new Fifo();
        }
    }

    /** Whether the current task is inside a lock op (spinning or holding): it is not preempted there. */
    boolean inLockOp() { return spinning >= 0 || held >= 0; }

    /** Whether the current task spins for a lock (no completion is armed). */
    boolean spinning() { return spinning >= 0; }

    /**
     * include/linux/spinlock_api_smp.h: __raw_spin_lock() / __raw_spin_lock_irqsave(): IRQs off
     * (_irqsave), preemption off, then queued_spin_lock() asks the lock's home. The tracer's
     * section opens here, on the spin's call path: the spin is part of the waiter's section.
     */
    void rawSpinLock(TaskState t, Program p, int pc) {
        int op = p.code[pc];
        int lock = p.target[pc];
        if (op == Program.SPIN_LOCK_IRQSAVE) cpu.trace.tracerHardirqsOff(p.spinPath[pc], t.id);
        if (op != Program.SPIN_LOCK_RT) cpu.trace.tracerPreemptOff(p.spinPath[pc], t.id);
        spinning = lock;
        spinStart = cpu.now;
        queuedSpinLock(lock, t.id, t.opRemaining);
    }

    /**
     * include/asm-generic/qspinlock.h: queued_spin_lock(): the request travels to the lock's cache
     * line. It carries the hold the waiter will do, for the engine's bound only: the grant makes
     * its receiver send nothing before that hold is over (SendBounds).
     */
    private void queuedSpinLock(int lock, int taskId, long holdNs) {
        int home = settings.locks().get(lock).home();
        if (home == cpu.id) {
            queuedSpinLockSlowpath(lock, cpu.id, holdNs);
        } else {
            send(MsgKind.LOCK_ACQUIRE, home, taskId, lock, 0, holdNs);
        }
    }

    /**
     * kernel/locking/qspinlock.c: queued_spin_lock_slowpath(), at the lock's home: a free lock
     * goes to the requester at once; otherwise it joins the tail of the queue (the MCS xchg).
     */
    void queuedSpinLockSlowpath(int lock, int src, long holdNs) {
        if (owner[lock] < 0) {
            owner[lock] = src;
            grant(lock, src, false, holdNs);
            return;
        }
        queue[lock].add(src, holdNs);
        cpu.probe.lockContended(cpu, lock, src, queue[lock].size);
    }

    /**
     * include/asm-generic/qspinlock.h: queued_spin_unlock(): the owner's release store as the
     * lock's home sees it: the head of the queue, spinning on the lock word in
     * queued_spin_lock_slowpath(), takes the lock (and the grant travels to it), or the lock is free.
     */
    void queuedSpinUnlock(int lock) {
        Fifo q = queue[lock];
        if (q.size == 0) {
            owner[lock] = -1;
            return;
        }
        long hold = q.headHold();
        int next = q.poll();
        owner[lock] = next;
        grant(lock, next, true, hold);
    }

    private void grant(int lock, int dst, boolean queued, long holdNs) {
        if (dst == cpu.id) {
            lockGranted(lock, queued);
        } else {
            send(MsgKind.LOCK_GRANT, dst, -1, lock, queued ? 1 : 0, holdNs);
        }
    }

    /**
     * The waiter sees the lock its own: the spin ends, the critical section begins. In a hard-IRQ
     * handler that interrupted the spin (spin_lock() leaves IRQs on), it takes it when the handler
     * returns.
     */
    void lockGranted(int lock, boolean queued) {
        if (lock != spinning) throw new IllegalStateException("cpu " + cpu.id + ": lock " + lock + " granted, spinning on " + spinning);
        if (cpu.inIrq) {
            granted = true;
            grantQueued = queued;
            return;
        }
        acquired(queued);
    }

    /** Interrupt exit to the spinning task: it takes a lock granted meanwhile, or spins on. */
    void spinResumed() {
        if (granted) acquired(grantQueued);
    }

    private void acquired(boolean queued) {
        TaskState t = cpu.current;
        Program p = cpu.w.program(t.id);
        int lock = spinning;
        spinning = -1;
        granted = false;
        held = lock;
        holdStart = cpu.now;
        // A section that queued behind a holder keeps the spin's path (as a cross-call's ends in
        // csd_lock_wait); an uncontended one is the op's own.
        if (!queued && p.code[t.pc] != Program.SPIN_LOCK_RT) cpu.trace.setCallPath(p.path[t.pc]);
        cpu.probe.lockAcquired(cpu, t, lock, cpu.now - spinStart, queued);
        cpu.armDone(cpu.now + t.opRemaining);
    }

    /**
     * include/linux/spinlock_api_smp.h: __raw_spin_unlock() / _irqrestore(): the release store
     * travels to the lock's home (the caller then re-enables IRQs and preemption).
     */
    void rawSpinUnlock(TaskState t) {
        int lock = held;
        held = -1;
        cpu.probe.lockReleased(cpu, t, lock, cpu.now - holdStart);
        int home = settings.locks().get(lock).home();
        if (home == cpu.id) {
            queuedSpinUnlock(lock);
        } else {
            send(MsgKind.LOCK_RELEASE, home, t.id, lock, 0, 0);
        }
    }

    private void send(int kind, int dest, int taskId, int lock, int extra, long value) {
        cpu.sendAfter(settings.transferNs(cpu.ctx.topology, cpu.id, dest), kind, dest, taskId, lock, extra, value);
    }

    /** A lock's waiting CPUs with their holds, oldest first: a growable ring (one entry per CPU at most). */
    private static final class Fifo {
        private int[] a = new int[4];
        private long[] hold = new long[4];
        private int head;
        int size;

        void add(int v, long holdNs) {
            if (size == a.length) {
                int[] b = new int[2 * a.length];
                long[] h = new long[2 * a.length];
                for (int i = 0; i < size; i++) {
                    b[i] = a[(head + i) % a.length];
                    h[i] = hold[(head + i) % a.length];
                }
                a = b;
                hold = h;
                head = 0;
            }
            hold[(head + size) % a.length] = holdNs;
            a[(head + size++) % a.length] = v;
        }

        long headHold() { return hold[head]; }

        int poll() {
            int v = a[head];
            head = (head + 1) % a.length;
            size--;
            return v;
        }
    }
}
