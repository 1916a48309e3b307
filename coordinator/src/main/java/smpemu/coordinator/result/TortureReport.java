package smpemu.coordinator.result;

import java.util.StringJoiner;
import smpemu.config.SimSettings;
import smpemu.config.TortureSettings;

/** scftorture's console output (docs/kernel-model.md#scftorture-output): banner, statistics line, verdict. */
public final class TortureReport {
    private TortureReport() {}

    /** FAILURE when any checker fired (scftorture: n_errs, n_mb_in_errs, n_mb_out_errs). */
    public static boolean success(RunResult r) { return r.violations().isEmpty() && r.torture().violations() == 0; }

    public static String render(SimSettings s, RunResult r) {
        StringBuilder b = new StringBuilder();
        String params = params(s);
        b.append("scftorture: --- Start of test: ").append(params).append('\n');
        selDump(b, s);
        if (s.torture().verbose() > 0) {
            b.append(String.format("scftorture: Starting %d smp_call_function() threads%n", s.torture().nthreads()));
        }
        long[] n = r.torture().invoked();
        long mbOut = r.violations().stream().filter(v -> v.kind().equals("returned-with-csd-locked")).count();
        boolean errors = !success(r);
        long interval = s.torture().statIntervalNs();
        for (int i = 0; i < r.torture().series().size(); i++) {
            long[] row = r.torture().series().get(i);
            b.append(String.format("scftorture: scf_invoked_count ver: %d resched: %d single: %d/%d single_rpc: %d"
                    + " many: %d/%d all: %d/%d (at %s)%n", row[8], row[0], row[1], row[3], row[2], row[4], row[5],
                row[6], row[7], Units.time((i + 1) * interval)));
        }
        RunResult.Hotplug h = r.hotplug();
        b.append(String.format("scftorture: %sscf_invoked_count VER: %d resched: %d single: %d/%d single_ofl: %d"
                + " single_rpc: %d single_rpc_ofl: 0 many: %d/%d all: %d/%d onoff: %d/%d:%d/%d %s,%s:%s,%s"
                + " ste: 0 stnmie: 0 stnmoe: %d staf: 0%n",
            errors ? "!!! " : "", r.torture().handlerInvocations(), n[0], n[1], n[3], h.singleOffline(), n[2],
            n[4], n[5], n[6], n[7], h.onlineSuccesses(), h.onlineAttempts(), h.offlineSuccesses(), h.offlineAttempts(),
            Units.time(h.stopMachineMinNs()), Units.time(h.stopMachineMaxNs()), "-", "-", mbOut));
        b.append(String.format("scftorture: simulated %s on %d CPUs, kernel %s (%s); onoff: online/attempts:offline/attempts,"
                + " stop_machine min,max (as seen by the dying CPU)%n",
            Units.time(r.simDurationNs()), r.cpusCount(), r.kernel(), Units.kernelConfig(r.origin())));
        for (RunResult.Violation v : r.violations()) {
            b.append(String.format("scftorture: VIOLATION %s on cpu %d at %s by %s: %s%n", v.kind(), v.cpu(),
                Units.time(v.timeNs()), v.task(), String.join(" > ", v.path())));
        }
        b.append("scftorture: ").append(params).append(errors ? " End of test: FAILURE" : " End of test: SUCCESS").append('\n');
        return b.toString();
    }

    private static final String[] PRIM_NAMES = {"resched_cpu", "smp_call_function_single", "smp_call_function_single_rpc",
        "smp_call_function_single", "smp_call_function_many", "smp_call_function_many", "smp_call_function",
        "smp_call_function"};
    private static final boolean[] PRIM_WAITS = {false, false, true, true, false, true, false, true};

    /** scf_sel_dump(): each primitive's share of the draws, in thousandths of a percent, zero weights left out. */
    private static void selDump(StringBuilder b, SimSettings s) {
        int[] w = s.torture().resolvedWeights(s.topology().cpus());
        long total = 0;
        for (int x : w) total += x;
        for (int i = 0; i < w.length; i++) {
            if (w[i] == 0) continue;
            long share = w[i] * 100_000L / total;
            b.append(String.format("scf_sel_dump: %3d.%03d %s(%s)%n", share / 1000, share % 1000, PRIM_NAMES[i],
                PRIM_WAITS[i] ? "wait" : "nowait"));
        }
    }

    /** The parameter list as the module prints it. */
    private static String params(SimSettings s) {
        TortureSettings t = s.torture();
        int[] w = t.resolvedWeights(s.topology().cpus());
        StringJoiner j = new StringJoiner(" ");
        // In the kernel's units: onoff_interval in jiffies, the holdoffs and intervals in seconds.
        j.add("verbose=" + t.verbose()).add("holdoff=" + t.holdoffNs() / 1_000_000_000L)
            .add("longwait=" + t.longwait()).add("nthreads=" + t.nthreads())
            .add("onoff_holdoff=" + t.onoffHoldoffNs() / 1_000_000_000L)
            .add("onoff_interval=" + t.onoffIntervalNs() * s.kernel().hz() / 1_000_000_000L)
            .add("shutdown_secs=" + s.durationNs() / 1_000_000_000L).add("stat_interval=" + t.statIntervalNs() / 1_000_000_000L)
            .add("stutter=" + t.stutterJiffies()).add("use_cpus_read_lock=" + (t.useCpusReadLock() ? 1 : 0));
        for (int i = 0; i < w.length; i++) {
            j.add(TortureSettings.WEIGHT_KEYS[i].replace('-', '_') + "=" + w[i]);
        }
        return j.toString();
    }
}
