package smpemu.coordinator.sched;

import java.util.ArrayList;
import java.util.List;
import smpemu.config.HotplugStep;
import smpemu.config.MachineTopology;
import smpemu.config.SimSettings;
import smpemu.config.TortureSettings;
import smpemu.protocol.Rng;

/**
 * The run's hotplug operations, fixed in advance from the settings: hotplug.schedule, plus
 * scftorture's random on/off (every onoff-interval after onoff-holdoff: bring back the CPU that
 * is down, else take a random CPU other than 0 down). Pure, so both engines and the report agree.
 */
public final class HotplugPlan {
    private HotplugPlan() {}

    private static final long HOTPLUG_STREAM = 3;

    public static List<HotplugStep> of(SimSettings s) {
        List<HotplugStep> ops = new ArrayList<>();
        // An imported machine's offline CPUs go down at time 0 (boot steps, see isBoot).
        MachineTopology m = s.topology().machine();
        if (m != null) for (int c = 1; c < m.cpus(); c++) if (!m.online(c)) ops.add(new HotplugStep(0, c, false));
        for (HotplugStep h : s.hotplug()) if (h.atNs() < s.durationNs()) ops.add(h);
        TortureSettings t = s.torture();
        int cpus = s.topology().cpus();
        if (t.onoffIntervalNs() > 0 && cpus > 1) {
            Rng rng = Rng.forEntity(s.seed(), HOTPLUG_STREAM, 0);
            int down = -1;
            for (long at = t.onoffHoldoffNs() + t.onoffIntervalNs(); at < s.durationNs(); at += t.onoffIntervalNs()) {
                if (down >= 0) {
                    ops.add(new HotplugStep(at, down, true));
                    down = -1;
                } else {
                    down = 1 + (int) (rng.nextDouble() * (cpus - 1));
                    ops.add(new HotplugStep(at, down, false));
                }
            }
        }
        ops.sort(java.util.Comparator.comparingLong(HotplugStep::atNs));
        return ops;
    }

    /**
     * A step at time 0 takes an imported machine's offline CPU down (hotplug.schedule and
     * scftorture's steps come later): it waits for the one before it instead of failing.
     */
    public static boolean isBoot(HotplugStep h) { return h.atNs() == 0; }

    /** Attempts by kind: [offline, online]. */
    public static long[] attempts(SimSettings s) {
        long[] n = new long[2];
        for (HotplugStep h : of(s)) n[h.online() ? 1 : 0]++;
        return n;
    }
}
