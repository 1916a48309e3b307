package smpemu.node.model;

import smpemu.config.Dist;

/**
 * A task program compiled to flat arrays (no per-op objects on the hot path). Control flow:
 * LOOP_BEGIN arms a loop slot, LOOP_END jumps back to {@code target} while it has iterations
 * left, JUMP always jumps; the program ends with EXIT.
 */
public final class Program {
    /**
     * Timed ops first (up to WAKE): what each disables is in PerCpu.taskPreemptCount() and
     * IrqEntry.irqsEnabled(). The named-lock ops (docs/kernel-model.md#qspinlock) time their hold:
     * SPIN_LOCK (spin_lock), SPIN_LOCK_IRQSAVE (spin_lock_irqsave) and SPIN_LOCK_RT (an ordinary
     * lock under PREEMPT_RT, an rt_mutex: nothing disabled); {@code target} is the lock's index.
     */
    public static final int COMPUTE = 0, KERNEL = 1, PREEMPT_OFF = 2, PREEMPT_OFF_RAW = 3,
        IRQ_OFF = 4, IRQSAVE = 5, BH_OFF = 6, SPIN_LOCK = 7, SPIN_LOCK_IRQSAVE = 8, SPIN_LOCK_RT = 9,
        WAKE = 10, SLEEP = 11, BLOCK = 12, YIELD = 13, COND_RESCHED = 14,
        PERIODIC_WAIT = 15, LOOP_BEGIN = 16, LOOP_END = 17, JUMP = 18, EXIT = 19, XCALL = 20,
        SCF_INVOKE = 21, KSOFTIRQD = 22;

    final int[] code;
    final Dist[] dist;          // duration of timed ops and sleeps
    final int[] path;           // call-path id of kernel sections (see Workload.path)
    final int[] target;         // jump target, wake target task id, lock index
    final int[] spinPath;       // call-path id of a lock op's spin (queued_spin_lock_slowpath), else -1
    final int[] count;          // loop count (-1 forever)
    final int[] slot;           // loop slot
    final long[] period;        // periodic ops
    final XCallSpec[] xcall;    // cross-calls and TLB shootdowns
    final int loopSlots;
    /** Lower bound of the time from starting op pc until the task could send a message. */
    final long[] minToSend;

    Program(int[] code, Dist[] dist, int[] path, int[] spinPath, int[] target, int[] count, int[] slot,
            long[] period, XCallSpec[] xcall, int loopSlots, long wakeupNs) {
        this.spinPath = spinPath;
        this.xcall = xcall;
        this.code = code;
        this.dist = dist;
        this.path = path;
        this.target = target;
        this.count = count;
        this.slot = slot;
        this.period = period;
        this.loopSlots = loopSlots;
        this.minToSend = computeMinToSend(wakeupNs);
    }

    /** Ops that occupy the CPU for a drawn duration. */
    static boolean isTimed(int op) { return op <= WAKE; }

    /** The named-lock ops: they send at their start (the acquisition) and at their end (the release). */
    static boolean isLock(int op) { return op == SPIN_LOCK || op == SPIN_LOCK_IRQSAVE || op == SPIN_LOCK_RT; }

    public int length() { return code.length; }

    public int loopSlots() { return loopSlots; }

    /**
     * Fixed point over the program graph: each value only decreases, so at most length+1
     * passes settle it even with loops.
     */
    private long[] computeMinToSend(long wakeupNs) {
        int n = code.length;
        long[] m = new long[n];
        java.util.Arrays.fill(m, Long.MAX_VALUE);
        boolean changed = true;
        for (int pass = 0; changed && pass <= n + 1; pass++) {
            changed = false;
            for (int pc = n - 1; pc >= 0; pc--) {
                long v = switch (code[pc]) {
                    case WAKE -> wakeupNs;
                    case XCALL, SCF_INVOKE -> 0; // it pushes CSDs once its short pinned dispatch ends
                    case SPIN_LOCK, SPIN_LOCK_IRQSAVE, SPIN_LOCK_RT -> 0; // asks the lock's home at once
                    case COMPUTE, KERNEL, PREEMPT_OFF, PREEMPT_OFF_RAW, IRQ_OFF, IRQSAVE, BH_OFF, SLEEP ->
                        sat(dist[pc].min(), m[pc + 1]);
                    case BLOCK, YIELD, COND_RESCHED, PERIODIC_WAIT, LOOP_BEGIN -> m[pc + 1];
                    case LOOP_END -> Math.min(m[target[pc]], m[pc + 1]);
                    case JUMP -> m[target[pc]];
                    default -> Long.MAX_VALUE; // EXIT
                };
                if (v < m[pc]) {
                    m[pc] = v;
                    changed = true;
                }
            }
        }
        return m;
    }

    /**
     * Lower bound of the time from a wake-up of the task (it then sits just after a blocking
     * op) to its first possible send; Long.MAX_VALUE for programs that never send.
     */
    long minToSendAfterWake() {
        long m = Long.MAX_VALUE;
        for (int pc = 0; pc < code.length; pc++) {
            int op = code[pc];
            if (op == SLEEP || op == BLOCK || op == PERIODIC_WAIT) m = Math.min(m, minToSend[pc + 1]);
            // An scftorture invocation can sleep too (single_rpc's completion, stutter).
            if (op == SCF_INVOKE) m = Math.min(m, minToSend[pc]);
        }
        return m;
    }

    /**
     * Lower bound of the time until a task whose op at pc has {@code remaining} left could send,
     * the op not begun yet (prefetched, or preempted in its middle).
     */
    long minToSend(int pc, long remaining) {
        if (isLock(code[pc])) return 0; // asks the lock's home as it begins
        if (code[pc] == WAKE || code[pc] == XCALL || code[pc] == SCF_INVOKE) return remaining; // sends when this ends
        if (isTimed(code[pc])) return sat(remaining, minToSend[pc + 1]);
        return minToSend[pc];
    }

    /** As {@link #minToSend}, for the running task's op in progress: a lock op sends next at its release. */
    long minToSendInOp(int pc, long remaining) {
        return isLock(code[pc]) ? remaining : minToSend(pc, remaining);
    }

    /** a + b, saturating at Long.MAX_VALUE ("never"). */
    public static long sat(long a, long b) {
        long s = a + b;
        return (s < 0 || a == Long.MAX_VALUE || b == Long.MAX_VALUE) ? Long.MAX_VALUE : s;
    }
}
