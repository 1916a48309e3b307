package smpemu.node.model;

/**
 * A call's code path as the kernel files run it when the call starts: preempt_count as
 * get_cpu()/put_cpu(), preempt_disable()/preempt_enable() and spinlocks move it, relative to the
 * task's own level, and its value where the model's timed steps happen: the decision (targets
 * chosen, CSDs locked) and csd_lock_wait(). Whether those steps can be preempted follows from
 * these counts, not from a table. Reused for every call of a CPU (no allocation).
 */
final class CallPath {
    private int count;
    private int atDecision;
    private int atWait;
    private boolean cfdMask;
    private boolean rt;

    void reset(Kernel k) {
        count = 0;
        atDecision = Integer.MAX_VALUE;
        atWait = -1;
        cfdMask = false;
        rt = k.rt;
    }

    void preemptDisable() { count++; }

    void preemptEnable() {
        if (--count < 0) throw new IllegalStateException("preempt_count underflow on a call path");
    }

    /** get_cpu(): smp_processor_id() under preempt_disable(). */
    void getCpu() { preemptDisable(); }

    void putCpu() { preemptEnable(); }

    /** spin_lock(): preemption off, except under PREEMPT_RT where a spinlock is a sleeping lock. */
    void spinLock() { if (!rt) preemptDisable(); }

    void spinUnlock() { if (!rt) preemptEnable(); }

    /** Targets chosen and CSDs locked here; a decision in several places counts at its least pinned. */
    void decide() { atDecision = Math.min(atDecision, count); }

    /** csd_lock_wait() runs here. */
    void waitHere() { atWait = count; }

    /** The wait iterates the per-CPU cfd->cpumask (shared by the CPU's tasks), not a mask of the task's own. */
    void waitOnCfdMask(boolean shared) { cfdMask = shared; }

    boolean waitsOnCfdMask() { return cfdMask; }

    int atDecision() { return atDecision; }

    int atWait() { return atWait; }

    /** The count at the end of the path: zero when every disable had its enable. */
    int count() { return count; }
}
