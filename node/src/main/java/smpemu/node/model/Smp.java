package smpemu.node.model;

import java.util.BitSet;
import smpemu.config.Op.CallKind;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.MsgKind;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * kernel/smp.c on this CPU (docs/kernel-model.md §2-3). The caller side runs each entry point's
 * code path when a call starts ({@link CallPath}: preempt_count as get_cpu()/put_cpu() move it,
 * with the patches where they change the code); the call then goes through the model's timed
 * steps: choosing the targets and csd_lock() (spinning while a CSD is still in flight), the
 * dispatch (pushes and IPIs), the local callback with IRQs off, and csd_lock_wait(), preemptible
 * exactly when the count the code path left there is zero. The handler side drains the
 * call_single_queue and unlocks the CSDs.
 */
final class Smp {
    private final PerCpu cpu;
    private final Kernel k;
    /** The code path of the call being started (scratch: entry points run to completion at once). */
    private final CallPath path = new CallPath();

    Smp(PerCpu cpu) {
        this.cpu = cpu;
        this.k = cpu.kernel;
    }

    // ---------------------------------------------------------------- entry points (caller side)

    /**
     * A task's cross-call op (or scftorture's drawn primitive) starts, or resumes after a
     * preemption: the entry point's code path gives the preempt_count at the decision and at the
     * wait, then the timed steps run.
     */
    void startCall(TaskState t, XCallSpec x, int scfPrim) {
        cpu.frame = PerCpu.F_OP;
        CrossCallState c = t.xcall;
        if (c != null) {
            resume(t, x, c);
            return;
        }
        c = new CrossCallState();
        c.scfPrim = scfPrim;
        t.xcall = c;
        c.seq = ++t.xcallSeq;
        c.startedAt = cpu.now;
        path.reset(k);
        if (scfPrim >= 0) {
            cpu.scf.invokeOneCaller(path, x);
        } else {
            caller(path, x);
        }
        if (path.count() != 0) throw new IllegalStateException("unbalanced preempt_count on the code path of " + x);
        boolean preemptible = cpu.ctx.preemption.kernelPreemptible();
        c.waitPinned = !x.waits() || !preemptible || path.atWait() > 0;
        cpu.probe.callStarted(cpu, t, x, c);
        csdLockAndDispatch(t, x, c, preemptible && path.atDecision() == 0);
    }

    /**
     * A program's kernel op as a kernel caller makes it: inside a spinlock when it is under-lock,
     * and, for smp_call_function_many(), with preemption disabled as its kernel-doc asks until
     * patch 6 (which makes it pin itself).
     */
    private void caller(CallPath p, XCallSpec x) {
        if (x.underLock()) p.spinLock();
        boolean contract = !x.isFlush() && x.call() == CallKind.MANY && !k.patch(6);
        if (contract) p.preemptDisable();
        if (x.isFlush()) {
            cpu.tlb.entry(p, x);
        } else {
            entry(p, x);
        }
        if (contract) p.preemptEnable();
        if (x.underLock()) p.spinUnlock();
    }

    /** The smp.c entry point of a direct cross-call. */
    void entry(CallPath p, XCallSpec x) {
        switch (x.call()) {
            case SINGLE -> smpCallFunctionSingle(p, x);
            case SINGLE_ASYNC -> smpCallFunctionSingleAsync(p, x);
            case ANY -> smpCallFunctionAny(p, x);
            case MANY -> smpCallFunctionMany(p, x);
            case ALL -> smpCallFunction(p, x);
            case ON_EACH_CPU, ON_EACH_CPU_MASK, ON_EACH_CPU_COND -> onEachCpuCondMask(p, x);
        }
    }

    /** kernel/smp.c: smp_call_function_single() (after patch 3: __smp_call_function_single() without a mask) */
    void smpCallFunctionSingle(CallPath p, XCallSpec x) {
        p.getCpu();                                   // this_cpu = get_cpu()
        if (k.unsafe(Kernel.U2)) p.putCpu();          // U2: the early put_cpu() moved before the CSD is taken
        p.decide();                                   // (the mask's nearest CPU), online check, csd_lock()
        genericExecSingle(p);
        if (k.patch(2) && !k.unsafe(Kernel.U2)) p.putCpu(); // patch 2: preemption back on before the wait
        if (x.waits()) csdLockWait(p);
        if (!k.patch(2)) p.putCpu();
    }

    /** kernel/smp.c: smp_call_function_single_async(): a caller-owned CSD, pinned around the push only. */
    void smpCallFunctionSingleAsync(CallPath p, XCallSpec x) {
        p.preemptDisable();
        p.decide();
        genericExecSingle(p);
        p.preemptEnable();
    }

    /**
     * kernel/smp.c: smp_call_function_any(): this CPU if it is in the mask, else the nearest.
     * Patch 3 moves the choice into __smp_call_function_single()'s own pinned region and drops
     * the outer get_cpu(); U3 drops the outer get_cpu() without moving the choice (v4).
     */
    void smpCallFunctionAny(CallPath p, XCallSpec x) {
        if (k.patch(3) && !k.unsafe(Kernel.U3)) {
            smpCallFunctionSingle(p, x);
            return;
        }
        if (!k.unsafe(Kernel.U3)) p.getCpu();         // cpu = get_cpu()
        p.decide();                                   // sched_numa_find_nth_cpu(mask, 0, cpu_to_node(cpu))
        smpCallFunctionSingle(p, x);
        if (!k.unsafe(Kernel.U3)) p.putCpu();
    }

    /** kernel/smp.c: smp_call_function_many(): smp_call_function_many_cond() without a condition. */
    void smpCallFunctionMany(CallPath p, XCallSpec x) {
        smpCallFunctionManyCond(p, x);
    }

    /**
     * kernel/smp.c: smp_call_function_many_cond(). Patch 6: it pins itself with get_cpu() instead
     * of relying on its caller, and puts it back before the wait when the task has its own IPI
     * mask (patch 4); U4 takes the early put_cpu() while waiting on the shared cfd->cpumask.
     */
    void smpCallFunctionManyCond(CallPath p, XCallSpec x) {
        if (k.patch(6)) p.getCpu();                   // this_cpu = get_cpu()
        p.decide();                                   // cfd->cpumask = mask & online (cond_func per CPU), csd_lock() each
        // pushes, send_call_function_ipi_mask(), the SCF_RUN_LOCAL callback with IRQs off
        boolean early = k.patch(6) && (k.patch(4) || k.unsafe(Kernel.U4));
        if (early) p.putCpu();
        if (x.waits()) csdLockWait(p);
        if (k.patch(6) && !early) p.putCpu();
    }

    /** kernel/smp.c: smp_call_function(): every other online CPU; patch 7 drops its preempt_disable(). */
    void smpCallFunction(CallPath p, XCallSpec x) {
        if (!k.patch(7)) p.preemptDisable();
        smpCallFunctionMany(p, x);
        if (!k.patch(7)) p.preemptEnable();
    }

    /**
     * kernel/smp.c: on_each_cpu_cond_mask() (on_each_cpu(), on_each_cpu_mask() and
     * on_each_cpu_cond() are its wrappers): many_cond with SCF_RUN_LOCAL; patch 8 drops its
     * preempt_disable().
     */
    void onEachCpuCondMask(CallPath p, XCallSpec x) {
        if (!k.patch(8)) p.preemptDisable();
        smpCallFunctionManyCond(p, x);
        if (!k.patch(8)) p.preemptEnable();
    }

    /** kernel/smp.c: generic_exec_single(): the push and the IPI, done in the dispatch step. */
    private static void genericExecSingle(CallPath p) {
        // Nothing on the code path: the CSD push and the IPI are the call's timed dispatch step.
    }

    /**
     * kernel/smp.c: csd_lock_wait(). With csdlock_debug the wait is __csd_lock_wait()'s loop,
     * which patch 1 runs under its own preempt guard (it uses per-CPU state); U1 drops it.
     */
    void csdLockWait(CallPath p) {
        boolean guard = cpu.ctx.settings.kernel().smp().csdlockDebug() && k.patch(1);
        if (guard) p.preemptDisable();
        p.waitHere();
        if (guard) p.preemptEnable();
    }

    // ---------------------------------------------------------------- the call's timed steps

    /** Resumes a call whose task was preempted (possibly on another CPU: it migrated). */
    private void resume(TaskState t, XCallSpec x, CrossCallState c) {
        cpu.probe.callResumed(cpu, t, x, c);
        if (c.phase == CrossCallState.DECIDE) { // preempted while deciding: finish the decision
            cpu.armDone(cpu.now + Math.max(0, t.opRemaining));
            t.opRemaining = -1;
            return;
        }
        if (c.phase == CrossCallState.WAIT && k.unsafe(Kernel.U4) && storage(x) == CsdFlags.CFD
            && c.ownerCpu == cpu.id && cpu.cfdMaskOwner != ownerKey(t, c)) {
            // U4: the wait reads this CPU's cfd->cpumask, which another task rewrote meanwhile;
            // its targets are not ours, so the loop ends early (the checker sees what is left).
            cpu.polling = false;
            callReturns(t, x, c);
            return;
        }
        cpu.polling = true;
        csdLockWaitLoop();
    }

    /** The call the task is making: its program's op, or the scftorture primitive it drew. */
    XCallSpec specOf(TaskState t) {
        CrossCallState c = t.xcall;
        if (c != null && c.scfPrim >= 0) return cpu.w.scf.call(smpemu.config.TortureSettings.Prim.values()[c.scfPrim]);
        return cpu.w.program(t.id).xcall[t.pc];
    }

    /**
     * The decision (targets, or the flush's branch) and csd_lock() on every CSD the call needs,
     * spinning, pinned, while one is still in flight; then the dispatch. With the count at zero
     * at the decision (unsafe code paths only) the decision runs preemptible first.
     */
    private void csdLockAndDispatch(TaskState t, XCallSpec x, CrossCallState c, boolean decideUnpinned) {
        if (decideUnpinned && c.decidedCpu < 0) {
            decidePreemptible(t, x, c);
            return;
        }
        c.pinnedSince = cpu.now;
        if (c.decidedCpu < 0) chooseTargets(t, x, c);
        cpu.probe.callDispatching(cpu, t, x, c);
        if (x.isFlush()) cpu.tlb.getFlushTlbInfo(t, x, c);
        cpu.trace.startCriticalTiming(x.isFlush() && c.targets.length == 0 ? x.pathLocal() : x.pathDispatch(), t.id);
        if (csdLocked(x, c)) {
            csdLockSpin(t, x, c);
            return;
        }
        dispatch(x, c);
    }

    /** csd_lock() spins, pinned, until the CSD's earlier request is unlocked. */
    private void csdLockSpin(TaskState t, XCallSpec x, CrossCallState c) {
        cpu.probe.csdLockSpinning(cpu, t, x, c);
        c.phase = CrossCallState.SPIN;
        cpu.polling = true;
    }

    /**
     * Unsafe code paths: the targets are chosen and the CSD locks taken with preemption enabled;
     * the task may be preempted (even migrated) before it dispatches.
     */
    private void decidePreemptible(TaskState t, XCallSpec x, CrossCallState c) {
        c.phase = CrossCallState.DECIDE;
        c.decidedCpu = cpu.id;
        chooseTargets(t, x, c);
        boolean locks = !x.isFlush() && x.call() != CallKind.ANY;
        if (locks && csdLocked(x, c)) { // csd_lock() waits first, pinned as in the safe code
            csdLockSpin(t, x, c);
            return;
        }
        csdLockPreemptible(t, c, x);
    }

    /**
     * Takes the CSD locks, then the rest of the decision runs preemptible until the dispatch.
     * Only a single call's csd_data and many_cond's cfd CSDs are locked here; _any's choice and
     * the flush's branch decision merely run unpinned, their csd_lock comes in the dispatch.
     */
    private void csdLockPreemptible(TaskState t, CrossCallState c, XCallSpec x) {
        int storage = x.isFlush() || x.call() == CallKind.ANY ? CsdFlags.OWNED : storage(x);
        if (storage == CsdFlags.DATA) {
            cpu.csdDataLocked = true;
            cpu.csdDataHolder = t.id;
        } else if (storage == CsdFlags.CFD) {
            for (int target : c.targets) {
                cpu.cfdLocked.add(target);
                cpu.cfdHolder.add(target, t.id);
            }
        }
        c.locked = storage != CsdFlags.OWNED;
        c.phase = CrossCallState.DECIDE;
        cpu.polling = false;
        cpu.armDone(cpu.now + cpu.smpCosts.entry);
    }

    /** The dispatch step: call-function entry, one IPI send per target, and the cond_func calls. */
    private void dispatch(XCallSpec x, CrossCallState c) {
        c.phase = CrossCallState.DISPATCH;
        cpu.polling = false;
        SmpCosts costs = cpu.smpCosts;
        long candidates = x.isFlush() || x.call() == CallKind.ON_EACH_CPU_COND ? cpu.ctx.topology.cpus() : c.targets.length;
        boolean cond = x.isFlush() ? cpu.tlb.condFlush(x) : x.call() == CallKind.ON_EACH_CPU_COND;
        cpu.armDone(cpu.now + costs.entry + costs.ipiSend * c.targets.length + (cond ? costs.cond * candidates : 0));
    }

    /** The end of a timed step of a call: the decision, the dispatch, or the local callback. */
    void callStepDone() {
        TaskState t = cpu.current;
        CrossCallState c = t.xcall;
        XCallSpec x = specOf(t);
        if (c.phase == CrossCallState.DECIDE) { // the decision is made: now the pinned dispatch
            c.decided = true;
            csdLockAndDispatch(t, x, c, false);
            return;
        }
        if (c.phase == CrossCallState.DISPATCH) {
            callSingleQueue(t, x, c);
            if (runsLocally(x, c)) {
                if (!x.isFlush()) cpu.probe.callbacksRun(cpu, 1);
                c.phase = CrossCallState.LOCAL; // callbacks always see IRQs off
                cpu.armDone(cpu.now + (x.isFlush() ? cpu.tlb.localFlushCost(x) : cpu.draw(t, x.func())));
                return;
            }
        }
        afterDispatch(t, x, c);
    }

    /** After the dispatch and the local work: csd_lock_wait() on every target, pinned or not. */
    private void afterDispatch(TaskState t, XCallSpec x, CrossCallState c) {
        if (!x.waits() || c.pending == 0) {
            callReturns(t, x, c);
            return;
        }
        c.phase = CrossCallState.WAIT;
        c.waitStartedAt = cpu.now;
        cpu.polling = true;
        boolean debug = cpu.ctx.settings.kernel().smp().csdlockDebug();
        cpu.probe.waitStarted(cpu, t, x, c, !c.waitPinned);
        if (c.waitPinned) {
            cpu.trace.setCallPath(x.pathWait()); // the section now ends in csd_lock_wait
            if (debug) {
                cpu.q.add(cpu.now + cpu.ctx.settings.kernel().smp().csdLockTimeoutNs(), cpu.key(PerCpu.EV_CSD_TIMEOUT),
                    t.id, c.seq, null);
            }
            if (cpu.irq.anyPending()) cpu.irq.irqEnter(); // IRQs are on again after the local callback
            return;
        }
        putCpu(c);
        if (cpu.irq.anyPending()) {
            cpu.irq.irqEnter();
        } else if (cpu.needResched) {
            cpu.sched.preemptScheduleIrq(0); // preempt_enable() with need_resched: the waiter gives way
        }
    }

    /** One look at the CSDs while the current task busy-waits: csd_lock()'s spin, or __csd_lock_wait()'s loop. */
    void csdLockWaitLoop() {
        TaskState t = cpu.current;
        CrossCallState c = t.xcall;
        XCallSpec x = specOf(t);
        if (c.phase == CrossCallState.SPIN) {
            if (csdLocked(x, c)) return;
            if (c.decidedCpu >= 0 && !c.decided && !c.locked) {
                csdLockPreemptible(t, c, x);
            } else {
                dispatch(x, c);
            }
        } else if (c.pending == 0) {
            callReturns(t, x, c);
        } else if (cpu.needResched && !c.waitPinned) {
            cpu.sched.preemptScheduleIrq(0);
        }
    }

    /** The call returns to its caller (an RPC caller then sleeps until the handler completes it). */
    private void callReturns(TaskState t, XCallSpec x, CrossCallState c) {
        cpu.polling = false;
        putCpu(c);
        if (cpu.readLock && c.scfPrim >= 0) cpu.hotplug.cpusReadUnlock();
        if (x.isFlush()) cpu.tlb.putFlushTlbInfo(t);
        cpu.probe.callReturned(cpu, t, x, c);
        t.xcall = null;
        t.pc++;
        cpu.frame = PerCpu.F_BETWEEN;
        if (x.rpc() && c.targets.length > 0) {
            if (!t.wakePending) {
                t.state = TaskState.BLOCKED; // wait_for_completion(): the handler wakes it
                t.sliceUsed = 0;
                cpu.sched.schedule();
                return;
            }
            t.wakePending = false;
        }
        if (cpu.irq.anyPending()) {
            cpu.irq.irqEnter();
            return;
        }
        cpu.interp.continueTask();
    }

    /** put_cpu() down to the caller's level: the pinned stretch (and its section) ends. */
    private void putCpu(CrossCallState c) {
        if (c.pinnedSince < 0) return;
        c.pinnedNs += cpu.now - c.pinnedSince;
        c.pinnedSince = -1;
        cpu.trace.stopCriticalTiming();
    }

    /** The CPUs a call sends to, decided on the dispatching CPU with the view it has. */
    private void chooseTargets(TaskState t, XCallSpec x, CrossCallState c) {
        int[] targets;
        if (x.isFlush()) {
            targets = cpu.tlb.flushTargets(t, x);
        } else {
            targets = switch (x.call()) {
                case SINGLE, SINGLE_ASYNC -> single(t, x, c, pickSingle(t, x));
                case ANY -> single(t, x, c, pickAny(x));
                case MANY, ON_EACH_CPU_MASK, ON_EACH_CPU_COND -> onlineTargets(x.cpus() == null ? all() : bits(x.cpus()));
                case ALL, ON_EACH_CPU -> onlineTargets(cpu.onlineView);
            };
        }
        c.ownerCpu = cpu.id;
        c.targets = targets;
        c.released = new boolean[targets.length];
        c.pending = x.waits() ? targets.length : 0;
    }

    /** A single target: none when it is this CPU (run locally) or offline (-ENXIO: the call fails). */
    private int[] single(TaskState t, XCallSpec x, CrossCallState c, int target) {
        if (target != cpu.id && !cpu.onlineView.get(target)) {
            cpu.probe.callFailed(cpu, t, x);
            c.enxio = true;
            return new int[0];
        }
        return target == cpu.id ? new int[0] : new int[] {target};
    }

    /** mask & cpu_online_mask, without this CPU. */
    int[] onlineTargets(BitSet mask) {
        return mask.stream().filter(c -> c != cpu.id && cpu.onlineView.get(c)).toArray();
    }

    private int pickSingle(TaskState t, XCallSpec x) {
        int[] cpus = x.cpus();
        int n = cpus == null ? cpu.ctx.topology.cpus() : cpus.length;
        int i = (int) (cpu.drawUniform(t) * n);
        return cpus == null ? i : cpus[i];
    }

    /** This CPU if it is in the mask, else the nearest: same socket first, then the lowest id. */
    private int pickAny(XCallSpec x) {
        int[] cpus = x.cpus();
        if (cpus == null) return cpu.id;
        int best = -1;
        int here = cpu.ctx.topology.socketOf(cpu.id);
        for (int c : cpus) {
            if (c == cpu.id) return cpu.id;
            if (best < 0 || cpu.ctx.topology.socketOf(c) == here && cpu.ctx.topology.socketOf(best) != here) best = c;
        }
        return best;
    }

    private BitSet all() {
        BitSet b = new BitSet(cpu.ctx.topology.cpus());
        b.set(0, cpu.ctx.topology.cpus());
        return b;
    }

    private static BitSet bits(int[] cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) b.set(c);
        return b;
    }

    /** kernel/smp.c: csd_lock(): would it spin? A CSD this call needs still carries an earlier request. */
    private boolean csdLocked(XCallSpec x, CrossCallState c) {
        if (c.locked) return false; // it took the locks itself while deciding
        int storage = storage(x);
        if (storage == CsdFlags.DATA) return cpu.csdDataLocked;
        if (storage != CsdFlags.CFD) return false;
        for (int target : c.targets) if (cpu.cfdLocked.contains(target)) return true;
        return false;
    }

    /** Where the call's CSDs live (docs/kernel-model.md, "Where CSDs live"). */
    static int storage(XCallSpec x) {
        if (x.isFlush()) return CsdFlags.CFD;
        return switch (x.call()) {
            case SINGLE, ANY -> x.waits() ? CsdFlags.STACK : CsdFlags.DATA;
            case SINGLE_ASYNC -> CsdFlags.OWNED;
            default -> CsdFlags.CFD;
        };
    }

    /** Whether this CPU runs the function too (SCF_RUN_LOCAL, or a single call to itself). */
    private boolean runsLocally(XCallSpec x, CrossCallState c) {
        if (x.isFlush()) return cpu.tlb.flushesLocally(x);
        return switch (x.call()) {
            case SINGLE, SINGLE_ASYNC, ANY -> c.targets.length == 0 && !c.enxio; // the chosen CPU is this one
            case MANY, ALL -> false;
            case ON_EACH_CPU -> true;
            case ON_EACH_CPU_MASK, ON_EACH_CPU_COND -> x.cpus() == null || bits(x.cpus()).get(cpu.id);
        };
    }

    private static long ownerKey(TaskState t, CrossCallState c) { return (long) t.id << 32 | c.seq; }

    /** kernel/smp.c: __smp_call_single_queue() for each target: the CSD goes out; the IPI is raised on arrival if the queue was empty. */
    private void callSingleQueue(TaskState t, XCallSpec x, CrossCallState c) {
        int storage = storage(x);
        if (storage == CsdFlags.CFD) cpu.cfdMaskOwner = ownerKey(t, c);
        int flush = x.isFlush() ? cpu.tlb.flushKind(x) : CsdFlags.NO_FLUSH;
        boolean full = x.isFlush() && cpu.tlb.fullFlush(x);
        int flags = CsdFlags.make(x.waits(), storage, flush, full) | (x.rpc() ? CsdFlags.RPC : 0);
        int mm = cpu.w.mm(t.id);
        for (int target : c.targets) {
            long func = x.isFlush() ? x.pages() : cpu.draw(t, x.func());
            if (storage == CsdFlags.CFD && !c.locked) cpu.cfdLocked.add(target);
            cpu.sendAt(cpu.now, MsgKind.CSD_PUSH, target, x.waits() ? t.id : -1, flags,
                x.isFlush() ? mm : x.rpc() ? t.id : -1, func, null);
        }
        // A local call unlocks the per-CPU csd_data before running the function itself.
        if (storage == CsdFlags.DATA) cpu.csdDataLocked = c.targets.length > 0;
    }

    // ---------------------------------------------------------------- handler side

    /** A CSD arrives on this CPU's call_single_queue (llist_add); the IPI goes out only when the queue was empty. */
    void onCsdPush(SimMessage m) {
        int f = m.arg();
        if (cpu.offline) { // stranded on a dead CPU's queue: only an unpinned sender gets here
            cpu.probe.csdArriving(cpu, m);
            return;
        }
        if (!cpu.tlb.shouldFlushTlb(CsdFlags.flush(f), m.extra())) {
            csdUnlock(m, cpu.now); // the sender would not have queued it: release it at once
            return;
        }
        cpu.probe.csdArriving(cpu, m);
        boolean wasEmpty = cpu.callQueue.isEmpty();
        cpu.callQueue.add(m);
        if (wasEmpty) {
            if (cpu.smpCosts.idlePoll && cpu.current == null && !cpu.inIrq) {
                cpu.idleDrain = true; // polling idle: a flag write, no interrupt
            } else {
                cpu.probe.callFunctionIpi(cpu, m);
            }
            cpu.callIpiPending = true;
            cpu.irq.irqEnter();
        }
    }

    /** kernel/smp.c: generic_smp_call_function_single_interrupt(). Returns the handler's length. */
    long genericSmpCallFunctionSingleInterrupt() {
        cpu.callIpiPending = false;
        long start = cpu.now + (cpu.idleDrain ? 0 : cpu.smpCosts.handler);
        cpu.idleDrain = false;
        return flushSmpCallFunctionQueue(start) - cpu.now;
    }

    /**
     * kernel/smp.c: __flush_smp_call_function_queue(): takes the whole queue; SYNC entries run
     * then unlock, the others unlock then run. Returns when the last callback ends.
     */
    long flushSmpCallFunctionQueue(long start) {
        long t = start;
        for (SimMessage m : cpu.callQueue) {
            if (CsdFlags.sync(m.arg())) {
                t += csdDoFunc(m);
                csdUnlock(m, t);
            }
        }
        for (SimMessage m : cpu.callQueue) {
            if (!CsdFlags.sync(m.arg())) {
                csdUnlock(m, t);
                t += csdDoFunc(m);
                if ((m.arg() & CsdFlags.RPC) != 0) cpu.sched.tryToWakeUp(m.extra(), cpu.now); // complete(&scfc_completion)
            }
        }
        cpu.probe.callbacksRun(cpu, cpu.callQueue.size());
        cpu.callQueue.clear();
        return t;
    }

    /** kernel/smp.c: csd_do_func(): the callback's length; a flush's is flush_tlb_func()'s. */
    private long csdDoFunc(SimMessage m) {
        int flush = CsdFlags.flush(m.arg());
        return flush == CsdFlags.NO_FLUSH ? m.value() : cpu.tlb.flushTlbFunc(m);
    }

    /** kernel/smp.c: csd_unlock(): the release store reaches the CSD's owner after {@code at} plus delivery. */
    void csdUnlock(SimMessage m, long at) {
        cpu.sendAt(at, MsgKind.CSD_UNLOCK, m.src(), m.taskId(), cpu.id, m.arg(), 0, null);
    }

    /** The release store of a CSD this CPU owns arrives: the lock is free, and its waiter may go on. */
    void onCsdUnlock(SimMessage m) {
        int f = m.extra();
        cpu.probe.csdUnlockSeen(cpu, m);
        int storage = CsdFlags.storage(f);
        if (storage == CsdFlags.CFD) cpu.cfdLocked.remove(m.arg());
        if (storage == CsdFlags.DATA) cpu.csdDataLocked = false;
        if (CsdFlags.sync(f)) releaseWaiter(m.taskId(), m.arg());
        if (cpu.polling && !cpu.inIrq && cpu.current.xcall != null && cpu.current.xcall.phase == CrossCallState.SPIN) {
            csdLockWaitLoop();
        }
    }

    /** The waiter sees its CSD for {@code target} unlocked, wherever it runs now. */
    void releaseWaiter(int taskId, int target) {
        TaskState t = cpu.find(taskId);
        if (t == null) {
            int dest = cpu.route(taskId);
            if (dest >= 0 && dest != cpu.id) cpu.send(MsgKind.CSD_RELEASE, dest, taskId, target, null);
            return;
        }
        if (t.xcall == null || !t.xcall.release(target) || t.xcall.pending > 0) return;
        if (t == cpu.current && cpu.polling && !cpu.inIrq) csdLockWaitLoop();
    }

    /** kernel/smp.c: csd_lock_wait_toolong(): "non-responsive CSD lock" after csd_lock_timeout, and again. */
    void csdLockWaitToolong(int taskId, int seq) {
        TaskState t = cpu.find(taskId);
        if (t == null || t.xcall == null || t.xcall.seq != seq || t.xcall.pending == 0) return;
        int target = -1;
        for (int i = 0; i < t.xcall.targets.length && target < 0; i++) {
            if (!t.xcall.released[i]) target = t.xcall.targets[i];
        }
        cpu.probe.csdLockReport(cpu, t, target, cpu.now - t.xcall.waitStartedAt);
        cpu.q.add(cpu.now + cpu.ctx.settings.kernel().smp().csdLockTimeoutNs(), cpu.key(PerCpu.EV_CSD_TIMEOUT), taskId, seq, null);
    }

    // ---------------------------------------------------------------- hotplug callbacks

    /** Whether CPU {@code owner}'s CSD array is freed: it is down, and smpcfd_dead_cpu() frees it without patch 5. */
    boolean csdArrayFreed(int owner) {
        return !cpu.onlineView.get(owner) && !k.patch(5);
    }

    /** kernel/smp.c: smpcfd_prepare_cpu(): before patch 5 the CSD array is allocated at every cpu_up. */
    void smpcfdPrepareCpu() {
        if (!k.patch(5)) cpu.probe.csdArray(cpu, false);
    }

    /** kernel/smp.c: smpcfd_dying_cpu(): the dying CPU drains its queue with IRQs off. */
    void smpcfdDyingCpu() {
        if (!cpu.callQueue.isEmpty()) genericSmpCallFunctionSingleInterrupt();
        cpu.callIpiPending = false;
    }

    /** kernel/smp.c: smpcfd_dead_cpu(): before patch 5 it frees the CSD array; with it only the masks. */
    void smpcfdDeadCpu() {
        if (!k.patch(5)) cpu.probe.csdArray(cpu, true);
    }
}
