package smpemu.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Both orders, the heap and the scan, against a scan of the keys. */
class CpuOrderTest {
    static List<IntFunction<CpuOrder>> orders() { return List.of(CpuHeap::new, CpuScan::new); }

    @ParameterizedTest
    @MethodSource("orders")
    void theMinimumAndTheMinimumOfTheOthersFollowEveryUpdateAgainstAScan(IntFunction<CpuOrder> order) {
        SplittableRandom rng = new SplittableRandom(7);
        for (int n : new int[] {1, 2, 16, 300}) {
            CpuOrder heap = order.apply(n);
            long[] keys = new long[n];
            Arrays.fill(keys, Long.MAX_VALUE); // as a new order starts
            for (int round = 0; round < 5_000; round++) {
                int cpu = rng.nextInt(n);
                // Small keys: many ties. Queries between updates, as an in-order run makes them.
                keys[cpu] = rng.nextInt(10) == 0 ? Long.MAX_VALUE : rng.nextLong(n < 20 ? 8 : 1_000);
                heap.update(cpu, keys[cpu]);
                if (round % 100 == 99) heap.rebuild(keys);
                if (rng.nextInt(3) > 0) assertAgreesWithAScan(heap, keys, n + " CPUs, round " + round);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("orders")
    void aRebuildFromScratchAgreesWithAScan(IntFunction<CpuOrder> order) {
        SplittableRandom rng = new SplittableRandom(11);
        for (int n : new int[] {1, 2, 3, 16, 17, 1000}) {
            CpuOrder heap = order.apply(n);
            long[] keys = rng.longs(n, 0, 50).toArray(); // many ties
            heap.rebuild(keys);
            assertAgreesWithAScan(heap, keys, n + " CPUs");
        }
    }

    /** The minimum (ties: the lowest CPU) and the minimum of the others are what a scan finds. */
    private static void assertAgreesWithAScan(CpuOrder heap, long[] keys, String where) {
        long min = Arrays.stream(keys).min().orElseThrow();
        int lowest = 0;
        while (keys[lowest] != min) lowest++;
        assertEquals(min, heap.minTime(), where);
        assertEquals(lowest, heap.min(), where);
        long others = Long.MAX_VALUE;
        for (int c = 0; c < keys.length; c++) if (c != lowest) others = Math.min(others, keys[c]);
        assertEquals(others, heap.minTimeExcept(lowest), where);
        if (keys.length > 1) assertEquals(min, heap.minTimeExcept((lowest + 1) % keys.length), where);
    }

    @ParameterizedTest
    @MethodSource("orders")
    void anEmptyOrderHasNoMinimum(IntFunction<CpuOrder> order) {
        assertEquals(Long.MAX_VALUE, order.apply(0).minTime());
    }
}
