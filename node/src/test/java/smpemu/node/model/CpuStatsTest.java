package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The preempt-off tracer's bookkeeping on known sections. */
class CpuStatsTest {
    private static final long MS = 1_000_000;

    @Test
    void windowMaximaAreAttributedToTheWindowWhereTheSectionEnds() {
        CpuStats s = new CpuStats(0, 100 * MS, 30 * MS, 3);
        s.section(1 * MS, 3 * MS, 7, 0, TraceIrqsoff.PREEMPT);      // 2 ms, window 0
        s.section(10 * MS, 11 * MS, 7, 0, TraceIrqsoff.PREEMPT);    // 1 ms, window 0 (not the maximum)
        s.section(29 * MS, 41 * MS, 7, 1, TraceIrqsoff.PREEMPT);    // 12 ms, starts in window 0, ends in window 1
        s.section(95 * MS, 95 * MS + 500, 7, 0, TraceIrqsoff.PREEMPT); // 500 ns, window 3 (the partial last window)
        assertArrayEquals(new long[] {2 * MS, 12 * MS, 0, 500}, s.windowMax);
        assertArrayEquals(new long[] {2, 1, 0, 0}, s.over1ms, "1 ms, 2 ms in 1-10 ms; 12 ms in 10-50 ms");
        assertEquals(4, s.sections);
    }

    @Test
    void keepsTheLongestSectionsLongestFirst() {
        CpuStats s = new CpuStats(0, 100 * MS, 30 * MS, 2);
        s.section(0, 5, 1, 0, TraceIrqsoff.PREEMPT);
        s.section(10, 30, 2, 0, TraceIrqsoff.PREEMPT);
        s.section(40, 50, 3, 0, TraceIrqsoff.PREEMPT);
        s.section(60, 61, 4, 0, TraceIrqsoff.PREEMPT);
        assertEquals(2, s.longCount);
        assertArrayEquals(new long[] {20, 10}, s.longDur);
        assertArrayEquals(new int[] {2, 3}, s.longTask);
    }

    @Test
    void distributionsAndPathsOfKnownSections() {
        CpuStats s = new CpuStats(0, 100 * MS, 30 * MS, 3);
        s.section(0, 5_000, 1, 2, TraceIrqsoff.PREEMPT);          // 5 us on path 2
        s.section(10_000, 15_000, 1, 2, TraceIrqsoff.PREEMPT);    // 5 us on path 2
        s.section(20_000, 1_520_000, 1, 0, TraceIrqsoff.PREEMPT); // 1.5 ms on path 0
        assertEquals(3, s.sectionDistribution().getTotalCount());
        assertEquals(5_000, s.sectionMin);
        assertEquals(1_500_000, s.sectionMax);
        assertEquals(1_510_000, s.sectionSum);
        assertArrayEquals(new long[] {1, 0, 2}, java.util.Arrays.copyOf(s.pathCount, 3));
        assertEquals(10_000, s.pathTotal[2]);
        assertEquals(1_500_000, s.pathMax[0]);
        assertEquals(2, s.pathLog2[2][13], "5000 ns is in [4096, 8192), bucket 13");
        assertEquals(1, s.pathLog2[0][21], "1.5 ms is in [2^20, 2^21), bucket 21");
        s.rtWakeup(3_000);
        s.rtWakeup(7_000);
        assertEquals(2, s.rtDistribution().getTotalCount());
        assertEquals(3_000, s.rtMin);
        assertEquals(10_000, s.rtSum);
    }
}
