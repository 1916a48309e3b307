package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Buffered TLB-state stores reach the view in (time, order key) order, and only those ordered before the event. */
class StoreBufferTest {
    private final List<String> applied = new ArrayList<>();
    private final StoreBuffer.Sink view = (src, kind, mm, value) -> applied.add(src + ":" + value);

    @Test
    void storesComeInTheirOrderWhateverTheOrderTheyArrivedIn() {
        StoreBuffer b = new StoreBuffer();
        b.add(300, 5, 3, 0, 1, 30);
        b.add(100, 9, 1, 0, 1, 10);
        b.add(300, 2, 2, 0, 1, 20); // same time, smaller key: before the first one
        b.add(200, 1, 4, 0, 1, 40);
        b.applyBefore(300, 5, view); // an event at (300, 5) sees what came before it, not itself
        assertEquals(List.of("1:10", "4:40", "2:20"), applied);
        b.applyBefore(300, 6, view);
        assertEquals(List.of("1:10", "4:40", "2:20", "3:30"), applied);
    }

    @Test
    void anEventBeforeEveryStoreSeesNone() {
        StoreBuffer b = new StoreBuffer();
        b.add(500, 1, 1, 0, 1, 1);
        b.applyBefore(500, 1, view);
        b.applyBefore(499, 99, view);
        assertEquals(List.of(), applied);
    }

    @Test
    void manyStoresGrowAndCompactWithoutLosingOne() {
        StoreBuffer b = new StoreBuffer();
        for (int i = 63; i >= 0; i--) b.add(i, 0, i, 0, 1, i); // backwards: every insertion moves the rest
        b.applyBefore(32, 0, view);
        for (int i = 64; i < 100; i++) b.add(i, 0, i, 0, 1, i); // a full buffer with an applied head compacts
        b.applyBefore(Long.MAX_VALUE, 0, view);
        List<String> inOrder = new ArrayList<>();
        for (int i = 0; i < 100; i++) inOrder.add(i + ":" + i);
        assertEquals(inOrder, applied);
    }
}
