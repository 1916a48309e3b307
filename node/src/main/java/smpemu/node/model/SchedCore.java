package smpemu.node.model;

import smpemu.config.Policy;
import smpemu.protocol.MsgKind;
import smpemu.protocol.TaskState;

/**
 * kernel/sched/core.c: picking the next task, wake-ups (local, or a TTWU IPI to the CPU that
 * holds the task), the reschedule IPI, the tick's slice accounting, preemption at IRQ exit, and
 * the two ends of a migration. Scope (docs/kernel-model.md#sched): FIFO/RR by priority, and
 * SCHED_OTHER as round robin with a slice.
 */
final class SchedCore {
    private final PerCpu cpu;

    SchedCore(PerCpu cpu) {
        this.cpu = cpu;
    }

    /**
     * kernel/sched/core.c: __schedule(): picks the highest-priority runnable task. The caller has
     * already queued the previous task if it stays runnable. A switch costs context-switch time
     * with IRQs off.
     */
    void schedule() {
        TaskState prev = cpu.current;
        if (prev != null && prev.state != TaskState.DEAD) cpu.interp.prefetch(prev);
        if (cpu.stopPending && cpu.readers == 0) {
            cpu.tlb.enterLazyTlb(); // the stopper is a kthread
            cpu.stopMachine.multiCpuStop();
            return;
        }
        cpu.needResched = false;
        cpu.sliceExpired = false;
        TaskState next = cpu.rq.pollHighest();
        if (next == null) {
            cpu.probe.cpuIdle(cpu);
            cpu.current = null;
            cpu.frame = PerCpu.F_IDLE;
            cpu.tlb.enterLazyTlb();
            cpu.disarmTick();
            return;
        }
        if (next == prev) {
            cpu.frame = PerCpu.F_BETWEEN;
            cpu.interp.continueTask();
            return;
        }
        cpu.current = next;
        cpu.frame = PerCpu.F_SWITCH;
        cpu.probe.taskSwitching(cpu, next);
        cpu.trace.tracerPreemptOff(cpu.w.schedulePath, next.id);  // the run-queue lock,
        cpu.trace.tracerHardirqsOff(cpu.w.schedulePath, next.id); // taken with IRQs off
        long flush = cpu.tlb.switchMmIrqsOff(cpu.w.mm(next.id)); // context_switch(): the next task's mm
        cpu.armDone(cpu.now + cpu.ctx.contextSwitchNs + flush);
    }

    /** kernel/sched/core.c: finish_task_switch(): the next task runs (its mm was switched to in __schedule()). */
    void finishTaskSwitch() {
        cpu.trace.tracerHardirqsOn();
        cpu.trace.tracerPreemptOn();
        TaskState t = cpu.current;
        cpu.probe.taskRunning(cpu, t);
        t.wakeRequestedAt = -1;
        t.runSince = cpu.now;
        cpu.armTick();
        cpu.frame = PerCpu.F_BETWEEN;
        if (cpu.irq.anyPending()) {
            cpu.irq.irqEnter();
            return;
        }
        cpu.interp.continueTask();
    }

    /** kernel/sched/core.c: try_to_wake_up(): local if the task is here, else a TTWU IPI to where it is. */
    void tryToWakeUp(int taskId, long requestedAt) {
        TaskState t = cpu.find(taskId);
        if (t != null) {
            ttwuDoActivate(t, requestedAt);
            return;
        }
        int dest = cpu.route(taskId);
        if (dest < 0 || dest == cpu.id) return; // exited
        cpu.probe.ipiSent(cpu, dest);
        cpu.send(MsgKind.WAKE, dest, taskId, 0, null);
    }

    /** kernel/sched/core.c: ttwu_do_activate(): the task becomes runnable here. */
    void ttwuDoActivate(TaskState t, long requestedAt) {
        switch (t.state) {
            case TaskState.RUNNABLE -> t.wakePending = true;
            case TaskState.SLEEPING, TaskState.BLOCKED -> {
                t.state = TaskState.RUNNABLE;
                t.wakePending = false;
                cpu.probe.taskWoken(cpu, t);
                if (cpu.w.policy(t.id).isRealTime()) t.wakeRequestedAt = requestedAt;
                cpu.rq.enqueueTail(t);
                if (wakeupPreempt(t)) {
                    cpu.needResched = true;
                    if (cpu.frame == PerCpu.F_IDLE && !cpu.inInterrupt()) schedule(); // the idle loop polls need_resched
                }
            }
            default -> { } // DEAD
        }
    }

    /** kernel/sched/core.c: wakeup_preempt(): would the woken task preempt the current one? */
    boolean wakeupPreempt(TaskState t) {
        return cpu.current == null || cpu.rq.prio(t) > cpu.rq.prio(cpu.current);
    }

    /** A TTWU IPI arrives (the sender's ttwu_queue_wakelist()); a negative id is resched_cpu()'s bare IPI. */
    void onWakeMessage(int taskId) {
        if (taskId < 0) {
            cpu.reschedIpi = true;
            cpu.ipiPending = true;
            cpu.irq.irqEnter();
            return;
        }
        if (cpu.find(taskId) == null) {
            int dest = cpu.forward.valueOf(taskId);
            if (dest >= 0) cpu.send(MsgKind.WAKE, dest, taskId, 0, null);
            return; // gone and not forwarded: the task has exited
        }
        cpu.wakeList.add(taskId, 0);
        cpu.wakeListTime.add(cpu.now);
        cpu.ipiPending = true;
        cpu.irq.irqEnter();
    }

    /** kernel/sched/core.c: scheduler_ipi(): sched_ttwu_pending() of the wake list, then need_resched. */
    long schedulerIpi() {
        cpu.ipiPending = false;
        for (int i = 0; i < cpu.wakeList.size(); i++) {
            TaskState t = cpu.find(cpu.wakeList.key(i));
            if (t != null) ttwuDoActivate(t, cpu.wakeListTime.get(i));
        }
        cpu.wakeList.clear();
        cpu.wakeListTime.clear();
        if (cpu.reschedIpi) {
            cpu.reschedIpi = false;
            if (cpu.current != null) cpu.needResched = true;
        }
        return cpu.ctx.reschedIpiHandlerNs;
    }

    /** kernel/sched/core.c: resched_cpu() of a random CPU: a reschedule IPI, or just need_resched for this one. */
    void reschedCpu(TaskState t) {
        int target = (int) (cpu.drawUniform(t) * cpu.ctx.topology.cpus());
        if (target == cpu.id) {
            cpu.needResched = true;
        } else {
            cpu.probe.ipiSent(cpu, target);
            cpu.send(MsgKind.WAKE, target, -1, 0, null);
        }
    }

    /** kernel/sched/core.c: sched_tick(): the slice of an RR or SCHED_OTHER task runs out. */
    void schedulerTick() {
        TaskState cur = cpu.current;
        if (cur == null || cpu.frame == PerCpu.F_SWITCH) return;
        long ran = cur.sliceUsed + cpu.now - cur.runSince;
        Policy pol = cpu.w.policy(cur.id);
        int prio = cpu.rq.prio(cur);
        if (pol == Policy.RR && ran >= cpu.ctx.rrSliceNs && cpu.rq.topPriority() == prio
            || pol == Policy.OTHER && ran >= cpu.ctx.otherSliceNs && !cpu.rq.isEmpty()) {
            cpu.needResched = true;
            cpu.sliceExpired = true;
        }
    }

    /**
     * kernel/sched/core.c: preempt_schedule_irq() (and preempt_schedule() at a preempt_enable()):
     * the current task is preempted in the middle of its op, {@code remaining} of it left.
     */
    void preemptScheduleIrq(long remaining) {
        cpu.polling = false;
        cpu.current.opRemaining = remaining;
        putPrevTask();
        schedule();
    }

    /**
     * kernel/sched/core.c: put_prev_task(): a preempted task keeps the slice it has used, so that
     * preemptions by higher priorities (an RT task every millisecond) cannot make its slice last
     * for ever and starve its peers.
     */
    void putPrevTask() {
        TaskState cur = cpu.current;
        if (cpu.sliceExpired) {
            cur.sliceUsed = 0;
            cpu.rq.enqueueTail(cur);
        } else {
            cur.sliceUsed += cpu.now - cur.runSince;
            cpu.rq.enqueueHead(cur);
        }
    }

    /** kernel/sched/core.c: move_queued_task(), the source side: the balancer's command to move a queued task. */
    void moveQueuedTask(int taskId, int dest) {
        TaskState t = cpu.find(taskId);
        if (t == null || t == cpu.current || t.state != TaskState.RUNNABLE || dest == cpu.id
            || !cpu.w.allowed(taskId, dest)) {
            return; // the task ran, slept or left since the decision: the command lapses
        }
        cpu.rq.remove(t);
        detach(t, dest);
    }

    /** The task leaves this CPU for {@code dest} (a forward pointer stays until the next instant). */
    void detach(TaskState t, int dest) {
        cpu.held.remove(t);
        if (cpu.readLock && t.xcall != null && t.xcall.scfPrim >= 0) cpu.readers--;
        cpu.forward.add(t.id, dest);
        cpu.movedOut.add(t.id, dest);
        cpu.probe.taskMigrated(cpu, t, dest);
        cpu.send(MsgKind.MIGRATE_IN, dest, t.id, 0, t);
    }

    /** kernel/sched/core.c: move_queued_task(), the destination side: activate it here. */
    void attachTask(TaskState t) {
        cpu.held.add(t);
        if (cpu.readLock && t.xcall != null && t.xcall.scfPrim >= 0) cpu.readers++; // a reader moves with its lock
        if (t.state == TaskState.SLEEPING) { // evacuated by hotplug: its hrtimer comes along
            cpu.q.add(Math.max(cpu.now, t.sleepUntil), cpu.key(PerCpu.EV_TIMER), t.id, t.sleepSeq, null);
            return;
        }
        if (t.state == TaskState.BLOCKED) return;
        cpu.rq.enqueueTail(t);
        // The source CPU activated the task on our run queue; resched_curr() sends an IPI.
        if (wakeupPreempt(t)) {
            cpu.needResched = true;
            if (cpu.frame == PerCpu.F_IDLE && !cpu.inInterrupt()) {
                schedule();
            } else {
                cpu.ipiPending = true;
                cpu.irq.irqEnter();
            }
        }
    }
}
