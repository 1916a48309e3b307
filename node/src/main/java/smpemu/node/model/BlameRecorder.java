package smpemu.node.model;

import smpemu.protocol.CrossCallState;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * What the blame chains ({@link BlameChains}) are joined from, kept on each CPU as the run goes
 * (always attached, so it stays cheap: a ring of the last few IRQ-off stretches, two bounded
 * top-k records in {@link CpuStats}, no allocation):
 * <ul>
 * <li>on a waiter: each pinned csd_lock_wait() with the target whose unlock ended it (the last
 *     release store to arrive);</li>
 * <li>on a target: each waited-for CSD it served later than it arrived, with what this CPU was
 *     doing when the CSD arrived: IRQs off in a task's section, in a hard-IRQ handler or in a
 *     context switch (since when, on which path), or pinned with IRQs off in a csd_lock_wait() of
 *     its own (the kernel forbids waiting so; the model's ops never do, but a chain follows it),
 *     or in an SMI or preempted by the host (steal time): the CPU did not run at all.</li>
 * </ul>
 */
final class BlameRecorder implements ProbeListener {
    static final int CAUSE_NONE = 0, CAUSE_IRQS_OFF = 1, CAUSE_HARDIRQ = 2, CAUSE_SWITCH = 3, CAUSE_WAIT = 4, CAUSE_SMI = 5,
        CAUSE_STEAL = 6;
    /** IRQ-off stretches remembered: between a CSD's arrival and its callback IRQs go on at most briefly, a few times. */
    private static final int RING = 4;

    private final long[] offStart = new long[RING];
    private final long[] offEnd = new long[RING];
    private final int[] offPath = new int[RING];
    private final int[] offCause = new int[RING];
    private int head;
    /** The last release store of a waited-for CSD seen here: whose, from which target, when. */
    private int unlockTask = -1;
    private int unlockTarget = -1;
    private long unlockAt = -1;
    /** The last stretch this CPU did not run (an SMI or a host preemption): from when to when, why, on which path. */
    private long smiStart = -1;
    private long smiEnd = -1;
    private int smiPath = -1;
    private int smiCause = CAUSE_SMI;

    @Override
    public void hardirqsOff(PerCpu cpu, int path, int task) {
        head = (head + 1) % RING;
        offStart[head] = cpu.now;
        offEnd[head] = Long.MAX_VALUE;
        offPath[head] = path;
        offCause[head] = cpu.inIrq ? CAUSE_HARDIRQ : path == cpu.w.schedulePath ? CAUSE_SWITCH : CAUSE_IRQS_OFF;
    }

    @Override
    public void hardirqsOn(PerCpu cpu) { offEnd[head] = cpu.now; }

    /**
     * A _irqsave waiter's spin ends: its IRQ-off stretch so far is the spin (on the path ending in
     * queued_spin_lock_slowpath); what follows, IRQs still off, is the critical section.
     */
    @Override
    public void lockAcquired(PerCpu cpu, TaskState t, int lock, long spinNs, boolean queued) {
        Program p = cpu.w.program(t.id);
        if (p.code[t.pc] != Program.SPIN_LOCK_IRQSAVE || offEnd[head] != Long.MAX_VALUE) return;
        offEnd[head] = cpu.now;
        head = (head + 1) % RING;
        offStart[head] = cpu.now;
        offEnd[head] = Long.MAX_VALUE;
        offPath[head] = p.path[t.pc];
        offCause[head] = CAUSE_IRQS_OFF;
    }

    @Override
    public void smi(PerCpu cpu, int source, long len) { frozen(cpu, len, CAUSE_SMI, cpu.irqs.get(source).pathId()); }

    @Override
    public void hostPreempted(PerCpu cpu, long len) { frozen(cpu, len, CAUSE_STEAL, -1); }

    private void frozen(PerCpu cpu, long len, int cause, int path) {
        if (cpu.now > smiEnd) { // one that came due during the last starts at its end: one stretch, named by the first
            smiStart = cpu.now;
            smiCause = cause;
            smiPath = path;
        }
        smiEnd = cpu.now + len;
    }

    @Override
    public void csdUnlockSeen(PerCpu cpu, SimMessage m) {
        if (!CsdFlags.sync(m.extra())) return;
        unlockTask = m.taskId();
        unlockTarget = m.arg();
        unlockAt = cpu.now;
    }

    @Override
    public void waitEnded(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        if (!c.waitPinned) return; // only a pinned wait is a section ending in csd_lock_wait
        int target = unlockTask == t.id && unlockAt >= c.waitStartedAt ? unlockTarget : -1;
        cpu.stats.blameWait(cpu.now - c.waitStartedAt, t.id, c.startedAt, c.waitStartedAt, cpu.now, target, x.pathWait());
    }

    @Override
    public void csdTaken(PerCpu cpu, SimMessage m) {
        long arrived = m.time();
        long delay = cpu.now - arrived;
        if (delay <= 0 || m.taskId() < 0) return; // served at once, or nobody waits for it
        for (int k = 0; k < RING; k++) {
            int i = (head - k + RING) % RING;
            // The call-function handler's own stretch is the service, not its cause.
            if (offPath[i] == cpu.w.callFunctionIpiPath && offCause[i] == CAUSE_HARDIRQ) continue;
            if (offStart[i] <= arrived && arrived < offEnd[i]) {
                // An SMI inside the stretch: blame whichever held the CSD back longer after its arrival.
                if (smiCovers(arrived) && smiEnd - arrived >= offEnd[i] - smiEnd) break;
                TaskState t = cpu.current;
                CrossCallState c = t == null ? null : t.xcall;
                if (offCause[i] == CAUSE_IRQS_OFF && c != null && c.phase == CrossCallState.WAIT && c.waitPinned
                    && c.waitStartedAt >= offStart[i] && c.waitStartedAt <= arrived) {
                    // Waiting pinned with IRQs off: the wait itself holds the CSD back, and what
                    // held that wait up is the next hop.
                    cpu.stats.blameCsd(delay, m.src(), m.taskId(), arrived, cpu.now, CAUSE_WAIT, c.waitStartedAt, t.id);
                } else {
                    cpu.stats.blameCsd(delay, m.src(), m.taskId(), arrived, cpu.now, offCause[i], offStart[i], offPath[i]);
                }
                return;
            }
        }
        if (smiCovers(arrived)) {
            cpu.stats.blameCsd(delay, m.src(), m.taskId(), arrived, cpu.now, smiCause, smiStart, smiPath);
            return;
        }
        // IRQs were on: the delay is the IPI's and the handler's own cost.
        cpu.stats.blameCsd(delay, m.src(), m.taskId(), arrived, cpu.now, CAUSE_NONE, arrived, -1);
    }

    private boolean smiCovers(long t) { return smiStart <= t && t < smiEnd; }
}
