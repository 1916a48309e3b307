package smpemu.node.actor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The global window rule on its own, without actors. */
class WindowRuleTest {
    private final WindowRule rule = WindowRule.lookahead(1_000);

    @Test
    void theEarlierOfTheBoundsPlusTheLookahead() {
        assertEquals(6_000, rule.nextEnd(5_000, 9_000, Long.MAX_VALUE));
        assertEquals(4_000, rule.nextEnd(7_000, 3_000, Long.MAX_VALUE));
    }

    @Test
    void cutAtTheLimit() {
        assertEquals(5_500, rule.nextEnd(5_000, 9_000, 5_500));
    }

    @Test
    void nothingToSendRunsToTheLimitWithoutOverflow() {
        assertEquals(8_000, rule.nextEnd(Long.MAX_VALUE, Long.MAX_VALUE, 8_000));
        assertEquals(Long.MAX_VALUE, rule.nextEnd(Long.MAX_VALUE - 10, Long.MAX_VALUE, Long.MAX_VALUE));
    }
}
