package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpemu.coordinator.cli.Cli.exec;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import smpemu.coordinator.plot.Charts;

/** --plot of run and compare, and a sweep's plots: PNG files of the expected size, headless. */
class PlotsTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @TempDir
    Path tmp;

    @Test
    void runAndCompareDrawTheirPlots() throws Exception {
        Path dir = tmp.resolve("plots");
        Cli.Outcome run = exec("run", "--engine", "sequential", "--duration", "500ms", "-q", "--plot", dir.toString());
        assertEquals(0, run.code(), run.err());
        Cli.Outcome cmp = exec("compare", "--engine", "sequential", "--duration", "500ms", "-q",
            "--kernels", "baseline,patched-7", "--plot", dir.toString());
        assertEquals(0, cmp.code(), cmp.err());
        for (String f : List.of("cpu-p99.png", "rt-wakeup-ccdf.png", "cpu-p50-p99.png", "section-ccdf.png")) assertPng(dir.resolve(f));
        try (var files = Files.list(dir)) {
            assertEquals(4, files.count(), "four plots, no temporary file left");
        }
    }

    @Test
    void aSweepDrawsItsParametersAndKernels() throws Exception {
        Path out = tmp.resolve("sweep");
        Cli.Outcome o = exec("sweep", "--duration", "200ms", "--param", "topology.cpus=4,8", "--kernels", "baseline,patched",
            "--seeds", "1-2", "--out", out.toString());
        assertEquals(0, o.code(), o.err());
        assertPng(out.resolve("plots/p99-vs-topology.cpus.png"));
        assertPng(out.resolve("plots/reduction-vs-topology.cpus.png"));

        Path kernels = tmp.resolve("kernels");
        Cli.Outcome k = exec("sweep", "--duration", "200ms", "--kernels", "baseline,baseline+2,patched", "--out", kernels.toString());
        assertEquals(0, k.code(), k.err());
        assertPng(kernels.resolve("plots/p99-by-kernel.png"));
    }

    private static void assertPng(Path f) throws Exception {
        assertTrue(Files.exists(f), f + " exists");
        byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(f), PNG.length);
        assertTrue(java.util.Arrays.equals(PNG, head), f + " has the PNG signature");
        BufferedImage img = ImageIO.read(f.toFile());
        assertEquals(Charts.WIDTH, img.getWidth(), f.toString());
        assertEquals(Charts.HEIGHT, img.getHeight(), f.toString());
    }
}
