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
            long min = Arrays.stream(keys).min().orElseThrow();
            assertEquals(min, heap.minTime(), "round " + round);
            assertEquals(min, keys[heap.min()], "round " + round);
            int first = heap.min();
            long others = Long.MAX_VALUE;
            for (int c = 0; c < n; c++) if (c != first) others = Math.min(others, keys[c]);
            assertEquals(others, heap.minTimeExcept(first), "round " + round);
        }
    }

    @Test
    void anEmptyHeapHasNoMinimum() {
        assertEquals(Long.MAX_VALUE, new CpuHeap(0).minTime());
    }
}
