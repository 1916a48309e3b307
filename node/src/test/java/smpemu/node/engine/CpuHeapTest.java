package smpemu.node.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CpuHeapTest {
    @Test
    void belowFindsExactlyTheCpusUnderTheBoundAgainstAScan() {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 300;
        CpuHeap heap = new CpuHeap(n);
        long[] keys = new long[n];
        Arrays.fill(keys, Long.MAX_VALUE); // as a new heap starts
        int[] out = new int[n];
        for (int round = 0; round < 2_000; round++) {
            int cpu = rng.nextInt(n);
            keys[cpu] = rng.nextInt(10) == 0 ? Long.MAX_VALUE : rng.nextLong(1_000);
            heap.update(cpu, keys[cpu]);
            long bound = rng.nextLong(1_100);
            int found = heap.below(bound, out);
            int[] got = Arrays.copyOf(out, found);
            Arrays.sort(got);
            int[] want = IntStream.range(0, n).filter(c -> keys[c] < bound).toArray();
            assertArrayEquals(want, got, "round " + round + ", bound " + bound);
            assertEquals(Arrays.stream(keys).min().orElseThrow(), heap.minTime());
        }
    }

    @Test
    void anEmptyHeapHasNoMinimumAndNothingBelow() {
        CpuHeap heap = new CpuHeap(0);
        assertEquals(Long.MAX_VALUE, heap.minTime());
        assertEquals(0, heap.below(Long.MAX_VALUE, new int[0]));
    }
}
