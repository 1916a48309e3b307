package smpemu.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import smpemu.config.SimSettings;

/**
 * The window protocol's soak: many consecutive actor runs on 2-4 NodeHosts in one JVM, each of
 * which must end with the sequential engine's digest; a run that takes over a minute is a hang
 * and fails with every thread's stack. The suite runs each case twice; the soak behind the
 * figure in docs/performance.md is {@code mvn -B -ntp -q -pl coordinator -am test
 * -Dtest=WindowProtocolSoakTest -Dsurefire.failIfNoSpecifiedTests=false -Dsmpemu.soak.runs=300}.
 */
class WindowProtocolSoakTest {
    private static final int RUNS = Integer.getInteger("smpemu.soak.runs", 8);
    /** Scenario, CPUs, simulated time: cross-calls on many CPUs, migrations, locks. */
    private static final String[][] CASES = {{"torture", "64", "5ms"}, {"dpdk-16", "16", "1s"}, {"rt-16", "64", "1s"},
        {"locks", "32", "200ms"}};

    @Test
    @Timeout(value = 90, unit = TimeUnit.MINUTES) // a soak of hundreds of runs; each run has its own minute
    void consecutiveRunsOnSeveralHostsNeverHang() throws Exception {
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "soak");
            t.setDaemon(true);
            return t;
        });
        Map<String, String> sequential = new HashMap<>();
        for (int i = 0; i < RUNS; i++) {
            String[] c = CASES[i % CASES.length];
            long seed = 1 + (i / CASES.length) % 5;
            int hosts = 2 + i % 3;
            SimSettings s = Runs.scenario(c[0], "smpemu { seed = " + seed + ", duration = " + c[2]
                + ", measurement.window = " + c[2] + ", topology.cpus = " + c[1] + " }");
            String expected = sequential.computeIfAbsent(c[0] + seed, k -> Runs.sequential(s).digest());
            Future<String> run = runner.submit(() -> Runs.actors(s, hosts).digest());
            try {
                assertEquals(expected, run.get(60, TimeUnit.SECONDS), "run " + i + ": " + c[0] + " seed " + seed + " on " + hosts + " hosts");
            } catch (TimeoutException e) {
                StringBuilder dump = new StringBuilder();
                Thread.getAllStackTraces().forEach((t, frames) -> {
                    dump.append(t).append('\n');
                    for (StackTraceElement f : frames) dump.append("    ").append(f).append('\n');
                });
                fail("run " + i + " (" + c[0] + " seed " + seed + " on " + hosts + " hosts) hung:\n" + dump);
            }
        }
        runner.shutdownNow();
    }
}
