package smpemu.protocol;

/**
 * A task's cross-call in progress (smp_call_function*() or a TLB shootdown): it travels with the
 * task, because after the series a preempted waiter may migrate and keeps polling the same CSDs
 * (docs/kernel-model.md#csd_lock_wait).
 */
public final class CrossCallState implements WireMessage {
    public static final int DISPATCH = 0;   // pinned: csd_lock, pushes, IPIs
    public static final int SPIN = 1;       // pinned csd_lock() spin on a CSD still in flight
    public static final int LOCAL = 2;      // the local callback, IRQs off
    public static final int WAIT = 3;       // csd_lock_wait() on every target
    public static final int DECIDE = 4;     // unsafe variants: target choice and csd_lock, preemptible

    public int phase;
    /** The CPU whose CSDs carry the call: unlocks are sent there. */
    public int ownerCpu;
    /** Target CPUs waited for, and which of them released their CSD. */
    public int[] targets;
    public boolean[] released;
    /** Whether {@link #targets} is in CPU order ({@link #setTargets}). */
    public boolean sortedTargets;
    public int pending;
    /** preempt_count at csd_lock_wait(), as the call's code path left it. */
    public int waitCount;
    /** Whether the wait keeps preemption disabled (docs/kernel-model.md#pinned-table and the nesting rule). */
    public boolean waitPinned;
    public long startedAt;
    public long waitStartedAt = -1;
    /** Time spent with preemption disabled so far, and since when the current pinned stretch runs. */
    public long pinnedNs;
    public long pinnedSince = -1;
    /** Generation, so that a stale csdlock_debug timeout is recognised. */
    public int seq;
    /** The scftorture primitive this call is (its ordinal), or -1 for a program's own op. */
    public int scfPrim = -1;
    /** The CPU on which the targets (or the local-only branch) were decided. */
    public int decidedCpu = -1;
    /** Its CSD locks were taken while deciding (unsafe variants), before the dispatch. */
    public boolean locked;
    /** The unpinned decision is over: what remains is the pinned dispatch. */
    public boolean decided;
    /** The wait iterates its CPU's cfd->cpumask (no task-local IPI mask, patch 4), which other tasks there rewrite. */
    public boolean waitOnCfdMask;
    /** A single call's target was offline: -ENXIO, nothing is sent and nothing runs. */
    public boolean enxio;
    /** AMD INVLPGB: this flush is a hardware broadcast (no IPIs), decided when the call started. */
    public boolean broadcast;

    public CrossCallState() {}

    /** Sets the target CPUs, none released yet. */
    public void setTargets(int[] cpus) {
        targets = cpus;
        released = new boolean[cpus.length];
        sortedTargets = true;
        for (int i = 1; i < cpus.length; i++) if (cpus[i] < cpus[i - 1]) sortedTargets = false;
    }

    /** Marks the CSD sent to {@code cpu} released; true if it was still pending. */
    public boolean release(int cpu) {
        // In CPU order (as every target list is made) the search starts at the first of
        // them: a broadcast to 4,096 CPUs would otherwise scan its targets once per unlock.
        int i = sortedTargets ? firstAtOrAbove(cpu) : 0;
        for (; i < targets.length; i++) {
            if (targets[i] == cpu && !released[i]) {
                released[i] = true;
                pending--;
                return true;
            }
            if (sortedTargets && targets[i] > cpu) break;
        }
        return false;
    }

    private int firstAtOrAbove(int cpu) {
        int lo = 0, hi = targets.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (targets[mid] < cpu) lo = mid + 1; else hi = mid;
        }
        return lo;
    }
}
