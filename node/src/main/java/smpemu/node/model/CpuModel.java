package smpemu.node.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smpemu.config.Policy;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.MsgKind;
import smpemu.protocol.Rng;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * One simulated CPU: its event queue, the task it runs, its run queue, interrupt state and
 * tracers. Pure and engine-agnostic: an engine delivers messages, asks it to process events up
 * to a bound, and routes what it sends through the {@link Outbox}.
 *
 * <p>Execution has two frames: the task frame (idle, a timed op of the current task, a context
 * switch, or "between ops") and at most one hard-IRQ handler above it (x86 handlers run with
 * IRQs off, so they do not nest). Interrupts arriving while IRQs are off stay pending.
 */
public final class CpuModel {
    static final int EV_TIMER = MsgKind.COUNT, EV_IRQ = MsgKind.COUNT + 1,
        EV_TICK = MsgKind.COUNT + 2, EV_DONE = MsgKind.COUNT + 3;

    private static final int F_IDLE = 0, F_OP = 1, F_SWITCH = 2, F_BETWEEN = 3;

    public final int cpu;
    private final ModelContext ctx;
    private final Workload w;
    private final EventQueue q = new EventQueue(16);
    private final Rng rng;
    private final Rng taskRng = new Rng(0);
    private final Outbox out;
    public final CpuStats stats;
    private final RunQueue rq;
    private final List<Workload.IrqSource> irqs;
    private final long[] irqRaisedAt;
    private int irqsPending;

    private final List<TaskState> held = new ArrayList<>();
    private Directory directory;
    private final IntPairs forward = new IntPairs();
    private final IntPairs movedOut = new IntPairs();

    private long now;
    private long localSeq;
    private long msgSeq;

    private TaskState current;
    private int frame = F_IDLE;
    private int doneSlot = -1;
    private long doneTime;
    private boolean inIrq;
    private long savedRemaining;
    private boolean needResched;
    private boolean sliceExpired;
    private int tickSlot = -1;
    private boolean tickPending;
    private boolean ipiPending;
    private final IntPairs wakeList = new IntPairs();       // (task, unused); arrival in wakeListTime
    private final LongList wakeListTime = new LongList();
    private final IntPairs expiredTimers = new IntPairs();
    private final LongList expiredTime = new LongList();

    private boolean pinned;
    private long sectionStart;
    private int sectionTask;
    private int sectionPath;

    public CpuModel(int cpu, ModelContext ctx, Outbox out) {
        this.cpu = cpu;
        this.ctx = ctx;
        this.w = ctx.workload;
        this.out = out;
        this.rng = Rng.forEntity(ctx.settings.seed(), ModelContext.CPU_STREAM, cpu);
        this.stats = new CpuStats(cpu, ctx.durationNs, ctx.settings.windowNs(),
            ctx.settings.longestSections());
        this.rq = new RunQueue(w);
        this.irqs = w.irqs(cpu);
        this.irqRaisedAt = new long[irqs.size()];
        Arrays.fill(irqRaisedAt, -1);
    }

    // ---------------------------------------------------------------- engine interface

    /** Places a task on this CPU before the run starts (initial placement). */
    public void adopt(TaskState t) {
        prefetch(t);
        held.add(t);
        rq.enqueueTail(t);
    }

    /** Arms the device interrupt sources and schedules the first task, at time 0. */
    public void start() {
        for (int i = 0; i < irqs.size(); i++) {
            q.add(nextIrqGap(i), key(EV_IRQ), -1, i, null);
        }
        if (!rq.isEmpty()) schedule();
    }

    public void setDirectory(Directory d) {
        directory = d;
        forward.clear(); // the directory now reflects every earlier move
    }

    public void deliver(SimMessage m) {
        if (m.time() < now) {
            // A conservative engine can never deliver into the past; if it does, a lookahead
            // bound was wrong and the run would silently diverge from the sequential oracle.
            throw new IllegalStateException("causality violation on cpu " + cpu + ": message "
                + m + " arrives at " + m.time() + " but the CPU is at " + now);
        }
        q.add(m.time(), EventQueue.orderKey(m.kind(), m.src(), m.seq()), m.taskId(), m.arg(), m.task());
    }

    public long nextEventTime() { return q.peekTime(); }

    /** Processes every event earlier than {@code end} (and earlier than the run's duration). */
    public void runUntil(long end) {
        long bound = Math.min(end, ctx.durationNs);
        while (q.peekTime() < bound) processOne();
    }

    /** Processes the earliest event. */
    public void processOne() {
        int s = q.peekSlot();
        long t = q.time(s);
        int cls = q.eventClass(s);
        int task = q.task(s);
        int arg = q.arg(s);
        Object payload = q.payload(s);
        q.remove(s);
        if (s == doneSlot) doneSlot = -1;
        if (s == tickSlot) tickSlot = -1;
        now = t;
        stats.events++;
        switch (cls) {
            case MsgKind.MIGRATE_IN -> onMigrateIn((TaskState) payload);
            case MsgKind.MIGRATE_CMD -> onMigrateCommand(task, arg);
            case MsgKind.WAKE -> onWakeMessage(task);
            case EV_TIMER -> onTimer(task, arg);
            case EV_IRQ -> onDeviceIrq(arg);
            case EV_TICK -> onTick();
            case EV_DONE -> onDone();
            default -> throw new IllegalStateException("unknown event class " + cls);
        }
    }

    /** The coordinator's view of this CPU; also hands over the moves made since the last one. */
    public CpuSnapshot snapshot() {
        int[] queued = new int[rq.size()];
        for (int i = 0; i < queued.length; i++) queued[i] = rq.get(i).id;
        int[] moved = movedOut.toArray();
        movedOut.clear();
        return new CpuSnapshot(cpu, current == null ? -1 : current.id, queued, moved);
    }

    /**
     * A lower bound of the earliest simulated time at which this CPU could send a message, given
     * its pending events and the programs of the tasks it holds (architecture.md §3). Only a
     * wake-up, a forwarded wake-up or a migration sends.
     */
    public long earliestSendTime(long windowEnd) {
        long t0 = Math.max(now, windowEnd);
        long est = Long.MAX_VALUE;
        long irqWake = Long.MAX_VALUE;
        for (int i = 0, n = q.size(); i < n; i++) {
            int s = q.slotAt(i);
            int cls = q.eventClass(s);
            if (cls <= MsgKind.WAKE) { // a command or wake-up may send; an arriving task may too
                est = Math.min(est, q.time(s));
            } else if (cls == EV_IRQ) {
                Workload.IrqSource src = irqs.get(q.arg(s));
                // A wake of a task held here stays local: the task can only leave through a
                // migration command, whose own time already bounds est.
                if (src.mayWakeRemote() && find(src.wakeTask()) == null) est = Math.min(est, q.time(s));
                if (src.wakeTask() >= 0) irqWake = Math.min(irqWake, q.time(s));
            }
        }
        if (ipiPending || !expiredTimers.isEmpty() || anyIrqPending()) irqWake = t0;
        for (int i = 0; i < irqRaisedAt.length; i++) {
            // Raised while IRQs were off: its handler may wake a task elsewhere once they are on.
            if (irqRaisedAt[i] >= 0 && irqs.get(i).mayWakeRemote() && find(irqs.get(i).wakeTask()) == null) est = t0;
        }
        // A queued task cannot get the CPU before the current non-preemptible op or switch ends.
        long cpuFree = t0;
        if (frame == F_SWITCH || frame == F_OP && !preemptibleOp()) {
            cpuFree = Math.max(t0, inIrq ? doneTime + savedRemaining : doneTime);
        }
        for (int i = 0, n = held.size(); i < n; i++) {
            TaskState t = held.get(i);
            Program p = w.program(t.id);
            // A sleeping or blocked task runs again only after its timer, an interrupt that wakes
            // it, a wake-up message (bounded by the coordinator from message times) or a local
            // wake op (whose own time already bounds est: every wake op counts as a send).
            long base = switch (t.state) {
                case TaskState.SLEEPING -> Math.max(t0, Math.min(t.sleepUntil, irqWake));
                case TaskState.BLOCKED -> Math.max(t0, irqWake);
                default -> t == current ? t0 : cpuFree;
            };
            if (base == Long.MAX_VALUE) continue;
            long rem;
            if (t == current && frame == F_OP) {
                long opEnd = inIrq ? doneTime + savedRemaining : doneTime;
                rem = Math.max(0, opEnd - t0);
            } else if (t.opRemaining >= 0) {
                rem = t.opRemaining;
            } else {
                rem = minDuration(p, t.pc);
            }
            est = Math.min(est, Program.sat(base, p.minToSend(t.pc, rem)));
        }
        // Nothing is sent except while processing an event, and none comes before the next one.
        return Math.max(est, q.peekTime());
    }

    // ---------------------------------------------------------------- message and event handlers

    private void onMigrateIn(TaskState t) {
        held.add(t);
        rq.enqueueTail(t);
        // The source CPU activated the task on our run queue; resched_curr() sends an IPI.
        if (wouldPreempt(t)) {
            needResched = true;
            if (frame == F_IDLE && !inIrq) {
                schedule();
            } else {
                ipiPending = true;
                tryTakeInterrupts();
            }
        }
    }

    private void onMigrateCommand(int taskId, int dest) {
        TaskState t = find(taskId);
        if (t == null || t == current || t.state != TaskState.RUNNABLE || dest == cpu
            || !w.allowed(taskId, dest)) {
            return; // the task ran, slept or left since the decision: the command lapses
        }
        rq.remove(t);
        held.remove(t);
        forward.add(taskId, dest);
        movedOut.add(taskId, dest);
        stats.migrationsOut++;
        send(MsgKind.MIGRATE_IN, dest, taskId, 0, t);
    }

    private void onWakeMessage(int taskId) {
        if (find(taskId) == null) {
            int dest = forward.valueOf(taskId);
            if (dest >= 0) send(MsgKind.WAKE, dest, taskId, 0, null);
            return; // gone and not forwarded: the task has exited
        }
        wakeList.add(taskId, 0);
        wakeListTime.add(now);
        ipiPending = true;
        tryTakeInterrupts();
    }

    private void onTimer(int taskId, int seq) {
        TaskState t = find(taskId);
        if (t == null || t.state != TaskState.SLEEPING || t.sleepSeq != seq) return;
        expiredTimers.add(taskId, 0);
        expiredTime.add(now);
        tryTakeInterrupts();
    }

    private void onDeviceIrq(int index) {
        q.add(now + nextIrqGap(index), key(EV_IRQ), -1, index, null);
        if (irqRaisedAt[index] < 0) { // the APIC keeps one pending per vector
            irqRaisedAt[index] = now;
            irqsPending++;
        }
        tryTakeInterrupts();
    }

    private void onTick() {
        if (current != null) armTick();
        tickPending = true;
        tryTakeInterrupts();
    }

    private void onDone() {
        if (inIrq) {
            irqExit();
            return;
        }
        if (frame == F_OP) {
            opFinished();
        } else if (frame == F_SWITCH) {
            switchFinished();
        }
    }

    // ---------------------------------------------------------------- interrupts

    private boolean irqsOn() {
        if (frame == F_SWITCH) return false;
        if (frame == F_OP) {
            int op = w.program(current.id).code[current.pc];
            return op != Program.IRQ_OFF && op != Program.WAKE;
        }
        return true;
    }

    private boolean anyIrqPending() {
        return irqsPending > 0;
    }

    private boolean anyPending() {
        return ipiPending || !expiredTimers.isEmpty() || tickPending || anyIrqPending();
    }

    private void tryTakeInterrupts() {
        if (inIrq || !irqsOn() || !anyPending()) return;
        if (doneSlot >= 0) {
            savedRemaining = doneTime - now;
            q.remove(doneSlot);
            doneSlot = -1;
        } else {
            savedRemaining = 0;
        }
        inIrq = true;
        startHandler();
    }

    /** Runs the highest pending interrupt: IPI, then hrtimers, then device IRQs, then the tick. */
    private void startHandler() {
        long cost;
        stats.interrupts++;
        if (ipiPending) {
            ipiPending = false;
            for (int i = 0; i < wakeList.size(); i++) {
                TaskState t = find(wakeList.key(i));
                if (t != null) ttwuLocal(t, wakeListTime.get(i));
            }
            wakeList.clear();
            wakeListTime.clear();
            cost = ctx.reschedIpiHandlerNs;
        } else if (!expiredTimers.isEmpty()) {
            for (int i = 0; i < expiredTimers.size(); i++) {
                TaskState t = find(expiredTimers.key(i));
                if (t != null && t.state == TaskState.SLEEPING) ttwuLocal(t, expiredTime.get(i));
            }
            expiredTimers.clear();
            expiredTime.clear();
            cost = ctx.tickHandlerNs;
        } else if (anyIrqPending()) {
            int i = 0;
            while (irqRaisedAt[i] < 0) i++;
            long raised = irqRaisedAt[i];
            irqRaisedAt[i] = -1;
            irqsPending--;
            Workload.IrqSource src = irqs.get(i);
            cost = src.spec().handler().sample(rng);
            if (src.wakeTask() >= 0) doWake(src.wakeTask(), raised);
        } else {
            tickPending = false;
            tickEffects();
            cost = ctx.tickHandlerNs;
        }
        armDone(now + cost);
    }

    private void irqExit() {
        if (anyPending()) {
            startHandler(); // pending interrupts are taken right after iret
            return;
        }
        inIrq = false;
        switch (frame) {
            case F_IDLE -> {
                if (needResched || !rq.isEmpty()) schedule();
            }
            case F_BETWEEN -> continueTask();
            case F_SWITCH -> armDone(now + savedRemaining);
            default -> {
                if (needResched && preemptibleOp()) {
                    preemptCurrent(savedRemaining);
                } else {
                    armDone(now + savedRemaining);
                }
            }
        }
    }

    /** Whether an IRQ exit may preempt the running op (kernel-model.md §5.2). */
    private boolean preemptibleOp() {
        int op = w.program(current.id).code[current.pc];
        if (op == Program.COMPUTE) return true; // return to user space
        return op == Program.KERNEL && ctx.preemption.kernelPreemptible();
    }

    private void tickEffects() {
        if (current == null || frame == F_SWITCH) return;
        long ran = now - current.runSince;
        Policy pol = w.policy(current.id);
        int prio = rq.prio(current);
        if (pol == Policy.RR && ran >= ctx.rrSliceNs && rq.topPriority() == prio
            || pol == Policy.OTHER && ran >= ctx.otherSliceNs && !rq.isEmpty()) {
            needResched = true;
            sliceExpired = true;
        }
    }

    // ---------------------------------------------------------------- task execution

    private void opFinished() {
        TaskState t = current;
        Program p = w.program(t.id);
        int op = p.code[t.pc];
        closeSection();
        t.opRemaining = -1;
        if (op == Program.WAKE) doWake(p.target[t.pc], now);
        t.pc++;
        frame = F_BETWEEN;
        if (anyPending()) {
            tryTakeInterrupts(); // local_irq_enable(): pending interrupts are taken now
            return;
        }
        continueTask();
    }

    private void switchFinished() {
        closeSection();
        TaskState t = current;
        if (t.wakeRequestedAt >= 0) {
            if (w.policy(t.id).isRealTime()) stats.rtWakeup(now - t.wakeRequestedAt);
            t.wakeRequestedAt = -1;
        }
        t.runSince = now;
        armTick();
        frame = F_BETWEEN;
        if (anyPending()) {
            tryTakeInterrupts();
            return;
        }
        continueTask();
    }

    /**
     * Runs the current task's program from its pc: instant ops, then starts the next timed op.
     * Each op boundary is a preemption point for full/rt; for none/voluntary only a return to
     * user space, cond_resched() or blocking is (kernel-model.md §5.2).
     */
    private void continueTask() {
        TaskState t = current;
        Program p = w.program(t.id);
        while (true) {
            stepControl(t, p);
            int pc = t.pc;
            int op = p.code[pc];
            if (needResched && (ctx.preemption.kernelPreemptible() || op == Program.COMPUTE
                || op == Program.COND_RESCHED)) {
                if (op == Program.COND_RESCHED) t.pc++;
                requeueCurrent();
                schedule();
                return;
            }
            switch (op) {
                case Program.COND_RESCHED -> t.pc++;
                case Program.YIELD -> {
                    t.pc++;
                    rq.enqueueTail(t);
                    schedule();
                    return;
                }
                case Program.SLEEP -> {
                    long d = draw(t, p.dist[pc]);
                    t.pc++;
                    sleepUntil(t, now + d);
                    return;
                }
                case Program.PERIODIC_WAIT -> {
                    long period = p.period[pc];
                    long next = t.nextRelease + period;
                    if (next <= now) next = (now / period + 1) * period; // overrun: next boundary
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
                    schedule();
                    return;
                }
                case Program.EXIT -> {
                    t.state = TaskState.DEAD;
                    held.remove(t);
                    schedule();
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
    private static void stepControl(TaskState t, Program p) {
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
    private void prefetch(TaskState t) {
        Program p = w.program(t.id);
        stepControl(t, p);
        int op = p.code[t.pc];
        if (Program.isTimed(op) && t.opRemaining < 0) {
            t.opRemaining = op == Program.WAKE ? ctx.wakeupNs : draw(t, p.dist[t.pc]);
        }
    }

    private void startOp(TaskState t, Program p, int pc, int op) {
        if (t.opRemaining < 0) {
            t.opRemaining = op == Program.WAKE ? ctx.wakeupNs : draw(t, p.dist[pc]);
        }
        frame = F_OP;
        if (op == Program.PREEMPT_OFF || op == Program.PREEMPT_OFF_RAW || op == Program.IRQ_OFF
            || op == Program.WAKE) {
            openSection(p.path[pc], t.id);
        }
        armDone(now + t.opRemaining);
    }

    private void sleepUntil(TaskState t, long at) {
        t.state = TaskState.SLEEPING;
        t.sleepUntil = at;
        t.sleepSeq++;
        q.add(at, key(EV_TIMER), t.id, t.sleepSeq, null);
        schedule();
    }

    /** Preempts the current task in the middle of its op (at an IRQ exit). */
    private void preemptCurrent(long remaining) {
        current.opRemaining = remaining;
        requeueCurrent();
        schedule();
    }

    private void requeueCurrent() {
        if (sliceExpired) {
            rq.enqueueTail(current);
        } else {
            rq.enqueueHead(current);
        }
    }

    /**
     * __schedule(): picks the highest-priority runnable task. The caller has already queued the
     * previous task if it stays runnable. A switch costs context-switch time with IRQs off.
     */
    private void schedule() {
        TaskState prev = current;
        if (prev != null && prev.state != TaskState.DEAD) prefetch(prev);
        needResched = false;
        sliceExpired = false;
        TaskState next = rq.pollHighest();
        if (next == null) {
            current = null;
            frame = F_IDLE;
            disarmTick();
            return;
        }
        if (next == prev) {
            frame = F_BETWEEN;
            continueTask();
            return;
        }
        current = next;
        frame = F_SWITCH;
        stats.contextSwitches++;
        openSection(w.schedulePath, next.id);
        armDone(now + ctx.contextSwitchNs);
    }

    // ---------------------------------------------------------------- wake-ups

    /** try_to_wake_up(): local if the task is here, else a TTWU IPI to where it is. */
    private void doWake(int taskId, long requestedAt) {
        TaskState t = find(taskId);
        if (t != null) {
            ttwuLocal(t, requestedAt);
            return;
        }
        int dest = forward.valueOf(taskId);
        if (dest < 0) dest = directory.cpuOf(taskId);
        if (dest < 0 || dest == cpu) return; // exited
        stats.ipisSent++;
        send(MsgKind.WAKE, dest, taskId, 0, null);
    }

    private void ttwuLocal(TaskState t, long requestedAt) {
        switch (t.state) {
            case TaskState.RUNNABLE -> t.wakePending = true;
            case TaskState.SLEEPING, TaskState.BLOCKED -> {
                t.state = TaskState.RUNNABLE;
                t.wakePending = false;
                stats.wakeups++;
                if (w.policy(t.id).isRealTime()) t.wakeRequestedAt = requestedAt;
                rq.enqueueTail(t);
                if (wouldPreempt(t)) {
                    needResched = true;
                    if (frame == F_IDLE && !inIrq) schedule(); // the idle loop polls need_resched
                }
            }
            default -> { } // DEAD
        }
    }

    private boolean wouldPreempt(TaskState t) {
        return current == null || rq.prio(t) > rq.prio(current);
    }

    // ---------------------------------------------------------------- helpers

    private TaskState find(int taskId) {
        for (int i = 0, n = held.size(); i < n; i++) {
            TaskState t = held.get(i);
            if (t.id == taskId) return t;
        }
        return null;
    }

    private long draw(TaskState t, smpemu.config.Dist d) {
        taskRng.setState(t.rngState);
        long v = d.sample(taskRng);
        t.rngState = taskRng.state();
        return v;
    }

    private long minDuration(Program p, int pc) {
        int op = p.code[pc];
        if (op == Program.WAKE) return ctx.wakeupNs;
        return Program.isTimed(op) ? p.dist[pc].min() : 0;
    }

    private long nextIrqGap(int index) {
        return Math.max(1, irqs.get(index).spec().interarrival().sample(rng));
    }

    private long key(int cls) { return EventQueue.orderKey(cls, cpu, localSeq++); }

    private void armDone(long at) {
        doneTime = at;
        doneSlot = q.add(at, key(EV_DONE), -1, 0, null);
    }

    private void armTick() {
        if (tickSlot >= 0) return;
        long p = ctx.tickPeriodNs;
        tickSlot = q.add((now / p + 1) * p, key(EV_TICK), -1, 0, null);
    }

    private void disarmTick() {
        if (tickSlot < 0) return;
        q.remove(tickSlot);
        tickSlot = -1;
    }

    private void openSection(int path, int task) {
        if (pinned) return;
        pinned = true;
        sectionStart = now;
        sectionPath = path;
        sectionTask = task;
    }

    private void closeSection() {
        if (!pinned) return;
        pinned = false;
        stats.section(sectionStart, now, sectionTask, sectionPath);
    }

    private void send(int kind, int dest, int taskId, int arg, TaskState payload) {
        long at = now + ctx.topology.ipiLatency(cpu, dest);
        out.send(new SimMessage(at, kind, cpu, msgSeq++, dest, taskId, arg, payload));
    }
}
