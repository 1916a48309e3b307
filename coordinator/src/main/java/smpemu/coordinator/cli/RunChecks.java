package smpemu.coordinator.cli;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import smpemu.config.SimSettings;
import smpemu.config.TaskSpec;
import smpemu.coordinator.result.RunResult;
import smpemu.coordinator.result.Units;

/**
 * Settings that are valid for the model but make a run's report misleading: an error when the
 * figures cannot mean anything, a warning when they mean less than they seem to.
 */
final class RunChecks {
    private RunChecks() {}

    /**
     * A window longer than the run holds one partial window: its p50, p99 and max are one
     * number. Only for the commands whose reports are per-window percentiles (run, compare, check).
     */
    static List<String> errors(SimSettings s) {
        if (s.windowNs() <= s.durationNs()) return List.of();
        return List.of("measurement.window: " + Units.time(s.windowNs()) + " is longer than the run (duration "
            + Units.time(s.durationNs()) + "); set measurement.window to at most the duration");
    }

    static List<String> warnings(SimSettings s, boolean perWindowFigures) {
        List<String> w = new ArrayList<>();
        long windows = Units.windows(s.durationNs(), s.windowNs());
        if (perWindowFigures && windows < RunResult.FEW_WINDOWS) {
            w.add("warning: " + windows + " windows of " + Units.time(s.windowNs()) + " per CPU: p50 and p99 of the"
                + " window maxima are coarse (fewer than " + RunResult.FEW_WINDOWS + "; below 100, p99 is the"
                + " largest window maximum)");
        }
        BitSet idle = idleCpus(s);
        if (!idle.isEmpty()) {
            w.add("warning: no task can run on CPU" + (idle.cardinality() > 1 ? "s " : " ") + smpemu.coordinator.result.Units.cpuList(idle)
                + " (topology.cpus = " + s.topology().cpus() + "; every task's affinity leaves them out)");
        }
        return w;
    }

    /** CPUs outside the affinity of every task instance. */
    static BitSet idleCpus(SimSettings s) {
        BitSet idle = new BitSet();
        idle.set(0, s.topology().cpus());
        for (TaskSpec t : s.tasks()) {
            for (int i = 0; i < t.count() && !idle.isEmpty(); i++) {
                for (int cpu : t.instanceAffinity(i)) idle.clear(cpu);
                if (!t.perCpu()) break; // every instance has the same affinity
            }
        }
        return idle;
    }
}
