package smpemu.node.model;

import smpemu.config.PreemptionModel;
import smpemu.config.SoftirqSettings;
import smpemu.config.SoftirqSpec;
import smpemu.config.SoftirqVector;
import smpemu.protocol.TaskState;

/**
 * kernel/softirq.c on this CPU (docs/kernel-model.md#softirq): the pending vectors and their
 * work, __do_softirq() on IRQ exit (IRQs on, BH disabled: the preemptoff tracer sees it, the
 * irqsoff tracer only the hard-IRQ part before it), its budget (MAX_SOFTIRQ_TIME,
 * MAX_SOFTIRQ_RESTART; net_rx_action()'s netdev_budget and netdev_budget_usecs), and the
 * ksoftirqd/N thread that runs what is left as a SCHED_OTHER task, preemptible between its
 * __do_softirq() calls. Under PREEMPT_RT (kernel.preemption = rt) softirqs run in thread context
 * only: IRQ exit wakes ksoftirqd, whose softirq processing keeps preemption enabled (the BH
 * "lock" is a per-CPU local lock), so no tracer sees it.
 *
 * <p>One softirq action is one timed step ("batch"): a hard IRQ may interrupt it (IRQs are on),
 * its exit then returns here; softirqs raised meanwhile wait for the restart check.
 */
final class Softirq {
    private static final int NET_RX = SoftirqVector.NET_RX.ordinal();
    private static final int VECTORS = SoftirqVector.ALL.size();

    private final PerCpu cpu;
    private final SoftirqSettings budget;
    /** PREEMPT_RT: softirqs are processed in ksoftirqd only, preemptibly. */
    private final boolean threaded;
    /** The task id of this CPU's ksoftirqd/N (-1: no softirq source here). */
    private final int ksoftirqd;

    /** local_softirq_pending() and, per vector, the work raised and not yet run (ns; units: NET_RX packets). */
    private int pending;
    private final long[] workNs = new long[VECTORS];
    private final long[] units = new long[VECTORS];

    // the __do_softirq() in progress
    private boolean running;
    private boolean inThread;
    private boolean tracedOff;
    private boolean wakeAfter;
    private long start;
    private int restartsLeft;
    /** The vectors of this round not yet run (the pending mask __do_softirq() took). */
    private int round;
    /** The interrupted task frame's remaining time (softirq on IRQ exit). */
    private long taskRemaining;

    Softirq(PerCpu cpu) {
        this.cpu = cpu;
        this.budget = cpu.ctx.settings.kernel().softirq();
        this.threaded = cpu.ctx.preemption == PreemptionModel.RT;
        this.ksoftirqd = cpu.w.idOf(smpemu.config.Ksoftirqd.PREFIX + cpu.id);
    }

    /** Whether a __do_softirq() is running on this CPU (in_serving_softirq()). */
    boolean running() { return running; }

    /** ksoftirqd's preempt_count while it serves softirqs (SOFTIRQ_OFFSET; none under PREEMPT_RT). */
    int threadPreemptCount() { return running && inThread && tracedOff ? 1 : 0; }

    /** Whether the running __do_softirq() is ksoftirqd's (task context) rather than an IRQ exit's. */
    boolean inThread() { return running && inThread; }

    /** kernel/softirq.c: raise_softirq(): the handler of {@code s}'s source leaves its work pending. */
    void raiseSoftirq(SoftirqSpec s) {
        int v = s.vector().ordinal();
        long per = s.work().sample(cpu.rng);
        workNs[v] += per * s.units();
        units[v] += s.units();
        pending |= 1 << v;
    }

    /**
     * kernel/softirq.c: invoke_softirq(), from irq_exit_rcu() once the last handler is done and
     * the CPU is not in interrupt context (in_interrupt(): a softirq or a BH-disabled section is
     * not interrupted so; they run what is pending at their own end). Called still in the
     * hard-IRQ frame (HARDIRQ_OFFSET is dropped here when softirqs run), so that a wake-up of
     * ksoftirqd on an idle CPU schedules on the way out. Returns whether softirq processing took
     * over the CPU (it then returns to the interrupted frame itself).
     */
    boolean invokeSoftirq() {
        if (pending == 0 || running || !bhEnabledInFrame()) return false;
        if (threaded) { // PREEMPT_RT: in thread context only
            wakeupSoftirqd();
            return false;
        }
        taskRemaining = cpu.savedRemaining;
        cpu.inIrq = false;
        doSoftirq(false);
        return true;
    }

    /** Whether the end of a local_bh_disable() section runs softirqs ({@link #localBhEnable()}). */
    boolean runsOnBhEnable() { return pending != 0 && !running && !threaded; }

    /**
     * kernel/softirq.c: __local_bh_enable_ip() at the end of a local_bh_disable() section with
     * softirqs raised meanwhile: do_softirq() runs them before preempt_count drops to zero, so
     * the section that local_bh_disable() opened lasts until they are done (its preempt hook is
     * still off, so this opens nothing and the end closes it). The task is between ops; it goes
     * on afterwards.
     */
    void localBhEnable() {
        taskRemaining = 0;
        doSoftirq(false);
    }

    /** Softirqs wait while the interrupted frame has BH disabled or is a stopper (multi_cpu_stop). */
    private boolean bhEnabledInFrame() {
        if (cpu.frame == PerCpu.F_STOP || !cpu.irq.irqsEnabled()) return false;
        return cpu.frame != PerCpu.F_OP || cpu.current.xcall != null
            || cpu.w.program(cpu.current.id).code[cpu.current.pc] != Program.BH_OFF;
    }

    /**
     * kernel/softirq.c: __do_softirq() (handle_softirqs()): BH disabled (SOFTIRQ_OFFSET: the
     * preemptoff tracer's hook when the count was zero), IRQs enabled, then each pending vector's
     * action, restarting while work is pending, less than MAX_SOFTIRQ_TIME has passed, nothing
     * needs the CPU and restarts are left; what is left then wakes ksoftirqd.
     */
    private void doSoftirq(boolean thread) {
        int first = Integer.numberOfTrailingZeros(pending);
        TaskState t = cpu.current;
        tracedOff = !threaded && cpu.taskPreemptCount() == 0;
        running = true;
        inThread = thread;
        start = cpu.now;
        restartsLeft = budget.maxRestart();
        round = pending;
        int path = cpu.w.softirqPath(first, thread), task = t == null ? -1 : t.id;
        if (!thread) {
            cpu.trace.tracerSoftirqEntry(tracedOff, path, task); // softirq_handle_begin(), then local_irq_enable()
        } else if (tracedOff) {
            cpu.trace.tracerPreemptOff(path, task);
        }
        nextAction();
    }

    /** The softirq action that just ran ended. */
    void actionDone() { nextAction(); }

    private void nextAction() {
        if (round == 0) {
            if (pending != 0 && cpu.now - start < budget.maxTimeNs() && !cpu.needResched && --restartsLeft > 0) {
                round = pending; // restart
            } else {
                wakeAfter = pending != 0;
                end();
                return;
            }
        }
        int v = Integer.numberOfTrailingZeros(round);
        round &= ~(1 << v);
        pending &= ~(1 << v); // set_softirq_pending(0) of the round; an action with work left raises itself again
        cpu.armDone(cpu.now + action(v));
    }

    /**
     * The length of vector {@code v}'s action on what is pending. net/core/dev.c: net_rx_action()
     * stops at netdev_budget packets or once netdev_budget_usecs have passed (after the packet
     * that crosses it) and raises NET_RX again when packets are left; other vectors run all
     * their pending work.
     */
    private long action(int v) {
        long ns = workNs[v];
        long n = units[v];
        if (v == NET_RX && n > 0) {
            long per = ns / n;
            long k = Math.min(n, budget.netdevBudget());
            if (per > 0) k = Math.min(k, (budget.netdevBudgetNs() + per - 1) / per);
            if (k < n) {
                ns = per * k;
                pending |= 1 << v; // __raise_softirq_irqoff(NET_RX_SOFTIRQ): time_squeeze
            }
            workNs[v] -= ns;
            units[v] -= k;
            return ns;
        }
        workNs[v] = 0;
        units[v] = 0;
        return ns;
    }

    /** softirq_handle_end(): BH enabled again; back to the interrupted frame, or ksoftirqd goes on. */
    private void end() {
        if (wakeAfter) wakeupSoftirqd(); // while still in softirq: an idle CPU schedules it on the way out
        wakeAfter = false;
        running = false;
        if (tracedOff) cpu.trace.tracerPreemptOn();
        if (inThread) {
            cpu.interp.ksoftirqdDone();
        } else {
            cpu.savedRemaining = taskRemaining;
            cpu.irq.returnToFrame();
        }
    }

    /** kernel/softirq.c: wakeup_softirqd(): ksoftirqd/N becomes runnable (a local wake-up). */
    private void wakeupSoftirqd() {
        if (ksoftirqd < 0) return;
        TaskState t = cpu.find(ksoftirqd);
        if (t != null) cpu.sched.ttwuDoActivate(t, cpu.now);
    }

    /**
     * kernel/softirq.c: run_ksoftirqd(), ksoftirqd's loop body (smpboot_thread_fn): with softirqs
     * pending, one __do_softirq() in task context (then cond_resched()); without, sleep until the
     * next wakeup_softirqd().
     */
    void runKsoftirqd(TaskState t) {
        if (pending == 0) {
            t.wakePending = false;
            t.state = TaskState.BLOCKED;
            t.sliceUsed = 0;
            cpu.sched.schedule();
            return;
        }
        cpu.frame = PerCpu.F_OP;
        doSoftirq(true);
    }
}
