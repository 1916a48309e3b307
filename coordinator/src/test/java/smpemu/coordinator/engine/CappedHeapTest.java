package smpemu.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory stays linear in CPUs: 16,384 CPUs of rt-16 run a short simulation in a child JVM capped
 * at 1.5 GiB of heap. When per-CPU state grew with the machine (a copy of every task's priority
 * on every CPU's run queue), this needed about 4 GiB and the child died of OutOfMemoryError.
 * A guard of the shape of the memory, not a measurement (bench reports heap per CPU).
 */
class CappedHeapTest {
    @TempDir
    Path dir;

    @Test
    void sixteenThousandCpusFitInOneAndAHalfGibibytes() throws Exception {
        Path out = dir.resolve("child.log");
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1536m",
            "-cp", System.getProperty("java.class.path"), "smpemu.coordinator.cli.Main", "run", "--scenario", "rt-16",
            "--engine", "sequential", "--set", "topology.cpus=16384", "--duration", "2ms",
            "--set", "measurement.window=2ms", "-q", "--progress", "never");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child did not finish in 180 s: " + Files.readString(out));
        }
        assertEquals(0, p.exitValue(), Files.readString(out));
    }
}
