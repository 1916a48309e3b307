package smpemu.node.model;

import smpemu.config.Op.CallKind;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.MsgKind;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * kernel/smp.c on this CPU (docs/kernel-model.md §2-3). The caller side runs each entry point's
 * code path when a call starts ({@link CallPath}: preempt_count as get_cpu()/put_cpu() move it,
 * with the patches where they change the code); the call then takes simulated time in
 * {@link CallSteps}, its decision and csd_lock_wait() preemptible exactly where the count the
 * code path left is zero. The handler side drains the call_single_queue and unlocks the CSDs.
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
            cpu.steps.resume(t, x, c);
            return;
        }
        c = new CrossCallState();
        c.scfPrim = scfPrim;
        t.xcall = c;
        c.seq = ++t.xcallSeq;
        c.startedAt = cpu.now;
        c.broadcast = x.isFlush() && cpu.tlb.broadcasts(t, x);
        cpu.tlb.callBroadcast = c.broadcast; // the code path's branch (Tlb.decideThenFlush)
        codePath(x, scfPrim >= 0);
        boolean preemptible = cpu.ctx.preemption.kernelPreemptible();
        c.waitCount = Math.max(0, path.atWait());
        c.waitPinned = !x.waits() || !preemptible || c.waitCount > 0;
        c.waitOnCfdMask = path.waitsOnCfdMask();
        cpu.probe.callStarted(cpu, t, x, c);
        cpu.steps.csdLockAndDispatch(t, x, c, preemptible && path.atDecision() == 0);
    }

    /** Runs the call's code path from its caller (a program's op, or scftorture_invoke_one()) down to csd_lock_wait(). */
    CallPath codePath(XCallSpec x, boolean scftorture) {
        path.reset(k);
        if (scftorture) {
            cpu.scf.invokeOneCaller(path, x);
        } else {
            caller(path, x);
        }
        if (path.count() != 0) throw new IllegalStateException("unbalanced preempt_count on the code path of " + x);
        return path;
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
        if (x.waits()) {
            p.waitOnCfdMask(!k.patch(4));             // the task's own mask (patch 4), else cfd->cpumask
            csdLockWait(p);
        }
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

    // ---------------------------------------------------------------- handler side

    /** A CSD arrives on this CPU's call_single_queue (llist_add); the IPI goes out only when the queue was empty. */
    void onCsdPush(SimMessage m) {
        int f = m.arg();
        if ((f & CsdFlags.PV_DEFERRED) != 0) { // flushed by the host at the next VM entry (now: the episode's end)
            cpu.host.flushAtVmEntry();
            return;
        }
        if (cpu.offline) { // stranded on a dead CPU's queue: only an unpinned sender gets here
            cpu.probe.csdArriving(cpu, m);
            return;
        }
        if (cpu.tlb.kvmSkipsPreemptedVcpu(CsdFlags.flush(f))) {
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
                cpu.probe.csdTaken(cpu, m);
                t += csdDoFunc(m);
                csdUnlock(m, t);
            }
        }
        for (SimMessage m : cpu.callQueue) {
            if (!CsdFlags.sync(m.arg())) {
                cpu.probe.csdTaken(cpu, m);
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
        CrossCallState c = cpu.polling && !cpu.inInterrupt() ? cpu.current.xcall : null;
        if (c != null && (c.phase == CrossCallState.SPIN
            || c.phase == CrossCallState.WAIT && cpu.steps.readsAnotherMask(cpu.current, c))) {
            cpu.steps.csdLockWaitLoop();
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
        if (t == cpu.current && cpu.polling && !cpu.inInterrupt()) cpu.steps.csdLockWaitLoop();
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
