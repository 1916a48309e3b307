package smpemu.node.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CpuHeapTest {
    @Test
    void theMinimumAndTheMinimumOfTheOthersFollowEveryUpdateAgainstAScan() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 300;
        CpuHeap heap = new CpuHeap(n);
        long[] keys = new long[n];
        Arrays.fill(keys, Long.MAX_VALUE); // as a new heap starts
        for (int round = 0; round < 2_000; round++) {
            int cpu = rng.nextInt(n);
            keys[cpu] = rng.nextInt(10) == 0 ? Long.MAX_VALUE : rng.nextLong(1_000);
            heap.update(cpu, keys[cpu]);
            if (round % 100 == 99) heap.rebuild(keys);
            assertAgreesWithAScan(heap, keys, "round " + round);
        }
    }

    @Test
    void aRebuildFromScratchAgreesWithAScan() {
        SplittableRandom rng = new SplittableRandom(11);
        for (int n : new int[] {1, 2, 3, 16, 17, 1000}) {
            CpuHeap heap = new CpuHeap(n);
            long[] keys = rng.longs(n, 0, 50).toArray(); // many ties
            heap.rebuild(keys);
            assertAgreesWithAScan(heap, keys, n + " CPUs");
        }
    }

    /** The minimum (ties: the lowest CPU) and the minimum of the others are what a scan finds. */
    private static void assertAgreesWithAScan(CpuHeap heap, long[] keys, String where) {
        long min = Arrays.stream(keys).min().orElseThrow();
        int lowest = 0;
        while (keys[lowest] != min) lowest++;
        assertEquals(min, heap.minTime(), where);
        assertEquals(lowest, heap.min(), where);
        long others = Long.MAX_VALUE;
        for (int c = 0; c < keys.length; c++) if (c != lowest) others = Math.min(others, keys[c]);
        assertEquals(others, heap.minTimeExcept(lowest), where);
    }

    @Test
    void anEmptyHeapHasNoMinimum() {
        assertEquals(Long.MAX_VALUE, new CpuHeap(0).minTime());
    }
}
