package smpemu.node.model;

import smpemu.protocol.TaskState;

/**
 * The program interpreter: runs the current task's program from its pc, instant ops at once and
 * timed ops by arming their completion; kernel operations go to the kernel file that models
 * them (cross-calls and shootdowns to {@link Smp} and {@link Tlb}, scftorture to {@link ScfTorture}).
 */
final class Interpreter {
    private final PerCpu cpu;

    Interpreter(PerCpu cpu) {
        this.cpu = cpu;
    }

    /**
     * Runs the current task from its pc. Each op boundary is a preemption point for full/rt; for
     * none/voluntary only a return to user space, cond_resched() or blocking is
     * (docs/kernel-model.md#preemption-models).
     */
    void continueTask() {
        TaskState t = cpu.current;
        Program p = cpu.w.program(t.id);
        while (true) {
            stepControl(t, p);
            int pc = t.pc;
            int op = p.code[pc];
            if (cpu.needResched && (cpu.ctx.preemption.kernelPreemptible() || op == Program.COMPUTE
                || op == Program.COND_RESCHED)) {
                if (op == Program.COND_RESCHED) t.pc++;
                cpu.sched.putPrevTask();
                cpu.sched.schedule();
                return;
            }
            switch (op) {
                case Program.COND_RESCHED -> t.pc++;
                case Program.YIELD -> {
                    t.pc++;
                    t.sliceUsed = 0;
                    cpu.rq.enqueueTail(t);
                    cpu.sched.schedule();
                    return;
                }
                case Program.SLEEP -> {
                    long d = cpu.draw(t, p.dist[pc]);
                    t.pc++;
                    sleepUntil(t, cpu.now + d);
                    return;
                }
                case Program.PERIODIC_WAIT -> {
                    long period = p.period[pc];
                    long next = t.nextRelease + period;
                    if (next <= cpu.now) next = (cpu.now / period + 1) * period; // overrun: next boundary
                    t.nextRelease = next;
                    t.pc++;
                    sleepUntil(t, next);
                    return;
                }
                case Program.BLOCK -> {
                    t.pc++;
                    if (t.wakePending) {
                        t.wakePending = false;
                        continue;
                    }
                    t.state = TaskState.BLOCKED;
                    t.sliceUsed = 0;
                    cpu.sched.schedule();
                    return;
                }
                case Program.XCALL -> {
                    cpu.smp.startCall(t, p.xcall[pc], -1);
                    return;
                }
                case Program.KSOFTIRQD -> {
                    cpu.softirq.runKsoftirqd(t);
                    return;
                }
                case Program.SCF_INVOKE -> {
                    if (cpu.scf.scftortureInvokeOne(t)) continue;
                    return;
                }
                case Program.EXIT -> {
                    t.state = TaskState.DEAD;
                    cpu.held.remove(t);
                    cpu.sched.schedule();
                    return;
                }
                default -> {
                    startOp(t, p, pc, op);
                    return;
                }
            }
        }
    }

    /** Executes loop and jump ops up to the next op that does something. */
    static void stepControl(TaskState t, Program p) {
        while (true) {
            int pc = t.pc;
            switch (p.code[pc]) {
                case Program.LOOP_BEGIN -> {
                    t.loopLeft[p.slot[pc]] = p.count[pc];
                    t.pc++;
                }
                case Program.LOOP_END -> {
                    if (p.count[pc] < 0 || --t.loopLeft[p.slot[pc]] > 0) {
                        t.pc = p.target[pc];
                    } else {
                        t.pc++;
                    }
                }
                case Program.JUMP -> t.pc = p.target[pc];
                default -> {
                    return;
                }
            }
        }
    }

    /**
     * Draws the duration of a task's next timed op as soon as it stops running. Draws still come
     * in program order from the task's own generator, so nothing observable changes, but the
     * lookahead bound then knows how long the op will take instead of its distribution's minimum.
     */
    void prefetch(TaskState t) {
        Program p = cpu.w.program(t.id);
        stepControl(t, p);
        int op = p.code[t.pc];
        if (Program.isTimed(op) && t.opRemaining < 0) {
            t.opRemaining = op == Program.WAKE ? cpu.ctx.wakeupNs : cpu.draw(t, p.dist[t.pc]);
        }
    }

    /** The shortest a task's op at {@code pc} can take (for the lookahead). */
    long minDuration(Program p, int pc) {
        int op = p.code[pc];
        if (op == Program.WAKE) return cpu.ctx.wakeupNs;
        return Program.isTimed(op) ? p.dist[pc].min() : 0;
    }

    private void startOp(TaskState t, Program p, int pc, int op) {
        if (t.opRemaining < 0) {
            t.opRemaining = op == Program.WAKE ? cpu.ctx.wakeupNs : cpu.draw(t, p.dist[pc]);
        }
        cpu.frame = PerCpu.F_OP;
        if (Program.isLock(op)) {
            cpu.qspinlock.rawSpinLock(t, p, pc); // the hold is armed once the lock is granted
            return;
        }
        // What the op's primitive disables: preemption (spin_lock, preempt_disable,
        // local_bh_disable), interrupts (local_irq_disable), or both (spin_lock_irqsave; a
        // wake-up takes the task's pi_lock so).
        if (op == Program.PREEMPT_OFF || op == Program.PREEMPT_OFF_RAW || op == Program.BH_OFF
            || op == Program.IRQSAVE || op == Program.WAKE) {
            cpu.trace.tracerPreemptOff(p.path[pc], t.id);
        }
        if (op == Program.IRQ_OFF || op == Program.IRQSAVE || op == Program.WAKE) {
            cpu.trace.tracerHardirqsOff(p.path[pc], t.id);
        }
        cpu.armDone(cpu.now + t.opRemaining);
    }

    /** A plain timed op ended: close its section, do its effect, go on (taking pending interrupts first). */
    void opFinished() {
        TaskState t = cpu.current;
        Program p = cpu.w.program(t.id);
        int op = p.code[t.pc];
        if (Program.isLock(op)) cpu.qspinlock.rawSpinUnlock(t); // the release store, then IRQs and preemption on
        cpu.trace.tracerHardirqsOn();
        // local_bh_enable() with softirqs pending runs them before the count drops to zero: the
        // section goes on through them (Softirq ends it).
        boolean bhSoftirq = op == Program.BH_OFF && cpu.softirq.runsOnBhEnable();
        if (!bhSoftirq) cpu.trace.tracerPreemptOn();
        t.opRemaining = -1;
        if (op == Program.WAKE) cpu.sched.tryToWakeUp(p.target[t.pc], cpu.now);
        t.pc++;
        cpu.frame = PerCpu.F_BETWEEN;
        if (bhSoftirq) {
            cpu.softirq.localBhEnable();
            return;
        }
        if (cpu.irq.anyPending()) {
            cpu.irq.irqEnter(); // local_irq_enable(): pending interrupts are taken now
            return;
        }
        continueTask();
    }

    /** ksoftirqd's __do_softirq() ended (kernel/softirq.c: run_ksoftirqd()): on to its cond_resched(). */
    void ksoftirqdDone() {
        cpu.current.pc++;
        cpu.frame = PerCpu.F_BETWEEN;
        if (cpu.irq.anyPending()) {
            cpu.irq.irqEnter();
            return;
        }
        continueTask();
    }

    /** The task sleeps on an hrtimer until {@code at}. */
    void sleepUntil(TaskState t, long at) {
        t.sliceUsed = 0;
        t.state = TaskState.SLEEPING;
        t.sleepUntil = at;
        t.sleepSeq++;
        cpu.q.add(at, cpu.key(PerCpu.EV_TIMER), t.id, t.sleepSeq, null);
        cpu.sched.schedule();
    }
}
