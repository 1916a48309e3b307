package smpemu.node.model;

import java.util.BitSet;
import smpemu.config.Op.CallKind;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.MsgKind;
import smpemu.protocol.TaskState;

/**
 * How a cross-call or shootdown takes simulated time once its code path has run ({@link Smp}
 * and {@link Tlb} say where the preempt_count is zero): the decision (preemptible only where
 * the count is zero there), csd_lock() spinning while a CSD is still in flight, the dispatch
 * (one step the model does not preempt: pushes and IPIs), the local callback with IRQs off, and
 * csd_lock_wait(), preemptible exactly when the count is zero there. The call's progress
 * ({@link CrossCallState}) travels with the task, so a preempted waiter can migrate and go on.
 */
final class CallSteps {
    private final PerCpu cpu;

    CallSteps(PerCpu cpu) {
        this.cpu = cpu;
    }

    /** Resumes a call whose task was preempted (possibly on another CPU: it migrated). */
    void resume(TaskState t, XCallSpec x, CrossCallState c) {
        cpu.probe.callResumed(cpu, t, x, c);
        if (c.phase == CrossCallState.DECIDE) { // preempted while deciding: finish the decision
            cpu.armDone(cpu.now + Math.max(0, t.opRemaining));
            t.opRemaining = -1;
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
    void csdLockAndDispatch(TaskState t, XCallSpec x, CrossCallState c, boolean decideUnpinned) {
        if (decideUnpinned && c.decidedCpu < 0) {
            decidePreemptible(t, x, c);
            return;
        }
        c.pinnedSince = cpu.now;
        if (c.decidedCpu < 0) chooseTargets(t, x, c);
        cpu.probe.callDispatching(cpu, t, x, c);
        if (x.isFlush()) cpu.tlb.getFlushTlbInfo(t, x, c);
        cpu.trace.tracerPreemptOff(x.isFlush() && c.targets.length == 0 ? x.pathLocal() : x.pathDispatch(), t.id);
        if (csdLock(t, x, c)) dispatch(x, c);
    }

    /**
     * kernel/smp.c: csd_lock() on the CSDs the call needs: true when they are free; else it
     * spins, pinned, until the CSD's earlier request is unlocked (the SPIN step).
     */
    private boolean csdLock(TaskState t, XCallSpec x, CrossCallState c) {
        if (!csdBusy(x, c)) return true;
        cpu.probe.csdLockSpinning(cpu, t, x, c);
        c.phase = CrossCallState.SPIN;
        cpu.polling = true;
        return false;
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
        if (!locks || csdLock(t, x, c)) csdLockPreemptible(t, c, x); // csd_lock() waits first, pinned as in the safe code
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
        long candidates = x.isFlush() ? cpu.tlb.condCandidates()
            : x.call() == CallKind.ON_EACH_CPU_COND ? cpu.ctx.topology.cpus() : c.targets.length;
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
                cpu.trace.tracerHardirqsOff(x.isFlush() && c.targets.length == 0 ? x.pathLocal() : x.pathDispatch(), t.id);
                cpu.armDone(cpu.now + (x.isFlush() ? cpu.tlb.localFlushCost(x, c) : cpu.draw(t, x.func())));
                return;
            }
        }
        if (c.phase == CrossCallState.LOCAL) cpu.trace.tracerHardirqsOn();
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
            if (csdBusy(x, c)) return;
            if (c.decidedCpu >= 0 && !c.decided && !c.locked) {
                csdLockPreemptible(t, c, x);
            } else {
                dispatch(x, c);
            }
        } else if (waitDone(t, c)) {
            callReturns(t, x, c);
        } else if (cpu.needResched && !c.waitPinned) {
            cpu.sched.preemptScheduleIrq(0);
        }
    }

    /** The call returns to its caller (an RPC caller then sleeps until the handler completes it). */
    private void callReturns(TaskState t, XCallSpec x, CrossCallState c) {
        if (c.phase == CrossCallState.WAIT) cpu.probe.waitEnded(cpu, t, x, c);
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
        cpu.trace.tracerPreemptOn();
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
        c.setTargets(targets);
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
        int[] out = new int[mask.cardinality()];
        int n = 0;
        for (int c = mask.nextSetBit(0); c >= 0; c = mask.nextSetBit(c + 1)) {
            if (c != cpu.id && cpu.onlineView.get(c)) out[n++] = c;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
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

    /** Whether csd_lock() would spin: a CSD this call needs still carries an earlier request (csd_lock_wait() inside it). */
    private boolean csdBusy(XCallSpec x, CrossCallState c) {
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
        if (x.isFlush()) return cpu.tlb.flushesLocally(x, c);
        return switch (x.call()) {
            case SINGLE, SINGLE_ASYNC, ANY -> c.targets.length == 0 && !c.enxio; // the chosen CPU is this one
            case MANY, ALL -> false;
            case ON_EACH_CPU -> true;
            case ON_EACH_CPU_MASK, ON_EACH_CPU_COND -> x.cpus() == null || bits(x.cpus()).get(cpu.id);
        };
    }

    private static long ownerKey(TaskState t, CrossCallState c) { return (long) t.id << 32 | c.seq; }

    /**
     * Whether the wait loop finds every CSD it polls unlocked: its own targets' (the task's IPI
     * mask, or a single CSD), or, when it iterates this CPU's cfd->cpumask and another call
     * rewrote that mask while this one was preempted, the other call's. (A waiter that migrated
     * away is assumed to have its own targets: the model does not read another CPU's mask.)
     */
    private boolean waitDone(TaskState t, CrossCallState c) {
        if (readsAnotherMask(t, c)) {
            for (int target : cpu.cfdMask) if (cpu.cfdLocked.contains(target)) return false;
            return true;
        }
        return c.pending == 0;
    }

    boolean readsAnotherMask(TaskState t, CrossCallState c) {
        return c.waitOnCfdMask && c.ownerCpu == cpu.id && cpu.cfdMaskOwner != ownerKey(t, c);
    }

    /** kernel/smp.c: __smp_call_single_queue() for each target: the CSD goes out; the IPI is raised on arrival if the queue was empty. */
    private void callSingleQueue(TaskState t, XCallSpec x, CrossCallState c) {
        int storage = storage(x);
        if (storage == CsdFlags.CFD) {
            cpu.cfdMaskOwner = ownerKey(t, c);
            cpu.cfdMask = c.targets;
        }
        int flush = x.isFlush() ? cpu.tlb.flushKind(x) : CsdFlags.NO_FLUSH;
        boolean full = x.isFlush() && cpu.tlb.fullFlush(x);
        int flags = CsdFlags.make(x.waits(), storage, flush, full) | (x.rpc() ? CsdFlags.RPC : 0);
        int mm = cpu.w.mm(t.id);
        if (x.isFlush()) cpu.tlb.flushDispatched(t, x, c);
        for (int target : c.targets) {
            long func = x.isFlush() ? cpu.tlb.csdValue(x) : cpu.draw(t, x.func());
            if (storage == CsdFlags.CFD && !c.locked) cpu.cfdLocked.add(target);
            if (flush != CsdFlags.NO_FLUSH && cpu.host.pvFlushSkips(target)) { // a preempted vCPU: no IPI
                cpu.host.deferFlush(t, target, flags, mm, func);
                continue;
            }
            cpu.probe.csdPushed(cpu, t, target, flags);
            cpu.sendAt(cpu.now, MsgKind.CSD_PUSH, target, x.waits() ? t.id : -1, flags,
                x.isFlush() ? mm : x.rpc() ? t.id : -1, func, null);
        }
        // A local call unlocks the per-CPU csd_data before running the function itself.
        if (storage == CsdFlags.DATA) cpu.csdDataLocked = c.targets.length > 0;
    }
}
