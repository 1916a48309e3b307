package smpemu.coordinator.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code --by-path} on the hand-built timeline of HistogramReportsTest: one path, five known sections. */
class ByPathReportTest {
    private static final RunResult RUN = HistogramReportsTest.RUN;

    @Test
    void onePathWithItsSections() {
        assertEquals(1, RUN.paths().size());
        RunResult.PathStats p = RUN.paths().get(0);
        assertEquals(5, p.count());
        assertEquals(1_822_000, p.totalNs());
        assertEquals(1_500_000, p.maxNs());
    }

    @Test
    void bpftraceHistLayoutByteForByte() {
        List<String> path = new java.util.ArrayList<>(RUN.paths().get(0).path());
        java.util.Collections.reverse(path); // innermost first, as kstack
        String frames = String.join("", path.stream().map(f -> "        " + f + "\n").toList());
        String bar52 = "@".repeat(52), bar26 = "@".repeat(26), none = " ".repeat(26);
        String expected = "\nsections by call path (1 paths; bpftrace: @preemptoff_ns[kstack] = hist(ns)), longest first:\n"
            + "\n@preemptoff_ns[\n" + frames
            + "]: count 5, total 1.82ms, max 1.50ms\n"
            + "[4K, 8K)               2 |" + bar52 + "|\n"
            + "[8K, 16K)              1 |" + bar26 + none + "|\n"
            + "[16K, 32K)             0 |" + " ".repeat(52) + "|\n"
            + "[32K, 64K)             0 |" + " ".repeat(52) + "|\n"
            + "[64K, 128K)            0 |" + " ".repeat(52) + "|\n"
            + "[128K, 256K)           0 |" + " ".repeat(52) + "|\n"
            + "[256K, 512K)           1 |" + bar26 + none + "|\n"
            + "[512K, 1M)             0 |" + " ".repeat(52) + "|\n"
            + "[1M, 2M)               1 |" + bar26 + none + "|\n";
        assertEquals(expected, ByPathReport.render(RUN));
    }

    @Test
    void bucketLabelsAsBpftraceWritesThem() {
        assertEquals(List.of("1", "512", "1K", "2K", "1M", "1G", "4G"),
            List.of(0, 9, 10, 11, 20, 30, 32).stream().map(ByPathReport::label).toList());
        StringBuilder b = new StringBuilder();
        ByPathReport.hist(b, new long[] {3, 1, 0, 0});
        assertEquals("[0]                    3 |" + "@".repeat(52) + "|\n[1]                    1 |" + "@".repeat(17)
            + " ".repeat(35) + "|\n", b.toString());
    }

    @Test
    void jsonPaths() {
        JsonNode p = JsonReport.tree(RUN, false).get("paths").get(0);
        assertEquals(5, p.get("count").asLong());
        assertEquals(1_822_000, p.get("total_ns").asLong());
        assertEquals(1_500_000, p.get("max_ns").asLong());
        assertEquals(4, p.get("buckets").size());
        assertEquals(4096, p.get("buckets").get(0).get("from_ns").asLong());
        assertEquals(2, p.get("buckets").get(0).get("count").asLong());
    }
}
