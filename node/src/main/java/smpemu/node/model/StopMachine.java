package smpemu.node.model;

import smpemu.protocol.MsgKind;
import smpemu.protocol.TaskState;

/**
 * kernel/stop_machine.c for taking a CPU down (docs/kernel-model.md §4): a stopper must run on
 * every online CPU, and it starts only at that CPU's next preemption point, so a pinned sender
 * delays it. The stoppers keep interrupts on until all have arrived (multi_cpu_stop()'s first
 * stage), so pending cross-calls still complete; the lowest online CPU other than the dying one
 * counts the arrivals and lets them go.
 */
final class StopMachine {
    private final PerCpu cpu;

    StopMachine(PerCpu cpu) {
        this.cpu = cpu;
    }

    /**
     * kernel/stop_machine.c: stop_machine() as it reaches this CPU: cpu_stop_queue_work() wakes
     * this CPU's stopper, which runs at its next preemption point.
     */
    void stopMachine(int dying) {
        if (cpu.offline) return;
        cpu.stopPending = true;
        cpu.stopDying = dying;
        cpu.stopRequestedAt = cpu.now;
        cpu.needResched = true;
        if (cpu.frame == PerCpu.F_IDLE && !cpu.inInterrupt()) {
            cpu.sched.schedule();
        } else {
            cpu.ipiPending = true; // wake_up of the stopper: resched_curr() sends an IPI
            cpu.irq.irqEnter();
        }
    }

    private int controlCpu() {
        int c = cpu.onlineView.nextSetBit(0);
        return c == cpu.stopDying ? cpu.onlineView.nextSetBit(c + 1) : c;
    }

    /** kernel/stop_machine.c: multi_cpu_stop() in the stopper thread: preemption off, IRQs still on, arrive. */
    void multiCpuStop() {
        cpu.stopPending = false;
        cpu.needResched = false;
        cpu.current = null;
        cpu.frame = PerCpu.F_STOP;
        cpu.disarmTick();
        cpu.probe.stopperStarted(cpu, cpu.stopDying);
        cpu.trace.tracerPreemptOff(cpu.w.stopPath, -1);
        int control = controlCpu();
        if (control == cpu.id) {
            ackState();
        } else {
            cpu.send(MsgKind.STOP_ARRIVED, control, -1, cpu.stopDying, null);
        }
    }

    /** kernel/stop_machine.c: ack_state(): the last stopper to arrive moves every one on. */
    void ackState() {
        if (++cpu.stopArrivals < cpu.onlineView.cardinality()) return;
        cpu.stopArrivals = 0;
        int dying = cpu.stopDying;
        for (int c = cpu.onlineView.nextSetBit(0); c >= 0; c = cpu.onlineView.nextSetBit(c + 1)) {
            if (c != cpu.id) cpu.send(MsgKind.STOP_GO, c, -1, dying, null);
        }
        multiCpuStopDone(dying);
    }

    /**
     * kernel/stop_machine.c: multi_cpu_stop()'s later stages: the dying CPU runs take_cpu_down()
     * and leaves the online mask; the others resume.
     */
    void multiCpuStopDone(int dying) {
        cpu.onlineView.clear(dying);
        cpu.trace.tracerPreemptOn();
        for (int i = 0, n = cpu.readLockWaiters.size(); i < n; i++) { // cpus_write_unlock(): readers go on
            TaskState r = cpu.find(cpu.readLockWaiters.get(i));
            if (r != null) cpu.sched.ttwuDoActivate(r, cpu.now);
        }
        cpu.readLockWaiters.clear();
        if (cpu.id == dying) {
            cpu.hotplug.takeCpuDown();
            return;
        }
        cpu.frame = PerCpu.F_IDLE;
        cpu.stopDying = -1;
        if (cpu.inInterrupt()) return; // the go came during an interrupt: its exit schedules from idle
        if (cpu.irq.anyPending()) {
            cpu.irq.irqEnter();
        } else {
            cpu.sched.schedule();
        }
    }
}
