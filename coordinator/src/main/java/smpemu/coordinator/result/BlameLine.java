package smpemu.coordinator.result;

import static smpemu.coordinator.result.Units.time;

/**
 * A section's blame chain as one line of the text reports (run and compare), e.g.
 * {@code cpu3 kswapd 16.2 ms in csd_lock_wait <- cpu11 acked last: IRQs off 16.1 ms in vcpu_preempted (host) from 41.37 s}.
 */
final class BlameLine {
    private BlameLine() {}

    /** The line for {@code s}, or null when it has no chain. */
    static String of(RunResult.Section s) {
        if (s.blame().isEmpty()) return null;
        StringBuilder b = new StringBuilder()
            .append("cpu").append(s.cpu()).append(' ').append(s.task()).append(' ')
            .append(time(s.durationNs())).append(" in csd_lock_wait");
        for (RunResult.BlameHop h : s.blame()) {
            b.append(" <- cpu").append(h.cpu()).append(" acked last");
            if (h.what().equals("acked")) continue;
            String where = h.path().isEmpty() ? "" : h.path().get(h.path().size() - 1);
            b.append(": ").append(switch (h.what()) {
                case "csd_lock_wait" -> "pinned";
                case "smi" -> "in an SMI"; // not even IRQs off: the CPU did not run
                case "steal" -> "host-preempted (steal)"; // nor here: the host ran something else on its pCPU
                case "hardirq" -> "in hard-IRQ " + where;
                default -> "IRQs off";
            });
            b.append(' ').append(time(h.durationNs()));
            if (!where.isEmpty() && !h.what().equals("hardirq")) b.append(" in ").append(where);
            b.append(switch (h.what()) {
                case "host" -> " (host)";
                case "context-switch" -> " (context switch)";
                default -> "";
            });
            b.append(" from ").append(time(h.sinceNs()));
        }
        return b.toString();
    }
}
