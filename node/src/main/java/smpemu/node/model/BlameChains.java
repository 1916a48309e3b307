package smpemu.node.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The cross-CPU cause of a section that ended in csd_lock_wait(), joined after the run from the
 * per-CPU records {@link BlameRecorder} kept: which target's acknowledgement ended the wait (the
 * last unlock to arrive), what that target was doing from the CSD's arrival until it ran the
 * callback, and, when that was a pinned csd_lock_wait() of its own, the same for that wait, up
 * to {@link #MAX_DEPTH} hops. Only per-CPU records are read, so the chain is the same on every
 * engine.
 */
public final class BlameChains {
    public static final int MAX_DEPTH = 4;

    /**
     * One hop: CPU {@code cpu} held the acknowledgement back because of {@code what} (irqs-off,
     * hardirq (a device handler), host (the old vcpu-preempted handler form), steal (preempted by
     * the host, smpemu.host), smi, context-switch, csd_lock_wait; "acked" when no cause was recorded: the CSD
     * was served at once, or its delay was not among the CPU's longest), on call path
     * {@code path} (-1: none) from {@code sinceNs} for {@code durationNs}, until the callback ran.
     */
    public record Hop(int cpu, String what, int path, long sinceNs, long durationNs) {}

    private final CpuStats[] byCpu;
    private final Workload w;

    /** {@code cpus}: every CPU's stats, in any order (a cluster's come back in chunks). */
    public BlameChains(List<CpuStats> cpus, Workload w) {
        int n = 0;
        for (CpuStats c : cpus) n = Math.max(n, c.cpu + 1);
        byCpu = new CpuStats[n];
        for (CpuStats c : cpus) byCpu[c.cpu] = c;
        this.w = w;
    }

    /** The chain behind the section of {@code task} on {@code cpu} from {@code start} to {@code end}; empty when none. */
    public List<Hop> of(int cpu, long start, long end, int task) {
        List<Hop> hops = new ArrayList<>();
        long[] wait = waitIn(cpu, task, start, end);
        while (wait != null && hops.size() < MAX_DEPTH) {
            int target = (int) wait[5];
            if (target < 0 || target >= byCpu.length || byCpu[target] == null) break;
            long[] csd = served(target, cpu, task, wait[2], wait[4]);
            if (csd == null) {
                hops.add(new Hop(target, "acked", -1, -1, 0));
                break;
            }
            int cause = (int) csd[5];
            long since = csd[6], taken = csd[4];
            if (cause != BlameRecorder.CAUSE_WAIT) {
                hops.add(new Hop(target, what(target, cause, (int) csd[7]), cause == BlameRecorder.CAUSE_NONE || cause == BlameRecorder.CAUSE_STEAL ? -1 : (int) csd[7],
                    since, taken - since));
                break;
            }
            cpu = target;
            task = (int) csd[7];
            wait = waitIn(cpu, task, since, Long.MAX_VALUE);
            hops.add(new Hop(cpu, "csd_lock_wait", wait == null ? -1 : (int) wait[6], since, taken - since));
        }
        return hops;
    }

    /** The pinned wait of {@code task} on {@code cpu} that ran within [start, end]. */
    private long[] waitIn(int cpu, int task, long start, long end) {
        CpuStats c = byCpu[cpu];
        for (int i = 0; i < c.blameWaitCount; i++) {
            int at = i * CpuStats.WAIT_ROW;
            long[] r = c.blameWaits;
            if (r[at + 1] == task && r[at + 3] >= start && r[at + 4] <= end) {
                return java.util.Arrays.copyOfRange(r, at, at + CpuStats.WAIT_ROW);
            }
        }
        return null;
    }

    /** The CSD of {@code task} from {@code src} that reached {@code cpu} within [callStart, waitEnd]. */
    private long[] served(int cpu, int src, int task, long callStart, long waitEnd) {
        CpuStats c = byCpu[cpu];
        for (int i = 0; i < c.blameCsdCount; i++) {
            int at = i * CpuStats.CSD_ROW;
            long[] r = c.blameCsds;
            if (r[at + 1] == src && r[at + 2] == task && r[at + 3] >= callStart && r[at + 3] <= waitEnd) {
                return java.util.Arrays.copyOfRange(r, at, at + CpuStats.CSD_ROW);
            }
        }
        return null;
    }

    private String what(int cpu, int cause, int path) {
        return switch (cause) {
            case BlameRecorder.CAUSE_IRQS_OFF -> "irqs-off";
            case BlameRecorder.CAUSE_SWITCH -> "context-switch";
            case BlameRecorder.CAUSE_SMI -> "smi";
            case BlameRecorder.CAUSE_STEAL -> "steal";
            case BlameRecorder.CAUSE_HARDIRQ -> host(cpu, path) ? "host" : "hardirq";
            default -> "acked";
        };
    }

    /** Whether the handler on {@code path} is the host preempting this vCPU (a vcpu-preempted source). */
    private boolean host(int cpu, int path) {
        for (Workload.IrqSource s : w.irqs(cpu)) if (s.pathId() == path && s.spec().vcpuPreempted()) return true;
        return false;
    }
}
