package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import smpemu.coordinator.cli.Cli.Outcome;
import smpemu.coordinator.cluster.LocalWorkers;
import smpemu.coordinator.cluster.Secret;
import smpemu.coordinator.engine.Runs;
import smpemu.coordinator.result.RunResult;

/**
 * Multi-node runs on a real Pekko cluster: worker JVMs started with this JVM's java and class
 * path, Artery TCP on 127.0.0.1, Kryo on the wire. Every wait is bounded.
 */
class ClusterRunTest {
    @TempDir
    Path tmp;

    private static ConfigOptions options(String scenario, String duration, String... sets) {
        ConfigOptions c = new ConfigOptions();
        c.scenario = scenario;
        c.duration = duration;
        c.sets.addAll(List.of(sets));
        return c;
    }

    /** Three nodes (this JVM and two workers) give the digest of one JVM and of the sequential engine. */
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void threeNodesGiveTheSameDigest() {
        ClusterOptions o = new ClusterOptions();
        o.clusterLocal = 3;
        o.host = "127.0.0.1";
        List<ConfigOptions> cases = List.of(
            options("rt-16", "1s", "measurement.window=100ms"),
            options("dpdk-16", "1s", "measurement.window=100ms"),
            // Named locks: handoffs below the IPI latency cross the members too (docs/kernel-model.md#qspinlock).
            options("locks", "50ms", "measurement.window=50ms"),
            options("rt-16", "100ms", "topology.cpus=256", "topology.sockets=4", "measurement.window=50ms",
                "cluster.partitioner=round-robin"));
        ConfigOptions.Loaded first = cases.get(0).load("smoke", Map.of());
        try (ClusterRunner runner = ClusterRunner.open(new CommandLine(new Main()), o, first.cluster(), first.settings())) {
            for (ConfigOptions c : cases) {
                ConfigOptions.Loaded l = c.load("smoke", Map.of());
                ClusterRunner.Simulation sim = runner.simulate(l);
                String name = l.settings().scenario() + " on " + l.settings().topology().cpus() + " CPUs";
                assertEquals(3, sim.result().nodes(), name);
                assertEquals(3, sim.partition().addresses().size(), name);
                assertEquals(3, sim.partition().addresses().stream().distinct().count(), "three members: " + sim.partition());
                RunResult seq = Runs.sequential(l.settings());
                assertEquals(seq.digest(), sim.result().digest(), name + ": cluster vs sequential");
                assertEquals(seq.locks(), sim.result().locks(), name + ": lock figures (outside the digest), cluster vs sequential");
                assertEquals(Runs.actors(l.settings(), 1).digest(), sim.result().digest(), name + ": cluster vs one JVM");
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Process worker(String seed, String secret, Path log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(LocalWorkers.command(seed, 1));
        pb.environment().put(Secret.ENV, secret);
        return pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static boolean await(java.util.function.BooleanSupplier c, long ms) throws InterruptedException {
        long end = System.currentTimeMillis() + ms;
        while (!c.getAsBoolean()) {
            if (System.currentTimeMillis() > end) return false;
            Thread.sleep(100);
        }
        return true;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            return "";
        }
    }

    /** `run --join --expect-nodes 2` with a `smpemu node` worker that is killed mid-run. */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void aKilledWorkerStopsTheRunWithAClearMessage() throws Exception {
        int port = freePort();
        Path json = tmp.resolve("result.json"), log = tmp.resolve("worker.log");
        CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(() -> Cli.exec("run", "--scenario", "dpdk-16",
            "--duration", "600s", "--join", "127.0.0.1:" + port, "--port", String.valueOf(port), "--expect-nodes", "2",
            "--json", json.toString()));
        Thread.sleep(1000);
        Process worker = worker("127.0.0.1:" + port, "", log);
        try {
            assertTrue(await(() -> read(log).contains("hosting node 1"), 60_000), "the run never started: " + read(log));
            Thread.sleep(1500); // well into the run
            assertFalse(run.isDone(), "the run must still be going: " + (run.isDone() ? run.get() : ""));
            long killed = System.nanoTime();
            worker.destroyForcibly();
            Outcome o = run.get(30, TimeUnit.SECONDS);
            long ms = (System.nanoTime() - killed) / 1_000_000;
            assertEquals(1, o.code(), o.err());
            assertTrue(o.err().matches("(?s).*node pekko://smpemu@127\\.0\\.0\\.1:\\d+ left during window \\d+ at simulated time \\d+.*"),
                o.err());
            assertTrue(ms < 10_000, "stopped after " + ms + " ms");
            System.out.println("ClusterRunTest: the run stopped " + ms + " ms after the worker was killed");
            try (var files = Files.list(tmp)) {
                List<String> left = new ArrayList<>(files.map(p -> p.getFileName().toString()).toList());
                assertEquals(List.of("worker.log"), left, "no result file, no temporary file");
            }
        } finally {
            worker.destroyForcibly();
        }
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aNodeWithTheWrongSecretIsRefused() throws Exception {
        int port = freePort();
        Path log = tmp.resolve("worker.log");
        CompletableFuture<Outcome> run = CompletableFuture.supplyAsync(() -> Cli.exec("run", "--scenario", "smoke",
            "--duration", "100ms", "--join", "127.0.0.1:" + port, "--port", String.valueOf(port), "--expect-nodes", "2",
            "--set", "cluster.secret=right", "--set", "cluster.join-timeout=12s"));
        Thread.sleep(1000);
        Process worker = worker("127.0.0.1:" + port, "wrong", log);
        try {
            assertTrue(worker.waitFor(40, TimeUnit.SECONDS), "the refused worker must exit: " + read(log));
            assertEquals(1, worker.exitValue(), read(log));
            assertTrue(read(log).contains("refused by the coordinator: wrong cluster secret"), read(log));
            Outcome o = run.get(40, TimeUnit.SECONDS);
            assertEquals(1, o.code(), o.err());
            assertTrue(o.err().contains("only 1 of 2 nodes joined within 12 s"), o.err());
            assertTrue(o.err().contains("wrong cluster secret"), o.err());
        } finally {
            worker.destroyForcibly();
        }
    }

    @Test
    void contradictoryClusterOptionsAreUsageErrors() {
        assertEquals(2, Cli.exec("run", "--cluster-local", "2", "--join", "127.0.0.1:2552", "--expect-nodes", "2").code());
        assertEquals(2, Cli.exec("run", "--join", "127.0.0.1:2552").code());
        assertEquals(2, Cli.exec("run", "--join", "nohostport", "--expect-nodes", "2").code());
        assertEquals(2, Cli.exec("run", "--cluster-local", "2", "--engine", "sequential").code());
        Outcome bad = Cli.exec("run", "--cluster-local", "2", "--set", "cluster.partitioner=diagonal");
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("smpemu.cluster.partitioner: \"diagonal\" is not one of socket, round-robin"), bad.err());
    }
}
