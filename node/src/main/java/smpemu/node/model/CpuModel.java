package smpemu.node.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import smpemu.config.Policy;
import smpemu.config.TortureSettings;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.CrossCallState;
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
        EV_TICK = MsgKind.COUNT + 2, EV_DONE = MsgKind.COUNT + 3, EV_CSD_TIMEOUT = MsgKind.COUNT + 4;

    private static final int F_IDLE = 0, F_OP = 1, F_SWITCH = 2, F_BETWEEN = 3, F_STOP = 4;

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

    // cross-calls (kernel-model.md §1): this CPU's CSDs in flight, its call_single_queue
    private final KernelPlan plan;
    private final IntList cfdLocked = new IntList();   // targets of cfd CSDs not yet unlocked
    private boolean csdDataLocked;
    private final List<SimMessage> callQueue = new ArrayList<>();
    private boolean callIpiPending;
    private boolean idleDrain;
    /** The current task busy-waits (csd_lock spin or csd_lock_wait): no completion event. */
    private boolean polling;
    private boolean reschedIpi;
    /** Who last wrote this CPU's cfd->cpumask (task, call), for the U4 variant. */
    private long cfdMaskOwner = -1;
    /** Task using this CPU's per-CPU flush_tlb_info / PV scratch mask (-1: free), for U8 / U9. */
    private int flushInfoUser = -1;
    /** Who took the csd_data lock, and each cfd CSD's lock, while deciding (unsafe variants). */
    private int csdDataHolder = -1;
    private final IntPairs cfdHolder = new IntPairs();
    // CPU hotplug (kernel-model.md §6.3): the online mask as this CPU knows it, stop-machine
    private final java.util.BitSet onlineView = new java.util.BitSet();
    private boolean offline;
    private boolean stopPending;
    private int stopDying = -1;
    private long stopRequestedAt;
    private int stopArrivals;
    /** cpus_read_lock(): scftorture invocations holding it here, and those waiting for a writer. */
    private final boolean readLock;
    private int readers;
    private final IntList readLockWaiters = new IntList();
    private long nextStatAt;
    private int pvScratchUser = -1;
    /** The device interrupt source whose handler runs now (-1: none, or another interrupt). */
    private int runningIrq = -1;
    // x86 TLB state (kernel-model.md §3.1): the loaded mm, lazy mode, mm_cpumask membership
    private int loadedMm = -1;
    private boolean lazy;
    private final IntList mmSet = new IntList();
    private final IntList mmDelta = new IntList(); // joins (m) and leaves (-(m + 1)) since the last snapshot

    private final SmpCosts smpCosts;
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
        this.plan = new KernelPlan(ctx.settings.kernel());
        this.smpCosts = new SmpCosts(ctx.settings.kernel().smp());
        this.onlineView.set(0, ctx.topology.cpus());
        this.readLock = ctx.settings.torture().useCpusReadLock();
        long stat = ctx.settings.torture().statIntervalNs();
        this.nextStatAt = stat > 0 && w.hasScfInvoke() ? stat : Long.MAX_VALUE;
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
        Object payload = m.kind() == MsgKind.CSD_PUSH || m.kind() == MsgKind.CSD_UNLOCK ? m : m.task();
        if (m.time() < now) {
            // A conservative engine can never deliver into the past; if it does, a lookahead
            // bound was wrong and the run would silently diverge from the sequential oracle.
            throw new IllegalStateException("causality violation on cpu " + cpu + ": message "
                + m + " arrives at " + m.time() + " but the CPU is at " + now);
        }
        q.add(m.time(), EventQueue.orderKey(m.kind(), m.src(), m.seq()), m.taskId(), m.arg(), payload);
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
        while (now >= nextStatAt) { // scftorture's stat_interval: sample the counters
            stats.scfSample();
            nextStatAt += ctx.settings.torture().statIntervalNs();
        }
        switch (cls) {
            case MsgKind.MIGRATE_IN -> onMigrateIn((TaskState) payload);
            case MsgKind.MIGRATE_CMD -> onMigrateCommand(task, arg);
            case MsgKind.WAKE -> onWakeMessage(task);
            case MsgKind.CSD_PUSH -> onCsdPush((SimMessage) payload);
            case MsgKind.CSD_UNLOCK -> onCsdUnlock((SimMessage) payload);
            case MsgKind.CSD_RELEASE -> releaseWaiter(task, arg);
            case MsgKind.STOP_REQUEST -> onStopRequest(arg);
            case MsgKind.STOP_ARRIVED -> onStopArrived();
            case MsgKind.STOP_GO -> onStopGo(arg);
            case MsgKind.CPU_ONLINE -> onCpuOnline(arg);
            case EV_CSD_TIMEOUT -> onCsdTimeout(task, arg);
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
        int[] mmChanges = mmDelta.toArray();
        mmDelta.clear();
        return new CpuSnapshot(cpu, current == null ? -1 : current.id, queued, moved, mmChanges, offline);
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
            if (cls < MsgKind.COUNT) { // any message may make this CPU send (forward, unlock, run a task)
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
        if (!callQueue.isEmpty() || stopPending) est = t0; // a handler unlocks CSDs; a stopper reports
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
                long opEnd = polling ? t0 : inIrq ? doneTime + savedRemaining : doneTime;
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
        if (readLock && t.xcall != null && t.xcall.scfPrim >= 0) readers++; // a reader moves with its lock
        if (t.state == TaskState.SLEEPING) { // evacuated by hotplug: its hrtimer comes along
            q.add(Math.max(now, t.sleepUntil), key(EV_TIMER), t.id, t.sleepSeq, null);
            return;
        }
        if (t.state == TaskState.BLOCKED) return;
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
        if (readLock && t.xcall != null && t.xcall.scfPrim >= 0) readers--;
        forward.add(taskId, dest);
        movedOut.add(taskId, dest);
        stats.migrationsOut++;
        send(MsgKind.MIGRATE_IN, dest, taskId, 0, t);
    }

    private void onWakeMessage(int taskId) {
        if (taskId < 0) { // resched_cpu(): a bare reschedule IPI
            reschedIpi = true;
            ipiPending = true;
            tryTakeInterrupts();
            return;
        }
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
        if (offline) return; // a dead CPU takes no interrupts; its sources re-arm when it returns
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
        if (frame == F_OP && current.xcall != null) {
            xcallPhaseDone();
        } else if (frame == F_OP) {
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
            if (current.xcall != null) return current.xcall.phase != CrossCallState.LOCAL;
            return op != Program.IRQ_OFF && op != Program.WAKE;
        }
        return true;
    }

    private boolean anyIrqPending() {
        return irqsPending > 0;
    }

    private boolean anyPending() {
        return callIpiPending || ipiPending || !expiredTimers.isEmpty() || tickPending || anyIrqPending();
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
        if (callIpiPending) {
            cost = callFunctionInterrupt();
        } else if (ipiPending) {
            ipiPending = false;
            for (int i = 0; i < wakeList.size(); i++) {
                TaskState t = find(wakeList.key(i));
                if (t != null) ttwuLocal(t, wakeListTime.get(i));
            }
            wakeList.clear();
            wakeListTime.clear();
            if (reschedIpi) {
                reschedIpi = false;
                if (current != null) needResched = true;
            }
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
            runningIrq = i;
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
        runningIrq = -1;
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
            case F_STOP -> { } // the stopper keeps waiting for the others (IRQs on, as multi_cpu_stop's first stage)
            default -> {
                if (needResched && preemptibleOp()) {
                    preemptCurrent(savedRemaining);
                } else if (polling) {
                    pollProgress();
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
        if (current.xcall != null) { // a cross-call op or an scftorture invocation
            CrossCallState c = current.xcall;
            return c.phase == CrossCallState.WAIT && !c.waitPinned || c.phase == CrossCallState.DECIDE;
        }
        return op == Program.KERNEL && ctx.preemption.kernelPreemptible();
    }

    private void tickEffects() {
        if (current == null || frame == F_SWITCH) return;
        long ran = current.sliceUsed + now - current.runSince;
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
        switchMm(w.mm(t.id));
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
                    t.sliceUsed = 0;
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
                    t.sliceUsed = 0;
                    schedule();
                    return;
                }
                case Program.XCALL -> {
                    startXcall(t, p.xcall[pc], -1);
                    return;
                }
                case Program.SCF_INVOKE -> {
                    if (t.xcall != null) {
                        startXcall(t, specOf(t), t.xcall.scfPrim);
                        return;
                    }
                    long cycle = 2L * ctx.settings.torture().stutterJiffies() * ctx.tickPeriodNs;
                    if (cycle > 0 && now % cycle >= cycle / 2) { // stutter: the invokers pause
                        sleepUntil(t, (now / cycle + 1) * cycle);
                        return;
                    }
                    if (readLock && stopPending) { // cpus_read_lock() sleeps while a writer waits
                        t.state = TaskState.BLOCKED;
                        t.sliceUsed = 0;
                        readLockWaiters.add(t.id);
                        schedule();
                        return;
                    }
                    if (readLock) readers++;
                    taskRng.setState(t.rngState);
                    TortureSettings.Prim prim = w.scf.pick(taskRng.nextDouble());
                    t.rngState = taskRng.state();
                    stats.scfInvoked[prim.ordinal()]++;
                    if (prim == TortureSettings.Prim.RESCHED) {
                        reschedCpu(t);
                        if (readLock) releaseReadLock();
                        t.pc++;
                        continue;
                    }
                    startXcall(t, w.scf.call(prim), prim.ordinal());
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
        t.sliceUsed = 0;
        t.state = TaskState.SLEEPING;
        t.sleepUntil = at;
        t.sleepSeq++;
        q.add(at, key(EV_TIMER), t.id, t.sleepSeq, null);
        schedule();
    }

    /** Preempts the current task in the middle of its op (at an IRQ exit). */
    private void preemptCurrent(long remaining) {
        polling = false;
        current.opRemaining = remaining;
        requeueCurrent();
        schedule();
    }

    /**
     * A preempted task keeps the slice it has used, so that preemptions by higher priorities
     * (an RT task every millisecond) cannot make its slice last for ever and starve its peers.
     */
    private void requeueCurrent() {
        if (sliceExpired) {
            current.sliceUsed = 0;
            rq.enqueueTail(current);
        } else {
            current.sliceUsed += now - current.runSince;
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
        if (stopPending && readers == 0) {
            enterStopper();
            return;
        }
        needResched = false;
        sliceExpired = false;
        TaskState next = rq.pollHighest();
        if (next == null) {
            current = null;
            frame = F_IDLE;
            lazy = loadedMm >= 0; // the idle task keeps the last mm loaded: lazy TLB
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
        int dest = route(taskId);
        if (dest < 0 || dest == cpu) return; // exited
        stats.ipisSent++;
        send(MsgKind.WAKE, dest, taskId, 0, null);
    }

    /** Where a task not held here is: the forward pointer of a move made since the last instant, else the directory. */
    private int route(int taskId) {
        int dest = forward.valueOf(taskId);
        return dest >= 0 ? dest : directory.cpuOf(taskId);
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
        // One activity at a time: a second completion would silently corrupt the frames.
        if (doneSlot >= 0) throw new IllegalStateException("cpu " + cpu + ": two completions armed at " + now);
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
        sendAt(now, kind, dest, taskId, arg, 0, 0, payload);
    }

    /** Sends now a message that leaves at {@code leaves} >= now (a store that completes later). */
    private void sendAt(long leaves, int kind, int dest, int taskId, int arg, int extra, long value,
                        TaskState payload) {
        long at = leaves + ctx.topology.ipiLatency(cpu, dest);
        out.send(new SimMessage(at, kind, cpu, msgSeq++, dest, taskId, arg, extra, value, payload));
    }

    // ---------------------------------------------------------------- cross-calls and shootdowns

    /** Starts, or resumes after a preemption, the task's cross-call op (kernel-model.md §6.1). */
    private void startXcall(TaskState t, XCallSpec x, int scfPrim) {
        frame = F_OP;
        CrossCallState c = t.xcall;
        if (c == null) {
            c = new CrossCallState();
            c.scfPrim = scfPrim;
            t.xcall = c;
            c.seq = ++t.xcallSeq;
            c.startedAt = now;
            c.waitPinned = plan.waitPinned(x);
            stats.crossCalls++;
            enterDispatch(t, x, c);
            return;
        }
        if (storage(x) == CsdFlags.CFD && !onlineView.get(c.ownerCpu) && !ctx.settings.kernel().has(5)) {
            // U5: its CPU died meanwhile and smpcfd_dead_cpu() freed the cfd CSDs it polls.
            violation("csd-use-after-free", t, x.pathWait());
        }
        if (c.phase == CrossCallState.DECIDE) { // preempted while deciding: finish the decision
            armDone(now + Math.max(0, t.opRemaining));
            t.opRemaining = -1;
            return;
        }
        // Back on a CPU after being preempted in its wait (possibly another CPU: it migrated).
        if (c.phase == CrossCallState.WAIT && ctx.settings.kernel().unsafe("u4") && storage(x) == CsdFlags.CFD
            && c.ownerCpu == cpu && cfdMaskOwner != ownerKey(t, c)) {
            // U4: the wait reads this CPU's cfd->cpumask, which another task rewrote meanwhile;
            // its targets are not ours, so the loop ends early (the checker sees what is left).
            polling = false;
            completeXcall(t, x, c);
            return;
        }
        polling = true;
        pollProgress();
    }

    /** The call the task is making: its program's op, or the scftorture primitive it drew. */
    private XCallSpec specOf(TaskState t) {
        CrossCallState c = t.xcall;
        if (c != null && c.scfPrim >= 0) return w.scf.call(TortureSettings.Prim.values()[c.scfPrim]);
        return w.program(t.id).xcall[t.pc];
    }

    /** resched_cpu() of a random CPU: a reschedule IPI, or just need_resched for this one. */
    private void reschedCpu(TaskState t) {
        taskRng.setState(t.rngState);
        int target = (int) (taskRng.nextDouble() * ctx.topology.cpus());
        t.rngState = taskRng.state();
        if (target == cpu) {
            needResched = true;
        } else {
            stats.ipisSent++;
            send(MsgKind.WAKE, target, -1, 0, null);
        }
    }

    /** P+, then csd_lock on every CSD it needs (spinning, pinned, while one is in flight). */
    private void enterDispatch(TaskState t, XCallSpec x, CrossCallState c) {
        if (plan.unpinnedDecision(x) && c.decidedCpu < 0) {
            enterDecide(t, x, c);
            return;
        }
        if (c.decidedCpu >= 0 && c.decidedCpu != cpu) {
            // Decided on one CPU, dispatched from another: a "local" call goes remote (U3), or
            // the flush of the CPU that was judged alone runs elsewhere (U10).
            violation(x.isFlush() ? "flush-decided-on-another-cpu" : "target-chosen-on-another-cpu", t, x.pathDispatch());
        }
        c.pinnedSince = now;
        if (c.decidedCpu < 0) planTargets(t, x, c);
        claimFlushScratch(t, x, c);
        openSection(x.isFlush() && c.targets.length == 0 ? x.pathLocal() : x.pathDispatch(), t.id);
        if (csdBusy(x, c)) {
            checkSelfDeadlock(t, x, c);
            c.phase = CrossCallState.SPIN;
            polling = true;
            return;
        }
        dispatch(x, c);
    }

    /**
     * Unsafe variants: choose the targets and take the CSD locks with preemption enabled; the
     * task may be preempted (even migrated) before it dispatches.
     */
    private void enterDecide(TaskState t, XCallSpec x, CrossCallState c) {
        c.phase = CrossCallState.DECIDE;
        c.decidedCpu = cpu;
        planTargets(t, x, c);
        boolean locks = !x.isFlush() && x.call() != smpemu.config.Op.CallKind.ANY;
        if (locks && csdBusy(x, c)) { // csd_lock() waits first, pinned as in the safe code
            checkSelfDeadlock(t, x, c);
            c.phase = CrossCallState.SPIN;
            polling = true;
            return;
        }
        lockAndDecide(t, x, c);
    }

    /**
     * Takes the CSD locks, then the rest of the decision runs preemptible until the dispatch.
     * Only U2 (a single call's csd_lock) and U6 (many_cond's) lock here; U3 and U10 merely
     * decide unpinned, and their csd_lock comes in the pinned dispatch.
     */
    private void lockAndDecide(TaskState t, XCallSpec x, CrossCallState c) {
        int storage = x.isFlush() || x.call() == smpemu.config.Op.CallKind.ANY ? CsdFlags.OWNED : storage(x);
        if (storage == CsdFlags.DATA) {
            csdDataLocked = true;
            csdDataHolder = t.id;
        } else if (storage == CsdFlags.CFD) {
            for (int target : c.targets) {
                cfdLocked.add(target);
                cfdHolder.add(target, t.id);
            }
        }
        c.locked = storage != CsdFlags.OWNED;
        c.phase = CrossCallState.DECIDE;
        polling = false;
        armDone(now + smpCosts.entry);
    }

    /**
     * csd_lock() about to spin on a CSD whose holder is a task preempted on this CPU before it
     * pushed: only that task can release it, and it cannot run while we spin pinned (U2a, U6).
     */
    private void checkSelfDeadlock(TaskState t, XCallSpec x, CrossCallState c) {
        int storage = storage(x);
        if (storage == CsdFlags.DATA && csdDataLocked) {
            if (decidingElsewhere(csdDataHolder, t)) violation("csd-lock-self-deadlock", t, x.pathDispatch());
        } else if (storage == CsdFlags.CFD) {
            for (int target : c.targets) {
                if (cfdLocked.contains(target) && decidingElsewhere(cfdHolder.valueOf(target), t)) {
                    violation("csd-lock-self-deadlock", t, x.pathDispatch());
                    return;
                }
            }
        }
    }

    private boolean decidingElsewhere(int holderId, TaskState t) {
        TaskState holder = holderId < 0 ? null : find(holderId);
        return holder != null && holder != t && holder.xcall != null && holder.xcall.phase == CrossCallState.DECIDE;
    }

    /**
     * U8 / U9: a flush that keeps a per-CPU descriptor (no patch 10) or the PV scratch mask while
     * its wait is preemptible finds it still in use by a preempted flusher.
     */
    private void claimFlushScratch(TaskState t, XCallSpec x, CrossCallState c) {
        if (!x.isFlush() || c.targets.length == 0 || c.waitPinned) return;
        if (!ctx.settings.kernel().has(10)) {
            if (flushInfoUser >= 0 && flushInfoUser != t.id) violation("flush-tlb-info-overwritten", t, x.pathDispatch());
            flushInfoUser = t.id;
        }
        if (smpCosts.pvFlush) {
            if (pvScratchUser >= 0 && pvScratchUser != t.id) violation("pv-cpu-mask-overwritten", t, x.pathDispatch());
            pvScratchUser = t.id;
        }
    }

    /** Put back the per-CPU descriptor (on whatever CPU the flusher returns: U8's counter bug). */
    private void releaseFlushScratch(TaskState t) {
        if (flushInfoUser == t.id) flushInfoUser = -1;
        if (pvScratchUser == t.id) pvScratchUser = -1;
    }

    /** A waiter must not return while one of its SYNC CSDs is still locked (scftorture's scfc_out). */
    private void checkReturn(TaskState t, XCallSpec x, CrossCallState c) {
        releaseFlushScratch(t);
        if (x.waits() && c.pending > 0) violation("returned-with-csd-locked", t, x.pathWait());
    }

    private void violation(String kind, TaskState t, int path) {
        if (ctx.settings.checkers()) stats.violation(kind, now, t.id, path);
    }

    private void dispatch(XCallSpec x, CrossCallState c) {
        c.phase = CrossCallState.DISPATCH;
        polling = false;
        SmpCosts k = smpCosts;
        long candidates = x.isFlush() || x.call() == smpemu.config.Op.CallKind.ON_EACH_CPU_COND
            ? ctx.topology.cpus() : c.targets.length;
        long cost = k.entry + k.ipiSend * c.targets.length + (condCall(x) ? k.cond * candidates : 0);
        armDone(now + cost);
    }

    /** The end of a timed phase of a cross-call: dispatch done, or the local callback done. */
    private void xcallPhaseDone() {
        TaskState t = current;
        CrossCallState c = t.xcall;
        XCallSpec x = specOf(t);
        if (c.phase == CrossCallState.DECIDE) { // the decision is made: now the pinned dispatch
            c.decided = true;
            enterDispatch(t, x, c);
            return;
        }
        if (c.phase == CrossCallState.DISPATCH) {
            pushCsds(t, x, c);
            if (runsLocally(x, c)) {
                if (!x.isFlush()) stats.callbacks++;
                c.phase = CrossCallState.LOCAL; // callbacks always see IRQs off
                armDone(now + localCost(t, x, c));
                return;
            }
        }
        afterDispatch(t, x, c);
    }

    /** Where the series' early put_cpu() sits: after dispatch and local work, before the wait. */
    private void afterDispatch(TaskState t, XCallSpec x, CrossCallState c) {
        if (!x.waits() || c.pending == 0) {
            completeXcall(t, x, c);
            return;
        }
        c.phase = CrossCallState.WAIT;
        c.waitStartedAt = now;
        polling = true;
        if (c.waitPinned) {
            sectionPath = x.pathWait(); // the section now ends in csd_lock_wait
            if (ctx.settings.kernel().smp().csdlockDebug()) {
                q.add(now + ctx.settings.kernel().smp().csdLockTimeoutNs(), key(EV_CSD_TIMEOUT), t.id, c.seq, null);
            }
            if (anyPending()) tryTakeInterrupts(); // IRQs are on again after the local callback
            return;
        }
        if (ctx.settings.kernel().smp().csdlockDebug()) {
            violation("preemptible-csd-debug-wait", t, x.pathWait()); // U1: smp_processor_id() in preemptible code
        }
        unpin(c);
        if (anyPending()) {
            tryTakeInterrupts();
        } else if (needResched) {
            preemptCurrent(0); // preempt_enable() with need_resched: the waiter gives way
        }
    }

    /** Called while the current task busy-waits: finish, move on, or keep polling. */
    private void pollProgress() {
        TaskState t = current;
        CrossCallState c = t.xcall;
        XCallSpec x = specOf(t);
        if (c.phase == CrossCallState.SPIN) {
            if (csdBusy(x, c)) return;
            if (c.decidedCpu >= 0 && !c.decided && !c.locked) {
                lockAndDecide(t, x, c);
            } else {
                dispatch(x, c);
            }
        } else if (c.pending == 0) {
            completeXcall(t, x, c);
        } else if (needResched && !c.waitPinned) {
            preemptCurrent(0);
        }
    }

    private void completeXcall(TaskState t, XCallSpec x, CrossCallState c) {
        polling = false;
        unpin(c);
        if (c.waitStartedAt >= 0) stats.csdWaitMax = Math.max(stats.csdWaitMax, now - c.waitStartedAt);
        if (x.isFlush() && c.targets.length > 0) stats.shootdown(now - c.startedAt, c.pinnedNs);
        stats.crossCallsDone++;
        if (readLock && c.scfPrim >= 0) releaseReadLock();
        checkReturn(t, x, c);
        t.xcall = null;
        t.pc++;
        frame = F_BETWEEN;
        if (x.rpc() && c.targets.length > 0) {
            if (!t.wakePending) {
                t.state = TaskState.BLOCKED; // wait_for_completion(): the handler wakes it
                t.sliceUsed = 0;
                schedule();
                return;
            }
            t.wakePending = false;
        }
        if (anyPending()) {
            tryTakeInterrupts();
            return;
        }
        continueTask();
    }

    /** put_cpu() down to the caller's level: the pinned stretch (and its section) ends. */
    private void unpin(CrossCallState c) {
        if (c.pinnedSince < 0) return;
        c.pinnedNs += now - c.pinnedSince;
        c.pinnedSince = -1;
        closeSection();
    }

    /** The CPUs a call sends to, decided on the dispatching CPU with the view it has. */
    private void planTargets(TaskState t, XCallSpec x, CrossCallState c) {
        int[] targets;
        int n = ctx.topology.cpus();
        if (x.isFlush() && smpCosts.invlpgb) {
            targets = new int[0]; // broadcast in hardware: no IPIs, only this CPU's TLBSYNC
        } else if (x.isFlush()) {
            java.util.BitSet mask = switch (x.flush()) {
                case MUNMAP, MADVISE, EXIT_MMAP -> w.mm(t.id) < 0 ? new java.util.BitSet() : directory.mmCpus(w.mm(t.id));
                case RECLAIM -> directory.anyMmCpus();
                case VMALLOC_PURGE -> onlineView;
            };
            targets = onlineTargets(mask);
        } else {
            targets = switch (x.call()) {
                case SINGLE, SINGLE_ASYNC -> one(pickSingle(t, x));
                case ANY -> one(pickAny(x));
                case MANY, ON_EACH_CPU_MASK, ON_EACH_CPU_COND -> onlineTargets(x.cpus() == null ? all(n) : bits(x.cpus()));
                case ALL, ON_EACH_CPU -> onlineTargets(onlineView);
            };
        }
        c.ownerCpu = cpu;
        c.targets = targets;
        c.released = new boolean[targets.length];
        c.pending = x.waits() ? targets.length : 0;
    }

    /** A single target: none when it is this CPU (run locally) or offline (-ENXIO). */
    private int[] one(int target) {
        if (target != cpu && !onlineView.get(target)) {
            stats.singleOffline++;
            return new int[0];
        }
        return target == cpu ? new int[0] : new int[] {target};
    }

    /** mask & cpu_online_mask, without this CPU. */
    private int[] onlineTargets(java.util.BitSet mask) {
        return mask.stream().filter(c -> c != cpu && onlineView.get(c)).toArray();
    }

    private int pickSingle(TaskState t, XCallSpec x) {
        int[] cpus = x.cpus();
        taskRng.setState(t.rngState);
        int n = cpus == null ? ctx.topology.cpus() : cpus.length;
        int i = (int) (taskRng.nextDouble() * n);
        t.rngState = taskRng.state();
        return cpus == null ? i : cpus[i];
    }

    /** This CPU if it is in the mask, else the nearest: same socket first, then the lowest id. */
    private int pickAny(XCallSpec x) {
        int[] cpus = x.cpus();
        if (cpus == null) return cpu;
        int best = -1;
        for (int c : cpus) {
            if (c == cpu) return cpu;
            if (best < 0 || ctx.topology.socketOf(c) == ctx.topology.socketOf(cpu)
                && ctx.topology.socketOf(best) != ctx.topology.socketOf(cpu)) {
                best = c;
            }
        }
        return best;
    }

    private static java.util.BitSet all(int n) {
        java.util.BitSet b = new java.util.BitSet(n);
        b.set(0, n);
        return b;
    }

    private static java.util.BitSet bits(int[] cpus) {
        java.util.BitSet b = new java.util.BitSet();
        for (int c : cpus) b.set(c);
        return b;
    }

    private static int[] without(java.util.BitSet mask, int self) {
        return mask.stream().filter(c -> c != self).toArray();
    }

    /** csd_lock() would spin: a CSD this call needs still carries an earlier request. */
    private boolean csdBusy(XCallSpec x, CrossCallState c) {
        if (c.locked) return false; // it took the locks itself while deciding
        int storage = storage(x);
        if (storage == CsdFlags.DATA) return csdDataLocked;
        if (storage != CsdFlags.CFD) return false;
        for (int target : c.targets) if (cfdLocked.contains(target)) return true;
        return false;
    }

    /** Where the call's CSDs live (kernel-model.md §1.1). */
    private static int storage(XCallSpec x) {
        if (x.isFlush()) return CsdFlags.CFD;
        return switch (x.call()) {
            case SINGLE, ANY -> x.waits() ? CsdFlags.STACK : CsdFlags.DATA;
            case SINGLE_ASYNC -> CsdFlags.OWNED;
            default -> CsdFlags.CFD;
        };
    }

    private static boolean condCall(XCallSpec x) {
        if (x.isFlush()) return x.flush() == smpemu.config.Op.FlushKind.MUNMAP
            || x.flush() == smpemu.config.Op.FlushKind.MADVISE || x.flush() == smpemu.config.Op.FlushKind.RECLAIM;
        return x.call() == smpemu.config.Op.CallKind.ON_EACH_CPU_COND;
    }

    private boolean runsLocally(XCallSpec x, CrossCallState c) {
        if (x.isFlush() && smpCosts.invlpgb) return true;
        if (x.isFlush()) {
            return x.flush() == smpemu.config.Op.FlushKind.VMALLOC_PURGE || mmSet.contains(w.mm(current.id))
                || x.flush() == smpemu.config.Op.FlushKind.RECLAIM;
        }
        return switch (x.call()) {
            case SINGLE, SINGLE_ASYNC, ANY -> c.targets.length == 0; // the chosen CPU is this one
            case MANY, ALL -> false;
            case ON_EACH_CPU -> true;
            case ON_EACH_CPU_MASK, ON_EACH_CPU_COND -> x.cpus() == null || bits(x.cpus()).get(cpu);
        };
    }

    /** Pushes one CSD per target; the IPI is raised on arrival if the queue was empty. */
    private static long ownerKey(TaskState t, CrossCallState c) { return (long) t.id << 32 | c.seq; }

    private void pushCsds(TaskState t, XCallSpec x, CrossCallState c) {
        int storage = storage(x);
        if (storage == CsdFlags.CFD) cfdMaskOwner = ownerKey(t, c);
        int flush = flushKind(x);
        boolean full = x.isFlush() && (x.flush() == smpemu.config.Op.FlushKind.EXIT_MMAP
            || x.flush() == smpemu.config.Op.FlushKind.RECLAIM || x.pages() > smpCosts.ceiling);
        int flags = CsdFlags.make(x.waits(), storage, flush, full) | (x.rpc() ? CsdFlags.RPC : 0);
        long value = x.isFlush() ? x.pages() : 0;
        for (int target : c.targets) {
            long func = x.isFlush() ? value : draw(t, x.func());
            if (storage == CsdFlags.CFD && !c.locked) cfdLocked.add(target);
            sendAt(now, MsgKind.CSD_PUSH, target, x.waits() ? t.id : -1, flags,
                x.isFlush() ? w.mm(t.id) : x.rpc() ? t.id : -1, func, null);
        }
        // A local call unlocks the per-CPU csd_data before running the function itself.
        if (storage == CsdFlags.DATA) csdDataLocked = c.targets.length > 0;
    }

    private static int flushKind(XCallSpec x) {
        if (!x.isFlush()) return CsdFlags.NO_FLUSH;
        return switch (x.flush()) {
            case MUNMAP, MADVISE -> CsdFlags.FLUSH_USER_COND;
            case EXIT_MMAP -> CsdFlags.FLUSH_USER_ALL;
            case RECLAIM -> CsdFlags.FLUSH_KERNEL_COND;
            case VMALLOC_PURGE -> CsdFlags.FLUSH_KERNEL_ALL;
        };
    }

    /** The local callback: the function itself, or this CPU's part of the flush. */
    private long localCost(TaskState t, XCallSpec x, CrossCallState c) {
        if (!x.isFlush()) return draw(t, x.func());
        if (smpCosts.invlpgb) return smpCosts.broadcast;
        boolean full = x.flush() == smpemu.config.Op.FlushKind.EXIT_MMAP
            || x.flush() == smpemu.config.Op.FlushKind.RECLAIM || x.pages() > smpCosts.ceiling;
        return full ? smpCosts.flushFull : smpCosts.flushPages(x.pages());
    }

    /** A CSD arrives: should_flush_tlb() of a conditional flush is read on arrival (see README). */
    private void onCsdPush(SimMessage m) {
        int f = m.arg();
        if (offline) { // stranded on a dead CPU's queue: only an unpinned sender gets here
            if (ctx.settings.checkers()) stats.violation("push-after-dying-drain", now, m.taskId(), w.unlockPath);
            return;
        }
        if (!shouldFlush(CsdFlags.flush(f), m.extra())) {
            unlockCsd(m, now); // the sender would not have queued it: release it at once
            return;
        }
        int storage = CsdFlags.storage(f);
        if (storage == CsdFlags.CFD || storage == CsdFlags.DATA) {
            for (SimMessage queued : callQueue) {
                // The same per-CPU CSD queued twice: two owners (U2a, U6); the llist would loop.
                if (queued.src() == m.src() && CsdFlags.storage(queued.arg()) == storage && ctx.settings.checkers()) {
                    stats.violation("csd-pushed-while-queued", now, m.taskId(), w.unlockPath);
                }
            }
        }
        boolean wasEmpty = callQueue.isEmpty();
        callQueue.add(m);
        if (wasEmpty) {
            // The IPI goes out only when the queue was empty (kernel-model.md §1.2).
            if (smpCosts.idlePoll && current == null && !inIrq) {
                idleDrain = true; // polling idle: a flag write, no interrupt
            } else {
                stats.ipisSent++;
            }
            callIpiPending = true;
            tryTakeInterrupts();
        }
    }

    private boolean shouldFlush(int flush, int mm) {
        // kvm_flush_tlb_multi(): a preempted vCPU gets "flush on next entry" instead of an IPI.
        if (flush != CsdFlags.NO_FLUSH && smpCosts.pvFlush && inIrq && runningIrq >= 0
            && irqs.get(runningIrq).spec().vcpuPreempted()) {
            return false;
        }
        return switch (flush) {
            case CsdFlags.FLUSH_USER_COND -> frame == F_SWITCH || !lazy && loadedMm == mm;
            case CsdFlags.FLUSH_KERNEL_COND -> !lazy;
            default -> true;
        };
    }

    /**
     * generic_smp_call_function_single_interrupt(): take the whole queue; SYNC entries run then
     * unlock, the others unlock then run (kernel-model.md §1.5). Returns the handler's length.
     */
    private long callFunctionInterrupt() {
        callIpiPending = false;
        long t = now + (idleDrain ? 0 : smpCosts.handler);
        idleDrain = false;
        for (SimMessage m : callQueue) {
            if (CsdFlags.sync(m.arg())) {
                t += callbackCost(m);
                unlockCsd(m, t);
            }
        }
        for (SimMessage m : callQueue) {
            if (!CsdFlags.sync(m.arg())) {
                unlockCsd(m, t);
                t += callbackCost(m);
                if ((m.arg() & CsdFlags.RPC) != 0) doWake(m.extra(), now); // complete(&scfcp->scfc_completion)
            }
        }
        stats.callbacks += callQueue.size();
        callQueue.clear();
        return t - now;
    }

    /** flush_tlb_func() (kernel-model.md §3.4) or the cross-call's function. */
    private long callbackCost(SimMessage m) {
        int f = m.arg();
        int flush = CsdFlags.flush(f);
        if (flush == CsdFlags.NO_FLUSH) return m.value();
        int mm = m.extra();
        if (flush == CsdFlags.FLUSH_USER_COND || flush == CsdFlags.FLUSH_USER_ALL) {
            if (loadedMm != mm || lazy) {
                // Not running that mm (or lazy: switch to init_mm): leave its mm_cpumask.
                mmSet.remove(mm);
                mmDelta.add(-(mm + 1));
                if (loadedMm == mm) loadedMm = -1;
                lazy = false;
                return smpCosts.flushSkip;
            }
        }
        return CsdFlags.full(f) ? smpCosts.flushFull : smpCosts.flushPages((int) m.value());
    }

    /** csd_unlock(): the release store reaches the CSD's owner after {@code at} plus delivery. */
    private void unlockCsd(SimMessage m, long at) {
        sendAt(at, MsgKind.CSD_UNLOCK, m.src(), m.taskId(), cpu, m.arg(), 0, null);
    }

    private void onCsdUnlock(SimMessage m) {
        int f = m.extra();
        if (offline && CsdFlags.sync(f) && CsdFlags.storage(f) == CsdFlags.CFD && !ctx.settings.kernel().has(5)) {
            // smpcfd_dead_cpu() freed this CPU's cfd CSD array; its migrated waiter still polls it.
            if (ctx.settings.checkers()) stats.violation("csd-use-after-free", now, m.taskId(), w.unlockPath);
        }
        int storage = CsdFlags.storage(f);
        if (storage == CsdFlags.CFD) cfdLocked.remove(m.arg());
        if (storage == CsdFlags.DATA) csdDataLocked = false;
        if (CsdFlags.sync(f)) releaseWaiter(m.taskId(), m.arg());
        if (polling && !inIrq && current.xcall != null && current.xcall.phase == CrossCallState.SPIN) {
            pollProgress();
        }
    }

    /** The waiter sees its CSD for {@code target} unlocked, wherever it runs now. */
    private void releaseWaiter(int taskId, int target) {
        TaskState t = find(taskId);
        if (t == null) {
            int dest = route(taskId);
            if (dest >= 0 && dest != cpu) send(MsgKind.CSD_RELEASE, dest, taskId, target, null);
            return;
        }
        if (t.xcall == null || !t.xcall.release(target) || t.xcall.pending > 0) return;
        if (t == current && polling && !inIrq) pollProgress();
    }

    /** csdlock_debug: "non-responsive CSD lock" after csd_lock_timeout (kernel-model.md §1.4). */
    private void onCsdTimeout(int taskId, int seq) {
        TaskState t = find(taskId);
        if (t == null || t.xcall == null || t.xcall.seq != seq || t.xcall.pending == 0) return;
        int target = -1;
        for (int i = 0; i < t.xcall.targets.length && target < 0; i++) {
            if (!t.xcall.released[i]) target = t.xcall.targets[i];
        }
        stats.csdReport(now, t.id, target, now - t.xcall.waitStartedAt);
        q.add(now + ctx.settings.kernel().smp().csdLockTimeoutNs(), key(EV_CSD_TIMEOUT), taskId, seq, null);
    }

    /** switch_mm(): a user task loads its mm (joining mm_cpumask); a kthread runs lazily on the old one. */
    private void switchMm(int mm) {
        if (mm < 0) {
            lazy = loadedMm >= 0;
            return;
        }
        loadedMm = mm;
        lazy = false;
        if (!mmSet.contains(mm)) {
            mmSet.add(mm);
            mmDelta.add(mm);
        }
    }

    // ---------------------------------------------------------------- CPU hotplug

    /**
     * stop_machine() for taking CPU {@code dying} down (kernel-model.md §6.3): a stopper must run
     * here, and it can only start at a preemption point, so a pinned sender delays it.
     */
    private void onStopRequest(int dying) {
        if (offline) return;
        stopPending = true;
        stopDying = dying;
        stopRequestedAt = now;
        needResched = true;
        if (frame == F_IDLE && !inIrq) {
            schedule();
        } else {
            ipiPending = true; // wake_up of the stopper: resched_curr() sends an IPI
            tryTakeInterrupts();
        }
    }

    /** The lowest online CPU other than the dying one collects the stoppers' arrivals. */
    private int controlCpu() {
        int c = onlineView.nextSetBit(0);
        return c == stopDying ? onlineView.nextSetBit(c + 1) : c;
    }

    /**
     * The stopper: preemption off, interrupts still on while it waits for the others (the
     * first stage of multi_cpu_stop), so pending cross-calls still complete.
     */
    private void enterStopper() {
        stopPending = false;
        needResched = false;
        current = null;
        frame = F_STOP;
        disarmTick();
        openSection(w.stopPath, -1);
        int control = controlCpu();
        if (control == cpu) {
            onStopArrived();
        } else {
            send(MsgKind.STOP_ARRIVED, control, -1, stopDying, null);
        }
    }

    private void onStopArrived() {
        if (++stopArrivals < onlineView.cardinality()) return;
        stopArrivals = 0;
        int dying = stopDying;
        for (int c = onlineView.nextSetBit(0); c >= 0; c = onlineView.nextSetBit(c + 1)) {
            if (c != cpu) send(MsgKind.STOP_GO, c, -1, dying, null);
        }
        onStopGo(dying);
    }

    /** Every stopper ran: the dying CPU leaves the online mask; the others resume. */
    private void onStopGo(int dying) {
        onlineView.clear(dying);
        closeSection();
        for (int i = 0, n = readLockWaiters.size(); i < n; i++) { // cpus_write_unlock(): readers go on
            TaskState r = find(readLockWaiters.get(i));
            if (r != null) ttwuLocal(r, now);
        }
        readLockWaiters.clear();
        if (cpu == dying) {
            dyingCpu();
            return;
        }
        frame = F_IDLE;
        stopDying = -1;
        if (inIrq) return; // the go came during an interrupt: its exit schedules from idle
        if (anyPending()) {
            tryTakeInterrupts();
        } else {
            schedule();
        }
    }

    /** smpcfd_dying_cpu() drains the queue, then every task moves to an online CPU. */
    private void dyingCpu() {
        if (!callQueue.isEmpty()) callFunctionInterrupt();
        callIpiPending = false;
        stats.stopMachine(now - stopRequestedAt);
        for (TaskState t : new ArrayList<>(held)) {
            int dest = evacuationTarget(t.id);
            rq.remove(t);
            held.remove(t);
            forward.add(t.id, dest);
            movedOut.add(t.id, dest);
            stats.migrationsOut++;
            send(MsgKind.MIGRATE_IN, dest, t.id, 0, t);
        }
        offline = true;
        if (!ctx.settings.kernel().has(5)) stats.csdArrayFrees++; // smpcfd_dead_cpu(); patch 5 keeps it
        frame = F_IDLE;
        stopDying = -1;
        wakeList.clear();
        wakeListTime.clear();
        expiredTimers.clear();
        expiredTime.clear();
        ipiPending = tickPending = false;
        java.util.Arrays.fill(irqRaisedAt, -1);
        irqsPending = 0;
    }

    /** An allowed online CPU, spread by task id; else any online CPU (affinity broken, as the kernel does). */
    private int evacuationTarget(int task) {
        int[] allowed = java.util.Arrays.stream(w.affinity(task)).filter(onlineView::get).toArray();
        if (allowed.length > 0) return allowed[task % allowed.length];
        return onlineView.nextSetBit(0);
    }

    /** cpu_up(): every CPU adds it to its online mask; the CPU itself comes back to life. */
    private void onCpuOnline(int up) {
        onlineView.set(up);
        if (up != cpu || !offline) return;
        offline = false;
        stats.onlined++;
        if (!ctx.settings.kernel().has(5)) stats.csdArrayAllocs++; // smpcfd_prepare_cpu() again
        for (int i = 0; i < irqs.size(); i++) q.add(now + nextIrqGap(i), key(EV_IRQ), -1, i, null);
    }

    /** A reader left its invocation: a stopper waiting for it may run at the next preemption point. */
    private void releaseReadLock() {
        readers--;
        if (readers == 0 && stopPending) needResched = true;
    }

    /** Whether this CPU is offline (for tests and the snapshot). */
    public boolean isOffline() { return offline; }
}
