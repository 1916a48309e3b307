package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

/** The union of the mm_cpumasks (what a reclaim batch reaches) follows joins and leaves. */
class DirectoryTest {
    private static BitSet bits(int... cpus) {
        BitSet b = new BitSet();
        for (int c : cpus) b.set(c);
        return b;
    }

    @Test
    void anyMmCpusIsTheUnionOfTheMasksAfterEveryChange() {
        Directory d = new Directory(new int[0], new BitSet[] {bits(0, 1), bits(1, 2)});
        assertEquals(bits(0, 1, 2), d.anyMmCpus());
        Directory.CpuMmChanges c = new Directory.CpuMmChanges();
        c.add(1, -1);  // CPU 1 leaves mm 0: still in mm 1
        c.add(2, -2);  // CPU 2 leaves mm 1: in none now
        c.add(5, 0);   // CPU 5 joins mm 0
        c.add(5, 0);   // twice: no double count
        Directory e = d.with(new int[0], c);
        assertEquals(bits(0, 1, 5), e.anyMmCpus());
        assertEquals(bits(0, 1, 2), d.anyMmCpus(), "the old view is unchanged");
        Directory.CpuMmChanges c2 = new Directory.CpuMmChanges();
        c2.add(5, -1);
        assertEquals(bits(0, 1), e.with(new int[0], c2).anyMmCpus());
    }
}
