package smpemu.node.model;

import smpemu.protocol.CrossCallState;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * The run-time checkers (KASAN-, lockdep- and scftorture-like; docs/kernel-model.md §11), a
 * probe listener attached when {@code checkers.enabled}. Each finds what went wrong from the
 * state the kernel code left, never from which variant runs: a freed CSD array polled or
 * unlocked, a per-CPU object with two live owners, a CSD queued twice, a push after the dying
 * drain, a waiter returning while its CSD is locked, a decision acted on from another CPU, a
 * csd_lock() spin only a task preempted on the same CPU can end, the debug wait preemptible, a
 * CPU whose TLB missed a flush it needed.
 */
final class Checkers implements ProbeListener {
    private static void report(PerCpu cpu, String kind, int task, int path) {
        cpu.stats.violation(kind, cpu.now, task, path);
    }

    @Override
    public void callDispatching(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        if (c.decidedCpu >= 0 && c.decidedCpu != cpu.id) {
            // Decided on one CPU, dispatched from another: a "local" call goes remote, or the
            // flush of the CPU that was judged alone runs elsewhere.
            report(cpu, x.isFlush() ? "flush-decided-on-another-cpu" : "target-chosen-on-another-cpu", t.id, x.pathDispatch());
        }
    }

    /** csd_lock() about to spin on a CSD whose holder is a task preempted here before it pushed: only it can release it. */
    @Override
    public void csdLockSpinning(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        int storage = CallSteps.storage(x);
        if (storage == CsdFlags.DATA && cpu.csdDataLocked) {
            if (decidingHere(cpu, cpu.csdDataHolder, t)) report(cpu, "csd-lock-self-deadlock", t.id, x.pathDispatch());
        } else if (storage == CsdFlags.CFD) {
            for (int target : c.targets) {
                if (cpu.cfdLocked.contains(target) && decidingHere(cpu, cpu.cfdHolder.valueOf(target), t)) {
                    report(cpu, "csd-lock-self-deadlock", t.id, x.pathDispatch());
                    return;
                }
            }
        }
    }

    private static boolean decidingHere(PerCpu cpu, int holderId, TaskState t) {
        TaskState holder = holderId < 0 ? null : cpu.find(holderId);
        return holder != null && holder != t && holder.xcall != null && holder.xcall.phase == CrossCallState.DECIDE;
    }

    /** The debug wait loop uses per-CPU state: with a zero preempt_count it is "smp_processor_id() in preemptible code". */
    @Override
    public void waitStarted(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c, boolean preemptible) {
        if (preemptible && cpu.ctx.settings.kernel().smp().csdlockDebug()) {
            report(cpu, "preemptible-csd-debug-wait", t.id, x.pathWait());
        }
    }

    /** A waiter back on a CPU polls the owner's cfd CSDs: freed if that CPU died and smpcfd_dead_cpu() freed them. */
    @Override
    public void callResumed(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        if (CallSteps.storage(x) == CsdFlags.CFD && c.targets != null && !cpu.onlineView.get(c.ownerCpu) && cpu.smp.csdArrayFreed(c.ownerCpu)) {
            report(cpu, "csd-use-after-free", t.id, x.pathWait());
        }
    }

    /** scftorture's scfc_out check: a waiter must not return while one of its SYNC CSDs is still locked. */
    @Override
    public void callReturned(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        if (x.waits() && c.pending > 0) report(cpu, "returned-with-csd-locked", t.id, x.pathWait());
    }

    @Override
    public void csdArriving(PerCpu cpu, SimMessage m) {
        if (cpu.offline) { // stranded on a dead CPU's queue
            report(cpu, "push-after-dying-drain", m.taskId(), cpu.w.unlockPath);
            return;
        }
        int storage = CsdFlags.storage(m.arg());
        if (storage != CsdFlags.CFD && storage != CsdFlags.DATA) return;
        for (SimMessage queued : cpu.callQueue) {
            // The same per-CPU CSD queued twice: two owners; the llist would loop.
            if (queued.src() == m.src() && CsdFlags.storage(queued.arg()) == storage) {
                report(cpu, "csd-pushed-while-queued", m.taskId(), cpu.w.unlockPath);
            }
        }
    }

    /** The remote csd_unlock() store lands in this CPU's cfd CSD array: freed if it died without patch 5. */
    @Override
    public void csdUnlockSeen(PerCpu cpu, SimMessage m) {
        int f = m.extra();
        if (cpu.offline && CsdFlags.sync(f) && CsdFlags.storage(f) == CsdFlags.CFD && cpu.smp.csdArrayFreed(cpu.id)) {
            report(cpu, "csd-use-after-free", m.taskId(), cpu.w.unlockPath);
        }
    }

    /**
     * stale-tlb: a new tlb_gen of an mm this CPU has loaded (or lazily holds, when page tables
     * were freed) became visible, no CSD brought it and switch_mm_irqs_off() did not read it: the
     * CPU goes on using translations the flusher believes gone.
     */
    @Override
    public void tlbFlushMissed(PerCpu cpu, int mm, long gen, boolean freedTables) {
        report(cpu, "stale-tlb", cpu.current == null ? -1 : cpu.current.id, cpu.w.staleTlbPath);
    }

    @Override
    public void perCpuScratchTaken(PerCpu cpu, String what, TaskState t, int previous, int path) {
        if (previous >= 0 && previous != t.id) report(cpu, what + "-overwritten", t.id, path);
    }
}
