package smpemu.coordinator.cluster;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The workers of {@code --cluster-local N}: N-1 child JVMs (this JVM's java binary, heap limit
 * and class path) running {@code smpemu node} on 127.0.0.1, each on a free port, joined to this
 * process's member. Their output goes to temporary log files, quoted when one dies early.
 */
public final class LocalWorkers implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    private LocalWorkers() {}

    public static LocalWorkers start(int count, String seed, int parallelism, Secret secret) {
        LocalWorkers w = new LocalWorkers();
        try {
            for (int i = 0; i < count; i++) {
                Path log = Files.createTempFile("smpemu-worker-", ".log");
                w.logs.add(log);
                ProcessBuilder pb = new ProcessBuilder(command(seed, parallelism));
                pb.environment().put(Secret.ENV, secret.value());
                pb.redirectErrorStream(true).redirectOutput(log.toFile());
                w.processes.add(pb.start());
            }
        } catch (IOException e) {
            w.close();
            throw new IllegalStateException("cannot start a worker JVM: " + e.getMessage(), e);
        }
        return w;
    }

    /** The command line of a worker JVM joining {@code seed} (HOST:PORT). */
    public static List<String> command(String seed, int parallelism) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // The heap, the stack and the collector: a worker runs as fast as this JVM does.
            if (arg.startsWith("-Xmx") || arg.startsWith("-Xss") || arg.startsWith("-XX:+Use") && arg.endsWith("GC")) cmd.add(arg);
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("smpemu.coordinator.cli.Main");
        cmd.addAll(List.of("node", "--join", seed, "--port", "0", "--parallelism", String.valueOf(parallelism)));
        return cmd;
    }

    /** The worker processes (tests kill one to see the run stop). */
    public List<Process> processes() { return List.copyOf(processes); }

    /** Workers that died, with the end of their output: the reason a run could not start. */
    public String diagnosis() {
        // A worker that failed may still be on its way out: give it a moment to exit.
        long end = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < end && processes.stream().allMatch(Process::isAlive)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < processes.size(); i++) {
            Process p = processes.get(i);
            if (p.isAlive()) continue;
            b.append(System.lineSeparator()).append("worker ").append(i + 1).append(" exited with code ")
                .append(p.exitValue()).append(": ").append(tail(logs.get(i)));
        }
        return b.toString();
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join(System.lineSeparator(), lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The run is over (this member has left first): the workers have nothing to save. */
    @Override
    public void close() {
        for (Process p : processes) p.destroyForcibly();
        for (Process p : processes) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Path l : logs) new File(l.toString()).delete();
    }
}
