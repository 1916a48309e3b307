package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class StoreBufferTest {
    private record Store(long time, long key, long packed) {}

    @Test
    void storesComeOutInTimeThenKeyOrderHoweverLateTheyArrive() {
        SplittableRandom rng = new SplittableRandom(3);
        StoreBuffer b = new StoreBuffer();
        List<Store> pending = new ArrayList<>();
        Comparator<Store> order = Comparator.comparingLong(Store::time).thenComparingLong(Store::key);
        long seq = 0;
        for (int round = 0; round < 20_000; round++) {
            if (rng.nextInt(3) > 0) {
                // Arrivals up to 800 ns out of order, with ties in time broken by the order key.
                Store s = new Store(round * 10L + rng.nextInt(80), rng.nextLong(1 << 20) << 20 | seq++,
                    StoreBuffer.pack(rng.nextInt(4), rng.nextInt(-1, 50), rng.nextInt(2)));
                b.add(s.time(), s.key(), s.packed());
                pending.add(s);
            } else if (!pending.isEmpty()) {
                pending.sort(order);
                Store first = pending.remove(0);
                assertTrue(b.firstBefore(first.time(), first.key() + 1));
                assertFalse(b.firstBefore(first.time(), first.key()), "not before itself");
                assertEquals(first.key(), b.firstKey());
                assertEquals(first.packed(), b.firstStore());
                b.removeFirst();
            }
        }
        assertEquals(pending.isEmpty(), b.isEmpty());
    }

    @Test
    void aStoreKeepsItsKindMmAndValue() {
        long p = StoreBuffer.pack(TlbState.GLOBAL_ASID, -1, 1);
        assertEquals(TlbState.GLOBAL_ASID, StoreBuffer.kind(p));
        assertEquals(-1, StoreBuffer.mm(p));
        assertEquals(1, StoreBuffer.value(p));
        long q = StoreBuffer.pack(TlbState.LEAVE, 123_456, 0);
        assertEquals(TlbState.LEAVE, StoreBuffer.kind(q));
        assertEquals(123_456, StoreBuffer.mm(q));
        assertEquals(0, StoreBuffer.value(q));
    }
}
