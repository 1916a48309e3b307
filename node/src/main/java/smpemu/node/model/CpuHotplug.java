package smpemu.node.model;

import java.util.ArrayList;
import java.util.Arrays;
import smpemu.protocol.MsgKind;
import smpemu.protocol.TaskState;

/**
 * kernel/cpu.c on this CPU (docs/kernel-model.md §4): the dying CPU's part of cpu_down()
 * (smp.c's callbacks, then every task moves to an online CPU), cpu_up(), and the hotplug read
 * lock that scftorture's use_cpus_read_lock takes instead of preempt_disable().
 */
final class CpuHotplug {
    private final PerCpu cpu;

    CpuHotplug(PerCpu cpu) {
        this.cpu = cpu;
    }

    /** kernel/cpu.c: take_cpu_down() on the dying CPU: smpcfd_dying_cpu(), tasks migrated away, then smpcfd_dead_cpu(). */
    void takeCpuDown() {
        cpu.smp.smpcfdDyingCpu();
        cpu.probe.cpuDying(cpu, cpu.now - cpu.stopRequestedAt);
        for (TaskState t : new ArrayList<>(cpu.held)) {
            int dest = selectFallbackRq(t.id);
            cpu.rq.remove(t);
            cpu.held.remove(t);
            cpu.forward.add(t.id, dest);
            cpu.movedOut.add(t.id, dest);
            cpu.probe.taskMigrated(cpu, t, dest);
            cpu.send(MsgKind.MIGRATE_IN, dest, t.id, 0, t);
        }
        cpu.offline = true;
        cpu.tlb.cpuDead();
        cpu.smp.smpcfdDeadCpu();
        cpu.frame = PerCpu.F_IDLE;
        cpu.stopDying = -1;
        cpu.wakeList.clear();
        cpu.wakeListTime.clear();
        cpu.expiredTimers.clear();
        cpu.expiredTime.clear();
        cpu.ipiPending = cpu.tickPending = false;
        Arrays.fill(cpu.irqRaisedAt, -1);
        cpu.irqsPending = 0;
    }

    /** kernel/sched/core.c: select_fallback_rq(): an allowed online CPU, spread by task id; else any online CPU (affinity broken). */
    private int selectFallbackRq(int task) {
        int[] allowed = Arrays.stream(cpu.w.affinity(task)).filter(cpu.onlineView::get).toArray();
        if (allowed.length > 0) return allowed[task % allowed.length];
        return cpu.onlineView.nextSetBit(0);
    }

    /** kernel/cpu.c: cpu_up(): every CPU adds it to its online mask; the CPU itself comes back to life. */
    void cpuUp(int up) {
        cpu.onlineView.set(up);
        if (up != cpu.id || !cpu.offline) return;
        cpu.offline = false;
        cpu.probe.cpuOnline(cpu);
        cpu.smp.smpcfdPrepareCpu();
        for (int i = 0; i < cpu.irqs.size(); i++) cpu.q.add(cpu.now + cpu.nextIrqGap(i), cpu.key(PerCpu.EV_IRQ), -1, i, null);
    }

    /** kernel/cpu.c: cpus_read_lock(): taken, or false when the task sleeps because a writer is pending. */
    boolean cpusReadLock(TaskState t) {
        if (cpu.stopPending) {
            t.state = TaskState.BLOCKED;
            t.sliceUsed = 0;
            cpu.readLockWaiters.add(t.id);
            cpu.sched.schedule();
            return false;
        }
        cpu.readers++;
        return true;
    }

    /** kernel/cpu.c: cpus_read_unlock(): a stopper waiting for the readers may run at the next preemption point. */
    void cpusReadUnlock() {
        cpu.readers--;
        if (cpu.readers == 0 && cpu.stopPending) cpu.needResched = true;
    }
}
