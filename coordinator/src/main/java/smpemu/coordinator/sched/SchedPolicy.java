package smpemu.coordinator.sched;

import java.util.Arrays;
import smpemu.config.Policy;
import smpemu.node.model.Workload;
import smpemu.protocol.CpuSnapshot;

/**
 * The global scheduling decisions, pure and deterministic, taken by both engines at the same
 * simulated instants from the same CPU snapshots: initial placement by affinity, pushing a
 * waiting RT task to a CPU running lower priority, and periodic load balancing of SCHED_OTHER
 * tasks. Decisions are (task, destination) moves; the CPUs carry them out if still possible.
 */
public final class SchedPolicy {
    private final Workload w;
    private final int cpus;
    /** Where each task was seen queued at the previous instant (-1: not queued). */
    private int[] queuedOn;

    public SchedPolicy(Workload w, int cpus) {
        this.w = w;
        this.cpus = cpus;
        this.queuedOn = new int[w.taskCount()];
        Arrays.fill(queuedOn, -1);
    }

    /** Instance i of a task family starts on the i-th allowed CPU (round robin). */
    public int initialCpu(int task) {
        int[] aff = w.affinity(task);
        return aff[w.instanceIndex(task) % aff.length];
    }

    /** Moves as flat pairs (task, destination CPU); {@code snaps} indexed by CPU. */
    public int[] balance(CpuSnapshot[] snaps) {
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, cpus);
        return balance(snaps, all);
    }

    /** As {@link #balance(CpuSnapshot[])}, never moving a task to a CPU outside {@code online}. */
    public int[] balance(CpuSnapshot[] snaps, java.util.BitSet online) {
        int[] top = new int[cpus];   // highest priority present on the CPU (-1 idle)
        int[] nr = new int[cpus];    // runnable tasks (running + queued)
        for (CpuSnapshot s : snaps) {
            int c = s.cpu();
            top[c] = s.current() < 0 ? -1 : w.priority(s.current());
            if (s.queued().length > 0) top[c] = Math.max(top[c], w.priority(s.queued()[0]));
            nr[c] = (s.current() < 0 ? 0 : 1) + s.queued().length;
        }
        Moves moves = new Moves();
        for (int c = 0; c < cpus; c++) {
            if (!online.get(c)) { // an offline CPU looks full: nothing goes there
                top[c] = Integer.MAX_VALUE;
                nr[c] = Integer.MAX_VALUE / 2;
            }
        }
        pushRt(snaps, top, nr, moves);
        balanceOther(snaps, nr, moves);
        int[] seen = new int[queuedOn.length];
        Arrays.fill(seen, -1);
        for (CpuSnapshot s : snaps) for (int t : s.queued()) seen[t] = s.cpu();
        queuedOn = seen;
        return moves.toArray();
    }

    /**
     * push_rt_task(): a queued RT task that waits behind an RT task of equal or higher priority
     * goes to the allowed CPU whose highest priority is lowest (and below its own).
     */
    private void pushRt(CpuSnapshot[] snaps, int[] top, int[] nr, Moves moves) {
        for (CpuSnapshot s : snaps) {
            if (s.current() < 0 || !w.policy(s.current()).isRealTime()) continue;
            int curPrio = w.priority(s.current());
            for (int t : s.queued()) {
                if (!w.policy(t).isRealTime() || w.priority(t) > curPrio) continue;
                int best = -1;
                for (int d : w.affinity(t)) {
                    if (d == s.cpu() || top[d] >= w.priority(t)) continue;
                    if (best < 0 || top[d] < top[best]) best = d;
                }
                if (best >= 0) {
                    moves.add(t, best);
                    top[best] = w.priority(t);
                    nr[best]++;
                    nr[s.cpu()]--;
                }
            }
        }
    }

    /**
     * A stand-in for CFS load balancing: while some CPU has at least two more runnable tasks
     * than an allowed idler one, move there a queued SCHED_OTHER task that has been waiting on
     * it since the previous instant (load averages, not momentary queue lengths, drive the
     * kernel's balancer; this keeps short wake-up bursts from bouncing tasks around).
     */
    private void balanceOther(CpuSnapshot[] snaps, int[] nr, Moves moves) {
        int minNr = Integer.MAX_VALUE;
        for (int v : nr) minNr = Math.min(minNr, v);
        // The idlest CPUs, scanned first: with wide affinities the best destination is among them.
        int[] idlest = new int[cpus];
        int idle = 0;
        for (int c = 0; c < cpus; c++) if (nr[c] == minNr) idlest[idle++] = c;
        // idlest[0, from) have left minNr, for good: a CPU only gains tasks until it has two
        // more than minNr, and one that gives tasks away keeps at least minNr + 1. Skipping them
        // once, not per task, keeps an instant linear in the CPUs (it was quadratic at 4,096).
        int from = 0;
        for (CpuSnapshot s : snaps) {
            int c = s.cpu();
            for (int t : s.queued()) {
                if (nr[c] < minNr + 2) break;
                if (w.policy(t) != Policy.OTHER || queuedOn[t] != c || moves.contains(t)) continue;
                int best = -1;
                while (from < idle && nr[idlest[from]] != minNr) from++;
                for (int i = from; i < idle && best < 0; i++) {
                    int d = idlest[i];
                    if (nr[d] == minNr && d != c && w.allowed(t, d)) best = d;
                }
                if (best < 0) {
                    for (int d : w.affinity(t)) {
                        if (d != c && nr[d] + 1 < nr[c] && (best < 0 || nr[d] < nr[best])) best = d;
                    }
                }
                if (best >= 0 && nr[best] + 1 < nr[c]) {
                    moves.add(t, best);
                    nr[best]++;
                    nr[c]--;
                }
            }
        }
    }

    /** Flat (task, cpu) pairs, and which tasks have one (a lookup, not a scan of the moves so far). */
    private static final class Moves {
        private int[] a = new int[16];
        private int n;
        private final java.util.BitSet moved = new java.util.BitSet();

        void add(int task, int cpu) {
            if (n + 2 > a.length) a = Arrays.copyOf(a, a.length * 2);
            a[n++] = task;
            a[n++] = cpu;
            moved.set(task);
        }

        boolean contains(int task) { return moved.get(task); }

        int[] toArray() { return Arrays.copyOf(a, n); }
    }
}
