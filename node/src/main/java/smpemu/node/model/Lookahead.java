package smpemu.node.model;

import smpemu.protocol.MsgKind;
import smpemu.protocol.TaskState;

/**
 * The engine's lookahead for one CPU (docs/architecture.md, "Lookahead"): a lower bound of the
 * earliest simulated time at which it could send a message, from its pending events and the
 * programs of the tasks it holds. Not kernel code: it reads the model's state and changes nothing.
 */
final class Lookahead {
    private final PerCpu cpu;

    Lookahead(PerCpu cpu) {
        this.cpu = cpu;
    }

    long earliestSendTime(long windowEnd) {
        long t0 = Math.max(cpu.now, windowEnd);
        long est = Long.MAX_VALUE;
        long irqWake = Long.MAX_VALUE;
        EventQueue q = cpu.q;
        for (int i = 0, n = q.size(); i < n; i++) {
            int s = q.slotAt(i);
            int cls = q.eventClass(s);
            if (cls == MsgKind.TLB_STATE) continue; // a store becoming visible sends nothing
            if (cls == MsgKind.LOCK_GRANT) {
                continue; // it goes to the spinning current task, whose release the loop below bounds
            } else if (cls < MsgKind.COUNT) { // any message may make this CPU send (forward, unlock, run a task)
                est = Math.min(est, q.time(s));
            } else if (cls == PerCpu.EV_IRQ) {
                Workload.IrqSource src = cpu.irqs.get(q.arg(s));
                // A wake of a task held here stays local: the task can only leave through a
                // migration command, whose own time already bounds est.
                if (src.mayWakeRemote() && cpu.find(src.wakeTask()) == null) est = Math.min(est, q.time(s));
                if (src.wakeTask() >= 0) irqWake = Math.min(irqWake, q.time(s));
            }
        }
        if (cpu.ipiPending || !cpu.expiredTimers.isEmpty() || cpu.irqsPending > 0) irqWake = t0;
        if (!cpu.callQueue.isEmpty() || cpu.stopPending) est = t0; // a handler unlocks CSDs; a stopper reports
        // switch_mm_irqs_off() and enter_lazy_tlb() publish this CPU's TLB state: any event may lead to a switch.
        if (cpu.tlb.stateMayChange()) est = t0;
        for (int i = 0; i < cpu.irqRaisedAt.length; i++) {
            // Raised while IRQs were off: its handler may wake a task elsewhere once they are on.
            Workload.IrqSource src = cpu.irqs.get(i);
            if (cpu.irqRaisedAt[i] >= 0 && src.mayWakeRemote() && cpu.find(src.wakeTask()) == null) est = t0;
        }
        // A queued task cannot get the CPU before the current non-preemptible op or switch ends.
        long cpuFree = t0;
        if (cpu.frame == PerCpu.F_SWITCH || cpu.frame == PerCpu.F_OP && !cpu.irq.preemptible()) {
            cpuFree = Math.max(t0, cpu.inIrq ? cpu.doneTime + cpu.savedRemaining : cpu.doneTime);
        }
        for (int i = 0, n = cpu.held.size(); i < n; i++) {
            TaskState t = cpu.held.get(i);
            Program p = cpu.w.program(t.id);
            // A sleeping or blocked task runs again only after its timer, an interrupt that wakes
            // it, a wake-up message (bounded by the coordinator from message times) or a local
            // wake op (whose own time already bounds est: every wake op counts as a send).
            long base = switch (t.state) {
                case TaskState.SLEEPING -> Math.max(t0, Math.min(t.sleepUntil, irqWake));
                case TaskState.BLOCKED -> Math.max(t0, irqWake);
                default -> t == cpu.current ? t0 : cpuFree;
            };
            if (base == Long.MAX_VALUE) continue;
            long rem;
            if (t == cpu.current && cpu.frame == PerCpu.F_OP) {
                long opEnd = cpu.polling ? t0 : cpu.inIrq ? cpu.doneTime + cpu.savedRemaining : cpu.doneTime;
                rem = Math.max(0, opEnd - t0);
                // Spinning for a lock: its release comes a whole hold after the grant (at t0 at the earliest).
                if (cpu.qspinlock.spinning()) rem = Math.max(0, (cpu.inIrq ? cpu.doneTime : t0) - t0) + t.opRemaining;
            } else if (t.opRemaining >= 0) {
                rem = t.opRemaining;
            } else {
                rem = cpu.interp.minDuration(p, t.pc);
            }
            boolean inOp = t == cpu.current && cpu.frame == PerCpu.F_OP;
            est = Math.min(est, Program.sat(base, inOp ? p.minToSendInOp(t.pc, rem) : p.minToSend(t.pc, rem)));
        }
        // Nothing is sent except while processing an event, and none comes before the next one
        // (nor before the end of an SMI: every bound above stays valid, a frozen CPU only sends later).
        return Math.max(est, cpu.nextDue());
    }
}
