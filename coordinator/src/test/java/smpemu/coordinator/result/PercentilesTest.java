package smpemu.coordinator.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Nearest-rank: the value at rank ceil(p/100 * n) of the ascending list. */
class PercentilesTest {

    @Test
    void nearestRankOnKnownData() {
        long[] v = {15, 20, 35, 40, 50};
        assertEquals(35, Percentiles.nearestRank(v, 50), "rank ceil(2.5) = 3");
        assertEquals(50, Percentiles.nearestRank(v, 99), "rank ceil(4.95) = 5");
        assertEquals(15, Percentiles.nearestRank(v, 1), "rank ceil(0.05) = 1");
        long[] hundred = new long[100];
        for (int i = 0; i < 100; i++) hundred[i] = 100 - i; // unsorted input
        assertEquals(99, Percentiles.nearestRank(hundred, 99));
        assertEquals(50, Percentiles.nearestRank(hundred, 50));
        assertEquals(0, Percentiles.nearestRank(new long[0], 99));
    }
}
