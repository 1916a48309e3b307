package smpemu.node.model;

import smpemu.config.Dist;

/**
 * A task program compiled to flat arrays (no per-op objects on the hot path). Control flow:
 * LOOP_BEGIN arms a loop slot, LOOP_END jumps back to {@code target} while it has iterations
 * left, JUMP always jumps; the program ends with EXIT.
 */
public final class Program {
    /** Timed ops first (up to WAKE): what each disables is in PerCpu.taskPreemptCount() and IrqEntry.irqsEnabled(). */
    public static final int COMPUTE = 0, KERNEL = 1, PREEMPT_OFF = 2, PREEMPT_OFF_RAW = 3,
        IRQ_OFF = 4, IRQSAVE = 5, BH_OFF = 6, WAKE = 7, SLEEP = 8, BLOCK = 9, YIELD = 10, COND_RESCHED = 11,
        PERIODIC_WAIT = 12, LOOP_BEGIN = 13, LOOP_END = 14, JUMP = 15, EXIT = 16, XCALL = 17,
        SCF_INVOKE = 18, KSOFTIRQD = 19;

    final int[] code;
    final Dist[] dist;          // duration of timed ops and sleeps
    final int[] path;           // call-path id of kernel sections (see Workload.path)
    final int[] target;         // jump target, wake target task id
    final int[] count;          // loop count (-1 forever)
    final int[] slot;           // loop slot
    final long[] period;        // periodic ops
    final XCallSpec[] xcall;    // cross-calls and TLB shootdowns
    final int loopSlots;
    /** Lower bound of the time from starting op pc until the task could send a message. */
    final long[] minToSend;

    Program(int[] code, Dist[] dist, int[] path, int[] target, int[] count, int[] slot,
            long[] period, XCallSpec[] xcall, int loopSlots, long wakeupNs) {
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

    /** Lower bound of the time until a task whose op at pc has {@code remaining} left could send. */
    long minToSend(int pc, long remaining) {
        if (code[pc] == WAKE || code[pc] == XCALL || code[pc] == SCF_INVOKE) return remaining; // sends when this ends
        if (isTimed(code[pc])) return sat(remaining, minToSend[pc + 1]);
        return minToSend[pc];
    }

    /** a + b, saturating at Long.MAX_VALUE ("never"). */
    public static long sat(long a, long b) {
        long s = a + b;
        return (s < 0 || a == Long.MAX_VALUE || b == Long.MAX_VALUE) ? Long.MAX_VALUE : s;
    }
}
