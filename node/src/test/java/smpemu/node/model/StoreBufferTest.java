package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import smpemu.protocol.MsgKind;

class StoreBufferTest {
    private record Store(int src, long seq, long arrival, long key, long packed) {}

    /**
     * Senders at different latencies store in time order; the reader's buffer gets each store
     * when it is sent (arrival order is send order, not arrival-time order), and events at
     * increasing (time, key) apply what they may see. Each pass must apply exactly the stores
     * ordered before its event, each sender's in the order it made them. The passes come often
     * and seldom, so stores go both ways: applied from the list, and kept in the heap.
     */
    @Test
    void aPassAppliesExactlyTheStoresOrderedBeforeItsEventEachSendersInOrder() {
        SplittableRandom rng = new SplittableRandom(3);
        int senders = 6;
        long[] latency = new long[senders];
        for (int s = 0; s < senders; s++) latency[s] = 50 + rng.nextInt(800);
        StoreBuffer b = new StoreBuffer();
        List<Store> delivered = new ArrayList<>();
        List<Store> applied = new ArrayList<>();
        long[] lastSeq = new long[senders];
        java.util.Arrays.fill(lastSeq, -1);
        StoreBuffer.Sink sink = (src, kind, mm, value) -> {
            Store s = delivered.stream().filter(d -> d.src() == src && d.seq() == lastSeq[src] + 1).findFirst().orElseThrow(
                () -> new AssertionError("sender " + src + "'s store after seq " + lastSeq[src] + " skipped or repeated"));
            assertEquals(s.packed(), StoreBuffer.pack(kind, mm, value), "the store's fields");
            lastSeq[src]++;
            applied.add(s);
        };
        long now = 0, seq = 0, lastEvent = -1, lastKey = 0;
        long[] perSender = new long[senders];
        for (int round = 0; round < 6_000; round++) {
            now += rng.nextInt(40);
            int src = rng.nextInt(senders);
            long arrival = now + latency[src];
            long key = EventQueue.orderKey(MsgKind.TLB_STATE, src, seq++);
            Store s = new Store(src, perSender[src]++, arrival, key, StoreBuffer.pack(rng.nextInt(4), rng.nextInt(-1, 50), rng.nextInt(2)));
            delivered.add(s);
            // A full list makes the reader apply what its last event may see, as Tlb.buffered does.
            if (b.add(s.arrival(), s.key(), s.packed())) assertPass(b, lastEvent, lastKey, sink, delivered, applied);
            // The reader's events come in time order, each no later than a store still to be
            // sent can arrive (now + 50, the least latency): a conservative engine's guarantee.
            // Events that read the view come often in the first half, seldom in the second.
            long t = Math.max(lastEvent + 1, now + rng.nextInt(51));
            if (rng.nextInt(round < 3_000 ? 4 : 200) == 0 && t <= now + 50) {
                lastEvent = t;
                lastKey = EventQueue.orderKey(MsgKind.WAKE, rng.nextInt(senders), rng.nextLong(1 << 20));
                assertPass(b, lastEvent, lastKey, sink, delivered, applied);
            }
        }
        assertTrue(applied.size() > 5_000, "most stores were applied: " + applied.size());
    }

    /** A pass applies exactly the stores ordered before (t, key) (the sink checks each sender's order). */
    private static void assertPass(StoreBuffer b, long t, long eventKey, StoreBuffer.Sink sink, List<Store> delivered,
                                   List<Store> applied) {
        b.applyBefore(t, eventKey, sink);
        long expected = delivered.stream().filter(d -> d.arrival() < t || d.arrival() == t && d.key() < eventKey).count();
        assertEquals(expected, applied.size(), "the stores ordered before the event at " + t);
        assertEquals(delivered.size() - expected, b.size(), "the others are kept");
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
