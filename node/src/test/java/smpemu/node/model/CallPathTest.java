package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** preempt_count along a code path: nesting, spinlocks under PREEMPT_RT, the decision at its least pinned. */
class CallPathTest {
    private static Kernel kernel(String preemption) {
        return new Kernel(ZeroCost.settings("smpemu { kernel.preemption = " + preemption + ", workload.tasks = "
            + "[{name = a, program = [{op = compute, duration = 1ms}]}] }").kernel());
    }

    @Test
    void nestedDisablesCountAndTheDecisionTakesItsLeastPinnedPoint() {
        CallPath p = new CallPath();
        p.reset(kernel("full"));
        p.spinLock();
        p.getCpu();
        p.decide();
        p.putCpu();
        p.decide();
        p.waitHere();
        p.spinUnlock();
        assertEquals(1, p.atDecision());
        assertEquals(1, p.atWait());
        assertEquals(0, p.count());
    }

    @Test
    void aSpinlockDoesNotDisablePreemptionUnderRt() {
        CallPath p = new CallPath();
        p.reset(kernel("rt"));
        p.spinLock();
        p.waitHere();
        assertEquals(0, p.atWait());
        p.preemptDisable();
        p.waitHere();
        assertEquals(1, p.atWait(), "preempt_disable() is still preempt_disable()");
    }

    @Test
    void anUnbalancedEnableIsABug() {
        CallPath p = new CallPath();
        p.reset(kernel("full"));
        assertThrows(IllegalStateException.class, p::putCpu);
    }
}
