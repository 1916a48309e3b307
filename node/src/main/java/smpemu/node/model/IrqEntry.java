package smpemu.node.model;

import smpemu.protocol.CrossCallState;
import smpemu.protocol.TaskState;

/**
 * Interrupt entry and exit (arch/x86/entry and kernel/entry/common.c): pending vectors are taken
 * when IRQs are on, one handler at a time, highest first (the call-function IPI, the reschedule
 * IPI, hrtimers, device interrupts, the tick); at exit the pending ones run back to back, then
 * the interrupted frame resumes or, if it may be preempted, the scheduler runs.
 */
final class IrqEntry {
    private final PerCpu cpu;

    IrqEntry(PerCpu cpu) {
        this.cpu = cpu;
    }

    /** Whether interrupts are enabled in the task frame (the local callback and context switch run with them off). */
    boolean irqsEnabled() {
        if (cpu.frame == PerCpu.F_SWITCH) return false;
        if (cpu.frame == PerCpu.F_OP) {
            TaskState t = cpu.current;
            int op = cpu.w.program(t.id).code[t.pc];
            if (t.xcall != null) return t.xcall.phase != CrossCallState.LOCAL;
            return op != Program.IRQ_OFF && op != Program.IRQSAVE && op != Program.SPIN_LOCK_IRQSAVE && op != Program.WAKE;
        }
        return true;
    }

    boolean anyPending() {
        return cpu.callIpiPending || cpu.ipiPending || !cpu.expiredTimers.isEmpty() || cpu.tickPending
            || cpu.irqsPending > 0;
    }

    /** Interrupt entry: if IRQs are on and one is pending, the current activity is suspended and its handler runs. */
    void irqEnter() {
        if (cpu.inIrq || !irqsEnabled() || !anyPending()) return;
        if (cpu.doneArmed) {
            cpu.savedRemaining = cpu.doneTime - cpu.now;
            cpu.doneArmed = false;
        } else {
            cpu.savedRemaining = 0;
        }
        cpu.inIrq = true;
        cpu.trace.tracerHardirqsOff(pendingPath(), cpu.current == null ? -1 : cpu.current.id);
        handleIrq();
    }

    /** The call path of the handler {@link #handleIrq()} will run first. */
    private int pendingPath() {
        if (cpu.callIpiPending) return cpu.w.callFunctionIpiPath;
        if (cpu.ipiPending) return cpu.w.reschedIpiPath;
        if (!cpu.expiredTimers.isEmpty()) return cpu.w.hrtimerPath;
        if (cpu.irqsPending > 0) {
            int i = 0;
            while (cpu.irqRaisedAt[i] < 0) i++;
            return cpu.irqs.get(i).pathId();
        }
        return cpu.w.tickPath;
    }

    /** Runs the highest pending interrupt: IPI, then hrtimers, then device IRQs, then the tick. */
    private void handleIrq() {
        long cost;
        cpu.probe.irqTaken(cpu);
        if (cpu.callIpiPending) {
            cost = cpu.smp.genericSmpCallFunctionSingleInterrupt();
        } else if (cpu.ipiPending) {
            cost = cpu.sched.schedulerIpi();
        } else if (!cpu.expiredTimers.isEmpty()) {
            cost = hrtimerInterrupt();
        } else if (cpu.irqsPending > 0) {
            cost = deviceInterrupt();
        } else {
            cpu.tickPending = false;
            cpu.sched.schedulerTick();
            cost = cpu.ctx.tickHandlerNs;
        }
        cpu.armDone(cpu.now + cost);
    }

    /** kernel/time/hrtimer.c: hrtimer_interrupt(): the expired sleeps wake their tasks. */
    private long hrtimerInterrupt() {
        for (int i = 0; i < cpu.expiredTimers.size(); i++) {
            TaskState t = cpu.find(cpu.expiredTimers.key(i));
            if (t != null && t.state == TaskState.SLEEPING) cpu.sched.ttwuDoActivate(t, cpu.expiredTime.get(i));
        }
        cpu.expiredTimers.clear();
        cpu.expiredTime.clear();
        return cpu.ctx.tickHandlerNs;
    }

    /** The lowest pending device vector's handler (or the host preempting this vCPU). */
    private long deviceInterrupt() {
        int i = 0;
        while (cpu.irqRaisedAt[i] < 0) i++;
        long raised = cpu.irqRaisedAt[i];
        cpu.irqRaisedAt[i] = -1;
        cpu.irqsPending--;
        Workload.IrqSource src = cpu.irqs.get(i);
        cpu.runningIrq = i;
        long cost = src.spec().handler().sample(cpu.rng);
        if (src.wakeTask() >= 0) cpu.sched.tryToWakeUp(src.wakeTask(), raised);
        if (src.spec().softirq() != null) cpu.softirq.raiseSoftirq(src.spec().softirq());
        return cost;
    }

    /**
     * Interrupt exit: the next pending handler, else back to the softirq processing it
     * interrupted, else pending softirqs (docs/kernel-model.md#softirq), else back to the
     * interrupted frame (kernel/entry/common.c: irqentry_exit()).
     */
    void irqExit() {
        cpu.probe.irqExited(cpu);
        cpu.runningIrq = -1;
        if (anyPending()) {
            handleIrq(); // pending interrupts are taken right after iret
            return;
        }
        if (cpu.softirq.running()) { // back into the __do_softirq() the interrupt came in
            cpu.inIrq = false;
            cpu.trace.tracerHardirqsOn();
            cpu.armDone(cpu.now + cpu.savedRemaining);
            return;
        }
        if (cpu.softirq.invokeSoftirq()) return; // irq_exit_rcu(): pending softirqs run before the frame resumes
        cpu.inIrq = false;
        if (irqsEnabled()) cpu.trace.tracerHardirqsOn(); // iret to a frame with IRQs on
        returnToFrame();
    }

    /** The interrupted task frame resumes (or, if it may be preempted, the scheduler runs). */
    void returnToFrame() {
        switch (cpu.frame) {
            case PerCpu.F_IDLE -> {
                if (cpu.needResched || !cpu.rq.isEmpty()) cpu.sched.schedule();
            }
            case PerCpu.F_BETWEEN -> cpu.interp.continueTask();
            case PerCpu.F_SWITCH -> cpu.armDone(cpu.now + cpu.savedRemaining);
            case PerCpu.F_STOP -> { } // the stopper keeps waiting for the others (IRQs on, as multi_cpu_stop's first stage)
            default -> {
                if (cpu.needResched && preemptible()) {
                    cpu.sched.preemptScheduleIrq(cpu.savedRemaining); // irqentry_exit_cond_resched()
                } else if (cpu.polling) {
                    cpu.steps.csdLockWaitLoop();
                } else if (cpu.qspinlock.spinning()) {
                    cpu.qspinlock.spinResumed();
                } else {
                    cpu.armDone(cpu.now + cpu.savedRemaining);
                }
            }
        }
    }

    /**
     * Whether an IRQ exit (irqentry_exit_cond_resched()) may preempt the running op: IRQs were on,
     * the task's preempt_count is zero, and it returns to user space or the preemption model
     * preempts kernel code (docs/kernel-model.md#preemption-models).
     */
    boolean preemptible() {
        TaskState t = cpu.current;
        if (!irqsEnabled() || cpu.taskPreemptCount() != 0 || cpu.qspinlock.inLockOp()) return false;
        boolean user = t.xcall == null && cpu.w.program(t.id).code[t.pc] == Program.COMPUTE;
        return user || cpu.ctx.preemption.kernelPreemptible();
    }

    /** An hrtimer of a sleeping task expired; its handler runs when IRQs allow. */
    void onTimer(int taskId, int seq) {
        TaskState t = cpu.find(taskId);
        if (t == null || t.state != TaskState.SLEEPING || t.sleepSeq != seq) return;
        cpu.expiredTimers.add(taskId, 0);
        cpu.expiredTime.add(cpu.now);
        irqEnter();
    }

    /** A device raises its vector; the APIC keeps one pending per vector. */
    void onDeviceIrq(int index) {
        if (cpu.offline) return; // a dead CPU takes no interrupts; its sources re-arm when it returns
        cpu.q.add(cpu.now + cpu.nextIrqGap(index), cpu.key(PerCpu.EV_IRQ), -1, index, null);
        if (cpu.irqs.get(index).spec().smi()) {
            systemManagementInterrupt(index);
            return;
        }
        if (cpu.irqRaisedAt[index] < 0) {
            cpu.irqRaisedAt[index] = cpu.now;
            cpu.irqsPending++;
        }
        irqEnter();
    }

    /**
     * An SMI (docs/kernel-model.md#smis): the core leaves for System Management Mode for the
     * handler's length, whatever its IRQ state (SMIs are not maskable), and the OS sees nothing:
     * no tracer hook fires, so no section opens, and an open one goes on through it. The running
     * activity ends that much later; what comes due meanwhile (IPIs, CSDs, timers, interrupts)
     * is processed at the SMI's end, in its original order ({@link PerCpu#nextDue()}).
     */
    private void systemManagementInterrupt(int index) {
        long len = cpu.irqs.get(index).spec().handler().sample(cpu.rng);
        cpu.freeze(len);
        cpu.probe.smi(cpu, index, len);
    }

    void onTick() {
        if (cpu.current != null) cpu.armTick();
        cpu.tickPending = true;
        irqEnter();
    }
}
