package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/** The directory follows the moves of a decision and leaves the old view as it was. */
class DirectoryTest {
    @Test
    void movesMakeANewViewAndNoMovesKeepTheOld() {
        Directory d = new Directory(new int[] {0, 1, 2});
        Directory e = new Directory.Delta(new int[] {2, 0, 0, 3}).applyTo(d);
        assertEquals(3, e.cpuOf(0));
        assertEquals(0, e.cpuOf(2));
        assertEquals(2, d.cpuOf(2), "the old view is unchanged");
        assertSame(d, d.with(new int[0]));
    }
}
