package smpemu.node.model;

import java.util.BitSet;
import smpemu.config.Op.FlushKind;
import smpemu.config.SimSettings;

/**
 * Which shared TLB state anyone reads (docs/kernel-model.md#tlb-state), fixed for a run, so that
 * only those stores travel: the tracked mms (those a flush can target: a task of the mm flushes
 * it, or the reclaim batch unmaps it), the CPUs that can hold a tracked mm (their switches are
 * published), and the CPUs a flusher can run on (they receive them). With CPU hotplug a task may
 * be moved off its affinity, so every CPU counts.
 */
public final class TlbScope {
    private final boolean[] tracked;
    /** Per mm: its index among the tracked mms (-1: untracked). */
    private final int[] index;
    private final int trackedCount;
    private final BitSet holders = new BitSet();
    private final BitSet readers = new BitSet();
    /** The readers in CPU order, for a publisher's loop. */
    private final int[] readerList;
    /** Per tracked mm: the CPUs its tasks may run on (they receive its tlb_gen). */
    private final BitSet[] mmHolders;

    TlbScope(Workload w, SimSettings s) {
        int mms = w.mmCount();
        tracked = new boolean[mms];
        mmHolders = new BitSet[mms];
        boolean reclaim = false;
        boolean userFlush = false;
        for (int t = 0; t < w.taskCount(); t++) {
            for (XCallSpec x : w.program(t).xcall) {
                if (x == null || !x.isFlush()) continue;
                if (x.flush() == FlushKind.RECLAIM) reclaim = true;
                if (x.flush() != FlushKind.RECLAIM && x.flush() != FlushKind.VMALLOC_PURGE && w.mm(t) >= 0) {
                    tracked[w.mm(t)] = true;
                    userFlush = true;
                }
                if (x.flush() != FlushKind.VMALLOC_PURGE) cpus(w, t, readers);
            }
        }
        // The reclaim pass unmaps the mms that churn memory (those that flush themselves), or
        // every user mm when none does.
        if (reclaim && !userFlush) java.util.Arrays.fill(tracked, true);
        index = new int[mms];
        int k = 0;
        for (int m = 0; m < mms; m++) index[m] = tracked[m] ? k++ : -1;
        trackedCount = k;
        boolean hotplug = !s.hotplug().isEmpty() || s.torture().onoffIntervalNs() > 0;
        int n = s.topology().cpus();
        for (int m = 0; m < mms; m++) mmHolders[m] = new BitSet();
        for (int t = 0; t < w.taskCount(); t++) {
            int m = w.mm(t);
            if (m >= 0 && tracked[m]) cpus(w, t, mmHolders[m]);
        }
        for (int m = 0; m < mms; m++) {
            if (hotplug && tracked[m]) mmHolders[m].set(0, n);
            holders.or(mmHolders[m]);
        }
        if (hotplug && !readers.isEmpty()) readers.set(0, n);
        readerList = readers.stream().toArray();
    }

    private static void cpus(Workload w, int task, BitSet into) {
        for (int c : w.affinity(task)) into.set(c);
    }

    /** Whether anything is published at all. */
    boolean any() { return !readers.isEmpty() && !holders.isEmpty(); }

    boolean tracked(int mm) { return mm >= 0 && tracked[mm]; }

    /** The mm's index among the tracked ones (-1: untracked, or no mm). */
    int index(int mm) { return mm < 0 ? -1 : index[mm]; }

    int trackedCount() { return trackedCount; }

    /** Whether this CPU can hold a tracked mm: its switches are published, and count as sends (lookahead). */
    public boolean holder(int cpu) { return any() && holders.get(cpu); }

    /** Whether a flusher can run on this CPU: it receives the others' switches. */
    boolean reader(int cpu) { return readers.get(cpu); }

    /** Every CPU a flusher can run on, in CPU order. */
    int[] readers() { return readerList; }

    /** Whether this CPU can hold tracked mm {@code mm}: it receives its tlb_gen. */
    boolean mmHolder(int mm, int cpu) { return mmHolders[mm].get(cpu); }
}
