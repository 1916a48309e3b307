package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import smpemu.protocol.CrossCallState;

/** csd_unlock() releases: each target once, whether the targets are in CPU order or not. */
class CrossCallStateTest {
    @Test
    void eachTargetIsReleasedOnceInCpuOrderOrNot() {
        for (int[] targets : new int[][] {{1, 4, 4, 9, 200}, {9, 4, 200, 1, 4}, {}, {7}}) {
            CrossCallState c = new CrossCallState();
            c.setTargets(targets);
            c.pending = targets.length;
            assertFalse(c.release(5), "not a target");
            for (int t : targets) assertTrue(c.release(t), "target " + t);
            for (int t : targets) assertFalse(c.release(t), "released twice: " + t);
            assertEquals(0, c.pending);
            for (boolean r : c.released) assertTrue(r);
        }
    }

    @Test
    void aTargetListKnowsWhetherItIsInCpuOrder() {
        CrossCallState c = new CrossCallState();
        c.setTargets(new int[] {0, 3, 3, 8});
        assertTrue(c.sortedTargets);
        c.setTargets(new int[] {3, 0});
        assertFalse(c.sortedTargets);
    }
}
