package smpemu.node.model;

import smpemu.protocol.CrossCallState;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * This CPU's probe points: each fires the attached listeners in the order they were attached
 * (statistics first, so a checker sees the counters up to date). Allocation-free: an array of
 * listeners, no event objects.
 */
final class Probes implements ProbeListener {
    private ProbeListener[] listeners = new ProbeListener[0];

    void attach(ProbeListener l) {
        listeners = java.util.Arrays.copyOf(listeners, listeners.length + 1);
        listeners[listeners.length - 1] = l;
    }

    @Override
    public void taskSwitching(PerCpu cpu, TaskState next) {
        for (ProbeListener l : listeners) l.taskSwitching(cpu, next);
    }

    @Override
    public void taskRunning(PerCpu cpu, TaskState t) {
        for (ProbeListener l : listeners) l.taskRunning(cpu, t);
    }

    @Override
    public void taskWoken(PerCpu cpu, TaskState t) {
        for (ProbeListener l : listeners) l.taskWoken(cpu, t);
    }

    @Override
    public void taskMigrated(PerCpu cpu, TaskState t, int dest) {
        for (ProbeListener l : listeners) l.taskMigrated(cpu, t, dest);
    }

    @Override
    public void ipiSent(PerCpu cpu, int dest) {
        for (ProbeListener l : listeners) l.ipiSent(cpu, dest);
    }

    @Override
    public void callFunctionIpi(PerCpu cpu, SimMessage m) {
        for (ProbeListener l : listeners) l.callFunctionIpi(cpu, m);
    }

    @Override
    public void irqTaken(PerCpu cpu) {
        for (ProbeListener l : listeners) l.irqTaken(cpu);
    }

    @Override
    public void callStarted(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : listeners) l.callStarted(cpu, t, x, c);
    }

    @Override
    public void callFailed(PerCpu cpu, TaskState t, XCallSpec x) {
        for (ProbeListener l : listeners) l.callFailed(cpu, t, x);
    }

    @Override
    public void callDispatching(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : listeners) l.callDispatching(cpu, t, x, c);
    }

    @Override
    public void csdLockSpinning(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : listeners) l.csdLockSpinning(cpu, t, x, c);
    }

    @Override
    public void waitStarted(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c, boolean preemptible) {
        for (ProbeListener l : listeners) l.waitStarted(cpu, t, x, c, preemptible);
    }

    @Override
    public void callResumed(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : listeners) l.callResumed(cpu, t, x, c);
    }

    @Override
    public void callReturned(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : listeners) l.callReturned(cpu, t, x, c);
    }

    @Override
    public void callbacksRun(PerCpu cpu, int n) {
        for (ProbeListener l : listeners) l.callbacksRun(cpu, n);
    }

    @Override
    public void csdArriving(PerCpu cpu, SimMessage m) {
        for (ProbeListener l : listeners) l.csdArriving(cpu, m);
    }

    @Override
    public void csdUnlockSeen(PerCpu cpu, SimMessage m) {
        for (ProbeListener l : listeners) l.csdUnlockSeen(cpu, m);
    }

    @Override
    public void csdLockReport(PerCpu cpu, TaskState t, int target, long waitedNs) {
        for (ProbeListener l : listeners) l.csdLockReport(cpu, t, target, waitedNs);
    }

    @Override
    public void perCpuScratchTaken(PerCpu cpu, String what, TaskState t, int previous, int path) {
        for (ProbeListener l : listeners) l.perCpuScratchTaken(cpu, what, t, previous, path);
    }

    @Override
    public void cpuDying(PerCpu cpu, long waitedNs) {
        for (ProbeListener l : listeners) l.cpuDying(cpu, waitedNs);
    }

    @Override
    public void cpuOnline(PerCpu cpu) {
        for (ProbeListener l : listeners) l.cpuOnline(cpu);
    }

    @Override
    public void csdArray(PerCpu cpu, boolean freed) {
        for (ProbeListener l : listeners) l.csdArray(cpu, freed);
    }

    @Override
    public void scfInvoked(PerCpu cpu, int prim) {
        for (ProbeListener l : listeners) l.scfInvoked(cpu, prim);
    }
}
