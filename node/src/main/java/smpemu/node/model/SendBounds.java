package smpemu.node.model;

import smpemu.protocol.MsgKind;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * How early a message in flight can make its receiver send something, for the window bound
 * (docs/architecture.md#lookahead). Using the bare arrival time would end a window at every wake-up; the
 * receiver's program usually proves a later bound.
 */
public final class SendBounds {
    private SendBounds() {}

    /**
     * @param moving (task, source CPU) pairs the coordinator ordered to move at its last
     *               instant: a wake-up sent to that source may find the task gone and be
     *               forwarded at once
     */
    public static long of(SimMessage m, Workload w, int[] moving) {
        // A task that arrives or wakes may be switched to at once, and switch_mm_irqs_off() publishes.
        if (w.tlbScope.holder(m.dst()) && (m.kind() == MsgKind.MIGRATE_IN || m.kind() == MsgKind.WAKE)) return m.time();
        return switch (m.kind()) {
            case MsgKind.MIGRATE_IN -> {
                TaskState t = m.task();
                Program p = w.program(t.id);
                long rem = t.opRemaining >= 0 ? t.opRemaining : 0;
                yield Program.sat(m.time(), p.minToSend(t.pc, rem));
            }
            // A bare reschedule IPI (resched_cpu) wakes nobody, but may let a queued task run.
            case MsgKind.WAKE -> m.taskId() < 0 || leaving(moving, m.taskId(), m.dst()) ? m.time()
                : Program.sat(m.time(), w.minToSendAfterWake(m.taskId()));
            // The waiter sends next at its release, a whole hold after the grant (docs/kernel-model.md#qspinlock).
            case MsgKind.LOCK_GRANT -> Program.sat(m.time(), m.value());
            case MsgKind.TLB_STATE -> Long.MAX_VALUE; // a store becoming visible makes nobody send
            default -> m.time(); // a migration command sends the task on
        };
    }

    private static boolean leaving(int[] pairs, int task, int cpu) {
        for (int i = 0; i < pairs.length; i += 2) if (pairs[i] == task && pairs[i + 1] == cpu) return true;
        return false;
    }
}
