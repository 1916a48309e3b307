package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import smpemu.coordinator.cluster.LocalWorkers;
import smpemu.coordinator.cluster.Secret;

/** A sweep whose points are pulled by cluster workers: the same rows as in one JVM, a killed worker included. */
class ClusterSweepTest {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aLoopbackClusterGivesTheRowsOfALocalSweep() throws Exception {
        String[] sweep = {"sweep", "--duration", "300ms", "--param", "topology.cpus=4,8", "--kernels", "baseline,patched",
            "--seeds", "1-2", "--progress", "never"};
        Cli.Outcome local = Cli.exec(concat(sweep, "--out", tmp.resolve("local").toString()));
        assertEquals(0, local.code(), local.err());
        Cli.Outcome cl = Cli.exec(concat(sweep, "--out", tmp.resolve("cluster").toString(), "--cluster-local", "2"));
        assertEquals(0, cl.code(), cl.err());
        assertEquals(rows(tmp.resolve("local")), rows(tmp.resolve("cluster")));
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aWorkerKilledMidPointHasItsPointRunElsewhere() throws Exception {
        // This node starts on the points at once: there must be more of them than it can finish
        // while the worker's JVM starts and joins, and each must outlast the kill below (about
        // 1.5 s each here, so 15 s of them; the engine's speed-ups have halved them twice).
        String[] sweep = {"sweep", "--scenario", "dpdk-16", "--duration", "60s", "--set", "measurement.window=1s", "--seeds", "1-10", "--progress", "never"};
        int port = freePort();
        Path log = tmp.resolve("worker.log"), out = tmp.resolve("cluster");
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.execute(new PrintWriter(new StringWriter()),
            new PrintWriter(err, true), concat(sweep, "--out", out.toString(), "--join", "127.0.0.1:" + port,
                "--port", String.valueOf(port), "--expect-nodes", "2", "--jobs", "1")));
        Thread.sleep(1000);
        ProcessBuilder pb = new ProcessBuilder(LocalWorkers.command("127.0.0.1:" + port, 1));
        pb.environment().put(Secret.ENV, "");
        Process worker = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long end = System.currentTimeMillis() + 90_000;
            // "sweep point N started", not the agent's "simulating sweep points for ..." that comes first.
            java.util.regex.Pattern started = java.util.regex.Pattern.compile("sweep point \\d+ started");
            while (!started.matcher(read(log)).find() && System.currentTimeMillis() < end) Thread.sleep(20);
            assertTrue(started.matcher(read(log)).find(), "the worker never got a point: " + read(log));
            worker.destroyForcibly(); // in the middle of its point: one dpdk-16 point takes seconds
            assertEquals(0, run.get(120, TimeUnit.SECONDS), err.toString());
        } finally {
            worker.destroyForcibly();
        }
        assertTrue(err.toString().matches("(?s).*sweep worker pekko://smpemu@127\\.0\\.0\\.1:\\d+ is gone; point \\d+ goes to another worker.*"),
            err.toString());
        Cli.Outcome local = Cli.exec(concat(sweep, "--out", tmp.resolve("local").toString()));
        assertEquals(0, local.code(), local.err());
        assertEquals(rows(tmp.resolve("local")), rows(out), "every point once, the same digests");
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aWorkerThatNeverJoinsHoldsNothingUp() throws Exception {
        // Points for about as long as the join timeout (dpdk-16, 20 s simulated: 0.5-1 s each).
        String[] points = {"sweep", "--scenario", "dpdk-16", "--duration", "20s", "--set", "measurement.window=1s",
            "--seeds", "1-4", "--progress", "never"};
        String[] sweep = concat(points, "--set", "cluster.join-timeout=2s", "--expect-nodes", "2");
        int port = freePort();
        // This node runs the points from the start; the missing worker is reported, not waited for.
        Cli.Outcome alone = Cli.exec(concat(sweep, "--out", tmp.resolve("alone").toString(),
            "--join", "127.0.0.1:" + port, "--port", String.valueOf(port), "--jobs", "1"));
        assertEquals(0, alone.code(), alone.err());
        // Within the timeout the points go on; if they are done first, that is said at the end.
        assertTrue(alone.err().contains("only 1 of 2 nodes joined within 2 s; the points go on")
            || alone.err().contains("only 1 of 2 nodes joined before the points were done"), alone.err());
        Cli.Outcome local = Cli.exec(concat(points, "--out", tmp.resolve("local").toString()));
        assertEquals(rows(tmp.resolve("local")), rows(tmp.resolve("alone")));
        // With --jobs 0 nothing here runs points: no worker is an error, after the timeout.
        port = freePort();
        Cli.Outcome none = Cli.exec(concat(sweep, "--out", tmp.resolve("none").toString(),
            "--join", "127.0.0.1:" + port, "--port", String.valueOf(port), "--jobs", "0"));
        assertEquals(1, none.code(), none.err());
        assertTrue(none.err().contains("only 1 of 2 nodes joined within 2 s"), none.err());
    }

    /** Each row up to its digest: point, parameters, kernel, patches, seed, digest. */
    private static List<String> rows(Path dir) throws Exception {
        List<String[]> rows = SweepCommandTest.csv(dir);
        int digest = List.of(rows.get(0)).indexOf("digest");
        return rows.stream().map(r -> String.join("|", java.util.Arrays.copyOfRange(r, 0, digest + 1))).toList();
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }
}
