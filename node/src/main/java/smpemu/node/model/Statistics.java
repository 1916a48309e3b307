package smpemu.node.model;

import smpemu.protocol.CrossCallState;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/** The run's counters and latency figures ({@link CpuStats}), kept from the probe points. Always attached. */
final class Statistics implements ProbeListener {
    @Override
    public void taskSwitching(PerCpu cpu, TaskState next) { cpu.stats.contextSwitches++; }

    @Override
    public void taskRunning(PerCpu cpu, TaskState t) {
        if (t.wakeRequestedAt >= 0 && cpu.w.policy(t.id).isRealTime()) cpu.stats.rtWakeup(cpu.now - t.wakeRequestedAt);
    }

    @Override
    public void taskWoken(PerCpu cpu, TaskState t) { cpu.stats.wakeups++; }

    @Override
    public void taskMigrated(PerCpu cpu, TaskState t, int dest) { cpu.stats.migrationsOut++; }

    @Override
    public void ipiSent(PerCpu cpu, int dest) { cpu.stats.ipisSent++; }

    @Override
    public void callFunctionIpi(PerCpu cpu, SimMessage m) { cpu.stats.ipisSent++; }

    @Override
    public void irqTaken(PerCpu cpu) { cpu.stats.interrupts++; }

    @Override
    public void callStarted(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) { cpu.stats.crossCalls++; }

    @Override
    public void callFailed(PerCpu cpu, TaskState t, XCallSpec x) { cpu.stats.singleOffline++; }

    @Override
    public void callReturned(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        CpuStats s = cpu.stats;
        if (c.waitStartedAt >= 0) s.csdWaitMax = Math.max(s.csdWaitMax, cpu.now - c.waitStartedAt);
        if (x.isFlush() && c.targets.length > 0) s.shootdown(cpu.now - c.startedAt, c.pinnedNs);
        s.crossCallsDone++;
    }

    @Override
    public void callbacksRun(PerCpu cpu, int n) { cpu.stats.callbacks += n; }

    @Override
    public void csdLockReport(PerCpu cpu, TaskState t, int target, long waitedNs) {
        cpu.stats.csdReport(cpu.now, t.id, target, waitedNs);
    }

    @Override
    public void cpuDying(PerCpu cpu, long waitedNs) { cpu.stats.stopMachine(waitedNs); }

    @Override
    public void cpuOnline(PerCpu cpu) { cpu.stats.onlined++; }

    @Override
    public void csdArray(PerCpu cpu, boolean freed) {
        if (freed) {
            cpu.stats.csdArrayFrees++;
        } else {
            cpu.stats.csdArrayAllocs++;
        }
    }

    @Override
    public void scfInvoked(PerCpu cpu, int prim) { cpu.stats.scfInvoked[prim]++; }

    @Override
    public void lockAcquired(PerCpu cpu, TaskState t, int lock, long spinNs, boolean queued) {
        cpu.stats.lockAcquired(lock, cpu.ctx.settings.locks().locks().size(), spinNs, queued);
    }

    @Override
    public void lockReleased(PerCpu cpu, TaskState t, int lock, long heldNs) { cpu.stats.lockReleased(lock, heldNs); }
}
