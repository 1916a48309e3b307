package smpemu.node.model;

import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.MsgKind;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * One simulated CPU as the engines see it: they deliver messages, ask it to process events up
 * to a bound, read its lookahead and snapshot, and route what it sends through the
 * {@link Outbox}. Pure and engine-agnostic. The kernel it runs is in the files named after the
 * kernel's own ({@link Smp} for kernel/smp.c, {@link Tlb} for arch/x86/mm/tlb.c,
 * {@link SchedCore}, {@link IrqEntry}, {@link CpuHotplug}, {@link StopMachine},
 * {@link ScfTorture}, {@link TraceIrqsoff}) over this CPU's state ({@link PerCpu}).
 */
public final class CpuModel {
    public final int cpu;
    public final CpuStats stats;
    private final PerCpu c;
    private final Lookahead lookahead;

    public CpuModel(int cpu, ModelContext ctx, Outbox out) {
        this.cpu = cpu;
        this.c = new PerCpu(cpu, ctx, out);
        this.stats = c.stats;
        this.lookahead = new Lookahead(c);
    }

    /** Places a task on this CPU before the run starts (initial placement). */
    public void adopt(TaskState t) {
        c.interp.prefetch(t);
        c.held.add(t);
        c.rq.enqueueTail(t);
    }

    /** Arms the device interrupt sources and schedules the first task, at time 0. */
    public void start() {
        for (int i = 0; i < c.irqs.size(); i++) {
            c.q.add(c.nextIrqGap(i), c.key(PerCpu.EV_IRQ), -1, i, null);
        }
        c.host.start();
        if (!c.rq.isEmpty()) c.sched.schedule();
    }

    public void setDirectory(Directory d) {
        c.directory = d;
        c.forward.clear(); // the directory now reflects every earlier move
    }

    /** Files a message that reached this CPU; returns whether it is a pending event (a buffered TLB store is not: it moves no event time). */
    public boolean deliver(SimMessage m) {
        if (m.time() < c.now) {
            // A conservative engine can never deliver into the past; if it does, a lookahead
            // bound was wrong and the run would silently diverge from the sequential oracle.
            throw new IllegalStateException("causality violation on cpu " + cpu + ": message "
                + m + " arrives at " + m.time() + " but the CPU is at " + c.now);
        }
        if (m.kind() == MsgKind.TLB_STATE && c.tlb.buffered(m)) return false;
        Object payload = m.kind() == MsgKind.CSD_PUSH || m.kind() == MsgKind.CSD_UNLOCK || m.kind() == MsgKind.TLB_STATE
            || m.kind() == MsgKind.LOCK_ACQUIRE || m.kind() == MsgKind.LOCK_GRANT ? m : m.task();
        c.q.add(m.time(), EventQueue.orderKey(m.kind(), m.src(), m.seq()), m.taskId(), m.arg(), payload);
        return true;
    }

    public long nextEventTime() { return c.nextDue(); }

    /** Processes every event earlier than {@code end} (and earlier than the run's duration). */
    public void runUntil(long end) {
        long bound = Math.min(end, c.ctx.durationNs);
        while (c.nextDue() < bound) processOne();
    }

    /** Processes the earliest event (at the end of the SMI it came due in, if any). */
    public void processOne() {
        EventQueue q = c.q;
        boolean done = c.doneFirst();
        long t = done ? c.doneTime : q.peekTime();
        c.eventTime = t; // what the TLB view applies buffered stores before (Tlb.seen)
        c.eventKey = done ? c.doneKey : q.peekKey();
        int cls, task, arg;
        Object payload;
        if (done) {
            c.doneArmed = false;
            cls = PerCpu.EV_DONE;
            task = -1;
            arg = 0;
            payload = null;
        } else {
            int s = q.peekSlot();
            cls = q.eventClass(s);
            task = q.task(s);
            arg = q.arg(s);
            payload = q.payload(s);
            q.remove(s);
            if (s == c.tickSlot) c.tickSlot = -1;
        }
        c.now = Math.max(t, c.frozenUntil); // what came due during an SMI runs at its end, in order
        c.stats.events++;
        while (c.now >= c.nextStatAt) { // scftorture's stat_interval: sample the counters
            c.stats.scfSample();
            c.nextStatAt += c.ctx.settings.torture().statIntervalNs();
        }
        switch (cls) {
            case MsgKind.MIGRATE_IN -> c.sched.attachTask((TaskState) payload);
            case MsgKind.MIGRATE_CMD -> c.sched.moveQueuedTask(task, arg);
            case MsgKind.WAKE -> c.sched.onWakeMessage(task);
            case MsgKind.CSD_PUSH -> c.smp.onCsdPush((SimMessage) payload);
            case MsgKind.CSD_UNLOCK -> c.smp.onCsdUnlock((SimMessage) payload);
            case MsgKind.CSD_RELEASE -> c.smp.releaseWaiter(task, arg);
            case MsgKind.STOP_REQUEST -> c.stopMachine.stopMachine(arg);
            case MsgKind.STOP_ARRIVED -> c.stopMachine.ackState();
            case MsgKind.STOP_GO -> c.stopMachine.multiCpuStopDone(arg);
            case MsgKind.CPU_ONLINE -> c.hotplug.cpuUp(arg);
            case MsgKind.LOCK_ACQUIRE -> c.qspinlock.queuedSpinLockSlowpath(arg, ((SimMessage) payload).src(), ((SimMessage) payload).value());
            case MsgKind.LOCK_GRANT -> c.qspinlock.lockGranted(arg, ((SimMessage) payload).extra() != 0);
            case MsgKind.LOCK_RELEASE -> c.qspinlock.queuedSpinUnlock(arg);
            case MsgKind.TLB_STATE -> c.tlb.onTlbState((SimMessage) payload);
            case PerCpu.EV_CSD_TIMEOUT -> c.smp.csdLockWaitToolong(task, arg);
            case PerCpu.EV_TIMER -> c.irq.onTimer(task, arg);
            case PerCpu.EV_IRQ -> c.irq.onDeviceIrq(arg);
            case PerCpu.EV_TICK -> c.irq.onTick();
            case PerCpu.EV_STEAL -> c.host.onEpisode();
            case PerCpu.EV_DONE -> onDone();
            default -> throw new IllegalStateException("unknown event class " + cls);
        }
    }

    /** The current activity's completion: an interrupt handler, a softirq action, a call's step, an op, or a switch. */
    private void onDone() {
        if (c.inIrq) {
            c.irq.irqExit();
        } else if (c.softirq.running()) {
            c.softirq.actionDone();
        } else if (c.frame == PerCpu.F_OP && c.current.xcall != null) {
            c.steps.callStepDone();
        } else if (c.frame == PerCpu.F_OP) {
            c.interp.opFinished();
        } else if (c.frame == PerCpu.F_SWITCH) {
            c.sched.finishTaskSwitch();
        }
    }

    /** The coordinator's view of this CPU; also hands over the moves made since the last one. */
    public CpuSnapshot snapshot() {
        int[] queued = new int[c.rq.size()];
        for (int i = 0; i < queued.length; i++) queued[i] = c.rq.get(i).id;
        int[] moved = c.movedOut.toArray();
        c.movedOut.clear();
        return new CpuSnapshot(cpu, c.current == null ? -1 : c.current.id, queued, moved, c.offline);
    }

    /**
     * A lower bound of the earliest simulated time at which this CPU could send a message
     * (docs/architecture.md, "Lookahead").
     */
    public long earliestSendTime(long windowEnd) { return lookahead.earliestSendTime(windowEnd); }

    /** This CPU's state and kernel files, for the model's own tests. */
    PerCpu perCpu() { return c; }

    /** Whether this CPU is offline (for tests and the snapshot). */
    public boolean isOffline() { return c.offline; }
}
