package smpemu.node.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import smpemu.config.Dist;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.MsgKind;
import smpemu.protocol.Rng;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * One simulated CPU's state, what the kernel keeps in per-CPU variables and its {@code struct rq}:
 * the event queue standing for the CPU's clock, the current task and run queue, the interrupt
 * state, the call_single_queue and CSDs, the TLB state, the hotplug view. The kernel files
 * ({@link Smp}, {@link Tlb}, {@link SchedCore}, ...) are reached through it, as the kernel's
 * functions reach each other. Package-private on purpose: only the model touches it.
 *
 * <p>Execution has two frames: the task frame (idle, a timed op of the current task, a context
 * switch, "between ops", or the stopper) and at most one hard-IRQ handler above it (x86 handlers
 * run with IRQs off, so they do not nest). Interrupts arriving while IRQs are off stay pending.
 */
final class PerCpu {
    static final int EV_TIMER = MsgKind.COUNT, EV_IRQ = MsgKind.COUNT + 1,
        EV_TICK = MsgKind.COUNT + 2, EV_DONE = MsgKind.COUNT + 3, EV_CSD_TIMEOUT = MsgKind.COUNT + 4,
        EV_STEAL = MsgKind.COUNT + 5;

    static final int F_IDLE = 0, F_OP = 1, F_SWITCH = 2, F_BETWEEN = 3, F_STOP = 4;

    final int id;
    final ModelContext ctx;
    final Workload w;
    final EventQueue q = new EventQueue(16);
    final Rng rng;
    final Rng taskRng = new Rng(0);
    private final Outbox out;
    final CpuStats stats;
    final RunQueue rq;
    final SmpCosts smpCosts;

    // the kernel files, one object each for this CPU
    final TraceIrqsoff trace;
    final SchedCore sched;
    final IrqEntry irq;
    final Smp smp;
    final CallSteps steps;
    final Tlb tlb;
    final CpuHotplug hotplug;
    final StopMachine stopMachine;
    final ScfTorture scf;
    final Interpreter interp;
    final Qspinlock qspinlock;
    final Softirq softirq;
    final HostSteal host;
    /** The probe points the kernel files fire; statistics and the blame recorder always listen, checkers when enabled. */
    final Probes probe = new Probes();
    final Kernel kernel;

    // tasks
    final List<TaskState> held = new ArrayList<>();
    Directory directory;
    /** Moves made since the last coordinator instant: forward pointers, and the list handed over. */
    final IntPairs forward = new IntPairs();
    final IntPairs movedOut = new IntPairs();

    long now;
    private long localSeq;
    private long msgSeq;

    TaskState current;
    int frame = F_IDLE;
    /**
     * The running activity's completion (EV_DONE), at most one, kept beside the queue rather than
     * in it: most events are completions, and each is armed, and then run or cancelled, right
     * away. It is ordered against the queue by (time, order key) exactly as if it were in it.
     */
    boolean doneArmed;
    long doneTime;
    long doneKey;
    /** The running (or last) event's time and order key, before any SMI delayed it: which buffered TLB stores it sees. */
    long eventTime = Long.MIN_VALUE;
    long eventKey;
    boolean needResched;
    boolean sliceExpired;
    int tickSlot = -1;

    // interrupts (arch/x86: the APIC's pending vectors and this CPU's IRQ state)
    final List<Workload.IrqSource> irqs;
    final long[] irqRaisedAt;
    int irqsPending;
    boolean inIrq;
    long savedRemaining;
    boolean tickPending;
    boolean ipiPending;
    /** The device interrupt source whose handler runs now (-1: none, or another interrupt). */
    int runningIrq = -1;
    /** End of the SMI this CPU is in (System Management Mode): no event is processed before it. */
    long frozenUntil;
    final IntPairs wakeList = new IntPairs();       // (task, unused); arrival in wakeListTime
    final LongList wakeListTime = new LongList();
    final IntPairs expiredTimers = new IntPairs();
    final LongList expiredTime = new LongList();
    boolean reschedIpi;

    // kernel/smp.c (its per-CPU cfd, csd_data and call_single_queue)
    final IntList cfdLocked = new IntList();   // targets of cfd CSDs not yet unlocked
    boolean csdDataLocked;
    final List<SimMessage> callQueue = new ArrayList<>();
    boolean callIpiPending;
    boolean idleDrain;
    /** The current task busy-waits (csd_lock spin or csd_lock_wait): no completion event. */
    boolean polling;
    /** This CPU's cfd->cpumask: the targets of the last call that queued cfd CSDs, and which call (task, seq) that was. */
    int[] cfdMask = new int[0];
    long cfdMaskOwner = -1;
    /** Who took the csd_data lock, and each cfd CSD's lock, while deciding (unsafe variants). */
    int csdDataHolder = -1;
    final IntPairs cfdHolder = new IntPairs();

    // arch/x86/mm/tlb.c: cpu_tlbstate (the loaded mm, lazy mode) and this CPU's mm_cpumask bits
    int loadedMm = -1;
    boolean lazy;
    final IntList mmSet = new IntList();
    /** Task using this CPU's per-CPU flush_tlb_info / PV scratch mask (-1: free), for U8 / U9. */
    int flushInfoUser = -1;
    int pvScratchUser = -1;

    // kernel/cpu.c and kernel/stop_machine.c: the online mask as this CPU knows it
    final BitSet onlineView = new BitSet();
    boolean offline;
    boolean stopPending;
    int stopDying = -1;
    long stopRequestedAt;
    int stopArrivals;
    /** cpus_read_lock(): scftorture invocations holding it here, and those waiting for a writer. */
    final boolean readLock;
    int readers;
    final IntList readLockWaiters = new IntList();
    long nextStatAt;

    PerCpu(int id, ModelContext ctx, Outbox out) {
        this.id = id;
        this.ctx = ctx;
        this.w = ctx.workload;
        this.out = out;
        this.rng = Rng.forEntity(ctx.settings.seed(), ModelContext.CPU_STREAM, id);
        this.stats = new CpuStats(id, ctx.durationNs, ctx.settings.windowNs(), ctx.settings.longestSections());
        this.rq = new RunQueue(w);
        this.irqs = w.irqs(id);
        this.smpCosts = new SmpCosts(ctx.settings.kernel().smp(), ctx.settings.kernel().kvmHintsRealtime());
        this.kernel = new Kernel(ctx.settings.kernel());
        this.onlineView.set(0, ctx.topology.cpus());
        this.readLock = ctx.settings.torture().useCpusReadLock();
        long stat = ctx.settings.torture().statIntervalNs();
        this.nextStatAt = stat > 0 && w.hasScfInvoke() ? stat : Long.MAX_VALUE;
        this.irqRaisedAt = new long[irqs.size()];
        Arrays.fill(irqRaisedAt, -1);
        this.trace = new TraceIrqsoff(this);
        this.sched = new SchedCore(this);
        this.irq = new IrqEntry(this);
        this.smp = new Smp(this);
        this.steps = new CallSteps(this);
        this.tlb = new Tlb(this);
        this.hotplug = new CpuHotplug(this);
        this.stopMachine = new StopMachine(this);
        this.scf = new ScfTorture(this);
        this.interp = new Interpreter(this);
        this.qspinlock = new Qspinlock(this);
        this.softirq = new Softirq(this);
        this.host = new HostSteal(this);
        probe.attach(new Statistics());
        probe.attach(new BlameRecorder());
        if (ctx.settings.checkers()) probe.attach(new Checkers());
        if (ctx.trace != null) probe.attach(ctx.trace.recorder(this));
        if (ctx.latency != null) probe.attach(ctx.latency.recorder(this));
        if (ctx.tasks != null) probe.attach(ctx.tasks.recorder());
    }

    /** preempt_count's hard-IRQ offset (HARDIRQ_OFFSET). */
    static final int HARDIRQ_OFFSET = 1 << 16;

    /** preempt_count's softirq offset (SOFTIRQ_OFFSET). */
    static final int SOFTIRQ_OFFSET = 1 << 8;

    /**
     * preempt_count() on this CPU: the running task's level plus the hard-IRQ offset in a
     * handler and the softirq offset in softirq processing on IRQ exit.
     */
    int preemptCount() {
        return (inIrq ? HARDIRQ_OFFSET : 0) + (softirq.running() && !softirq.inThread() ? SOFTIRQ_OFFSET : 0)
            + taskPreemptCount();
    }

    /** include/linux/preempt.h: in_interrupt(): in a hard-IRQ handler or serving softirqs. */
    boolean inInterrupt() { return inIrq || softirq.running(); }

    /**
     * The CPU is frozen for {@code len} from now (an SMI, or the host running something else on
     * this vCPU's pCPU): nothing runs, whatever the IRQ state; the running activity ends that much
     * later and what comes due meanwhile is processed at the end ({@link #nextDue()}).
     */
    void freeze(long len) {
        frozenUntil = now + len;
        if (doneArmed) {
            doneArmed = false;
            armDone(doneTime + len);
        }
    }

    /**
     * The running task's preempt_count: 1 in a context switch (the run-queue lock), the stopper,
     * a spinlock, preempt_disable() or local_bh_disable() section (and a wake-up, under the task's
     * pi_lock); in a
     * cross-call what its code path left there (zero in a preemptible decision, the count at
     * csd_lock_wait() in the wait; the model's csd_lock spin, dispatch and local callback run at 1).
     */
    int taskPreemptCount() {
        if (frame == F_SWITCH || frame == F_STOP) return 1;
        if (frame != F_OP) return 0;
        CrossCallState c = current.xcall;
        if (c != null) {
            return switch (c.phase) {
                case CrossCallState.DECIDE -> 0;
                case CrossCallState.WAIT -> c.waitCount;
                default -> 1;
            };
        }
        int op = w.program(current.id).code[current.pc];
        return switch (op) {
            case Program.PREEMPT_OFF, Program.PREEMPT_OFF_RAW, Program.IRQSAVE, Program.BH_OFF, Program.WAKE,
                Program.SPIN_LOCK, Program.SPIN_LOCK_IRQSAVE -> 1;
            case Program.KSOFTIRQD -> softirq.threadPreemptCount();
            default -> 0;
        };
    }

    TaskState find(int taskId) {
        for (int i = 0, n = held.size(); i < n; i++) {
            TaskState t = held.get(i);
            if (t.id == taskId) return t;
        }
        return null;
    }

    /** A draw from the task's own generator, so that draws follow the task wherever it runs. */
    long draw(TaskState t, Dist d) {
        taskRng.setState(t.rngState);
        long v = d.sample(taskRng);
        t.rngState = taskRng.state();
        return v;
    }

    double drawUniform(TaskState t) {
        taskRng.setState(t.rngState);
        double u = taskRng.nextDouble();
        t.rngState = taskRng.state();
        return u;
    }

    long nextIrqGap(int index) {
        return Math.max(1, irqs.get(index).spec().interarrival().sample(rng));
    }

    /** When the earliest pending event is processed: its time, or the end of the SMI it came due in. */
    long nextDue() { return Math.max(Math.min(doneArmed ? doneTime : Long.MAX_VALUE, q.peekTime()), frozenUntil); }

    /** Whether the armed completion comes before every queued event. */
    boolean doneFirst() {
        if (!doneArmed) return false;
        long t = q.peekTime();
        return doneTime < t || doneTime == t && doneKey < q.peekKey();
    }

    long key(int cls) { return EventQueue.orderKey(cls, id, localSeq++); }

    void armDone(long at) {
        // One activity at a time: a second completion would silently corrupt the frames.
        if (doneArmed) throw new IllegalStateException("cpu " + id + ": two completions armed at " + now);
        doneTime = at;
        doneKey = key(EV_DONE);
        doneArmed = true;
    }

    void armTick() {
        if (tickSlot >= 0) return;
        long p = ctx.tickPeriodNs;
        tickSlot = q.add((now / p + 1) * p, key(EV_TICK), -1, 0, null);
    }

    void disarmTick() {
        if (tickSlot < 0) return;
        q.remove(tickSlot);
        tickSlot = -1;
    }

    void send(int kind, int dest, int taskId, int arg, TaskState payload) {
        sendAt(now, kind, dest, taskId, arg, 0, 0, payload);
    }

    /** Sends now a message that leaves at {@code leaves} >= now (a store that completes later). */
    void sendAt(long leaves, int kind, int dest, int taskId, int arg, int extra, long value, TaskState payload) {
        long at = leaves + ctx.ipi.latency(id, dest);
        out.send(new SimMessage(at, kind, id, msgSeq++, dest, taskId, arg, extra, value, payload));
    }

    /** Sends now a message that takes {@code latency} instead of the IPI latency (a cache-line transfer). */
    void sendAfter(long latency, int kind, int dest, int taskId, int arg, int extra, long value) {
        out.send(new SimMessage(now + latency, kind, id, msgSeq++, dest, taskId, arg, extra, value, null));
    }

    /** Where a task not held here is: the forward pointer of a move made since the last instant, else the directory. */
    int route(int taskId) {
        int dest = forward.valueOf(taskId);
        return dest >= 0 ? dest : directory.cpuOf(taskId);
    }
}
