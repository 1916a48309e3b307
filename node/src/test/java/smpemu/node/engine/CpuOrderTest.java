package smpemu.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The tournament tree against a scan of the keys, at sizes with and without padding leaves. */
class CpuOrderTest {
    @Test
    void theMinimumAndTheMinimumOfTheOthersFollowEveryUpdateAgainstAScan() {
        SplittableRandom rng = new SplittableRandom(7);
        for (int n : new int[] {1, 2, 16, 300}) {
            CpuOrder order = new CpuOrder(n);
            long[] keys = new long[n];
            Arrays.fill(keys, Long.MAX_VALUE); // as a new order starts
            for (int round = 0; round < 5_000; round++) {
                int cpu = rng.nextInt(n);
                // Small keys: many ties. Queries between updates, as an in-order run makes them.
                keys[cpu] = rng.nextInt(10) == 0 ? Long.MAX_VALUE : rng.nextLong(n < 20 ? 8 : 1_000);
                order.update(cpu, keys[cpu]);
                if (round % 100 == 99) order.rebuild(keys);
                if (rng.nextInt(3) > 0) assertAgreesWithAScan(order, keys, n + " CPUs, round " + round);
            }
        }
    }

    @Test
    void aRebuildFromScratchAgreesWithAScan() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int n : new int[] {1, 2, 3, 16, 17, 1000}) {
            CpuOrder order = new CpuOrder(n);
            long[] keys = rng.longs(n, 0, 50).toArray(); // many ties
            order.rebuild(keys);
            assertAgreesWithAScan(order, keys, n + " CPUs");
        }
    }

    /** The minimum (ties: the lowest CPU) and the minimum of the others are what a scan finds. */
    private static void assertAgreesWithAScan(CpuOrder order, long[] keys, String where) {
        long min = Arrays.stream(keys).min().orElseThrow();
        int lowest = 0;
        while (keys[lowest] != min) lowest++;
        assertEquals(min, order.minTime(), where);
        assertEquals(lowest, order.min(), where);
        long others = Long.MAX_VALUE;
        for (int c = 0; c < keys.length; c++) if (c != lowest) others = Math.min(others, keys[c]);
        assertEquals(others, order.minTimeExcept(lowest), where);
        if (keys.length > 1) assertEquals(min, order.minTimeExcept((lowest + 1) % keys.length), where);
    }

    @Test
    void anEmptyOrderHasNoMinimum() {
        assertEquals(Long.MAX_VALUE, new CpuOrder(0).minTime());
    }
}
