package smpemu.coordinator.result;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The compare text report on hand-made results: the cover letter's numbers (docs/costs.md#src-cover-letter). */
class CompareReportTest {
    private static final RunResult.Over1ms NONE = new RunResult.Over1ms(0, 0, 0, 0);
    private static final RunResult.Origin ORIGIN = new RunResult.Origin("full", 250, "preemptoff", "v6", "0".repeat(64), "{}");

    /** Four CPUs; cpu3 carries the worst p99 and the flush figures are the given ones. */
    private static RunResult result(String kernel, int[] patches, long cpu3P99, long flushP99, long pinnedP99, long digestSeed) {
        List<RunResult.CpuResult> cpus = new ArrayList<>();
        cpus.add(new RunResult.CpuResult(0, 254_956, 1_234_567, 1_234_567, new RunResult.Over1ms(3, 1, 0, 0), 12_000, 40, 0));
        cpus.add(new RunResult.CpuResult(1, 115_801, 120_782, 120_782, NONE, 0, 0, 0));
        cpus.add(new RunResult.CpuResult(2, 43_324, 72_957, 72_957, NONE, 0, 0, 0));
        cpus.add(new RunResult.CpuResult(3, 256_637, cpu3P99, cpu3P99, new RunResult.Over1ms(1, 1, 0, 0), 0, 0, 0));
        RunResult.Summary s = new RunResult.Summary(256_637, Math.max(cpu3P99, 1_234_567), Math.max(cpu3P99, 1_234_567),
            new RunResult.Over1ms(4, 2, 0, 0), 3_000, 50_000, 1_000_000, 4_000, 120, 2_000, cpu3P99,
            200_000, flushP99, flushP99 * 2, pinnedP99, pinnedP99 * 2, 130, 0, 900, 4_500);
        List<RunResult.Section> longest = List.of(
            new RunResult.Section(3, 1_000_000, cpu3P99, "exit-worker-3",
                List.of("do_exit", "exit_mmap", "flush_tlb_mm_range", "csd_lock_wait"), "preempt",
                List.of(new RunResult.BlameHop(11, "csd_lock_wait", List.of("flush_tlb_mm_range", "csd_lock_wait"), 900_000, cpu3P99 + 50_000),
                    new RunResult.BlameHop(5, "host", List.of("host", "vcpu_preempted"), 41_370_000_000L, 16_100_000))),
            new RunResult.Section(0, 2_000_000, 1_234_567, "kswapd0", List.of("shrink_folio_list", "arch_tlbbatch_flush"), "preempt"));
        return new RunResult(1, "rt-16", kernel, patches, 1, "sequential", 1, 4, 60_000_000_000L, 30_000_000_000L,
            String.format("%064x", digestSeed), s, cpus, longest, List.of(), List.of(),
            new RunResult.Torture(new long[8], 0, 0, List.of()), new RunResult.Hotplug(0, 0, 0, 0, 0, 0, 0, 0, 0),
            new RunResult.Counters(10, 20, 30, 0, 40),
            new RunResult.EngineFigures(1_000, 10, 5, 200_000, 64L << 20), ORIGIN, List.of(), List.of(), List.of());
    }

    private static final RunResult BEFORE = result("baseline", new int[0], 16_723_307, 16_000_000, 16_000_000, 1);
    private static final RunResult AFTER = result("patched", new int[] {1, 2, 3}, 1_556_034, 16_100_000, 1_400_000, 2);

    @Test
    void theCoverLetterSummaryLine() {
        String text = CompareReport.render("baseline", BEFORE, "patched", AFTER);
        assertTrue(text.contains("preempt-off p99 (worst CPU): before 16,723,307 ns (16.7ms), after 1,556,034 ns (1.56ms),"
            + " reduced by 90.7%\n".replace("\n", System.lineSeparator())), text);
        assertTrue(text.contains("before: kernel baseline, patches none"), text);
        assertTrue(text.contains("after:  kernel patched, patches 1,2,3"), text);
        assertTrue(text.contains("simulated 60.0s in 2 windows of 30.0s"), text);
        assertTrue(text.lines().findFirst().orElseThrow().endsWith("| preempt full, HZ 250, tracer preemptoff, series v6"), text);
        assertTrue(text.contains("initiator time p99 1.01x, pinned part p99 0.09x"), text);
        assertTrue(text.contains("do_exit > exit_mmap > flush_tlb_mm_range > csd_lock_wait"), text);
        assertEquals(90.695, CompareReport.reductionPct(BEFORE, AFTER), 1e-3);
    }

    @Test
    void aBlameLineFollowsItsSection() {
        List<String> lines = CompareReport.render("baseline", BEFORE, "patched", AFTER).lines().toList();
        int row = lines.indexOf(lines.stream().filter(l -> l.contains("exit-worker-3")).findFirst().orElseThrow());
        assertEquals("    blame: cpu3 exit-worker-3 16.7ms in csd_lock_wait <- cpu11 acked last: pinned 16.8ms in csd_lock_wait"
            + " from 900us <- cpu5 acked last: IRQs off 16.1ms in vcpu_preempted (host) from 41.4s", lines.get(row + 1));
        assertTrue(lines.get(row + 2).contains("kswapd0"), "no blame line for a section not in csd_lock_wait");
    }

    @Test
    void tableColumnsAreAligned() {
        List<String> lines = CompareReport.render("baseline", BEFORE, "patched", AFTER).lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.contains("before p50")).findFirst().orElseThrow());
        List<String> table = lines.subList(header, header + 5);
        table.forEach(l -> assertEquals(table.get(0).length(), l.length(), "ragged row:\n" + String.join("\n", table)));
        String cpu3 = table.get(4);
        assertTrue(cpu3.startsWith("  cpu3 ") && cpu3.contains(" 16,723,307 ") && cpu3.endsWith(" 1,556,034"), cpu3);
    }

    @Test
    void noReductionWhenBeforeIsZero() {
        RunResult zero = result("baseline", new int[0], 0, 0, 0, 3);
        RunResult.Summary s = zero.summary();
        RunResult quiet = new RunResult(1, "x", "baseline", new int[0], 1, "sequential", 1, 4, 1, 1, zero.digest(),
            new RunResult.Summary(0, 0, 0, s.over1ms(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0),
            zero.cpus(), List.of(), List.of(), List.of(), zero.torture(), zero.hotplug(), zero.counters(), zero.engineStats(), ORIGIN, List.of(), List.of(), List.of());
        assertEquals(0.0, CompareReport.reductionPct(quiet, AFTER));
        assertEquals(0.0, JsonReport.compareTree("baseline", quiet, "patched", AFTER, false).get("reduction_pct").asDouble());
    }
}
