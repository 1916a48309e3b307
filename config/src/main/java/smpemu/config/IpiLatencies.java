package smpemu.config;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link TopologySettings#ipiLatency} as a table, for the model's every send: each CPU's latency
 * group (its socket, or its NUMA node and socket on an imported machine) and core, and the
 * latency between two groups. Two CPUs of one group are SMT siblings or not; nothing else tells
 * two CPUs apart, so the table gives the same value for every pair without a division or a branch
 * on the machine's kind.
 */
public final class IpiLatencies {
    private final int[] group;
    /** Per CPU: its core, when SMT siblings have a latency of their own (null: they have not). */
    private final int[] core;
    /** Whether a CPU counts as its own SMT sibling (a generated machine's rule). */
    private final boolean smtSelf;
    private final long smtNs;
    private final long[][] between;

    private IpiLatencies(int[] group, int[] core, boolean smtSelf, long smtNs, long[][] between) {
        this.group = group;
        this.core = core;
        this.smtSelf = smtSelf;
        this.smtNs = smtNs;
        this.between = between;
    }

    public static IpiLatencies of(TopologySettings t) {
        int n = t.cpus();
        int[] group = new int[n];
        Map<Long, Integer> dense = new HashMap<>();
        int[] nodeOf = new int[n];
        for (int c = 0; c < n; c++) {
            int node = t.machine() == null ? 0 : t.machine().nodeIndex(c);
            nodeOf[c] = node;
            long k = ((long) node << 32) | t.socketOf(c);
            group[c] = dense.computeIfAbsent(k, x -> dense.size());
        }
        int g = dense.size();
        int[] rep = new int[g];
        for (int c = n - 1; c >= 0; c--) rep[group[c]] = c;
        long[][] between = new long[g][g];
        for (int a = 0; a < g; a++) {
            for (int b = 0; b < g; b++) between[a][b] = groupLatency(t, rep[a], rep[b], nodeOf);
        }
        boolean smt = t.ipiMatrix() == null && (t.machine() != null || t.threadsPerCore() > 1);
        int[] core = null;
        if (smt) {
            core = new int[n];
            for (int c = 0; c < n; c++) core[c] = t.coreOf(c);
        }
        return new IpiLatencies(group, core, t.machine() == null, t.ipiSmtNs(), between);
    }

    /** The latency between two CPUs of these groups that are not SMT siblings. */
    private static long groupLatency(TopologySettings t, int a, int b, int[] nodeOf) {
        int sa = t.socketOf(a), sb = t.socketOf(b);
        if (t.ipiMatrix() != null) return t.ipiMatrix()[sa][sb];
        if (t.machine() != null && nodeOf[a] != nodeOf[b] && t.machine().hasDistances()) {
            return t.numaLatency(nodeOf[a], nodeOf[b]);
        }
        return sa != sb ? t.ipiCrossSocketNs() : t.ipiSameSocketNs();
    }

    /** One-way IPI latency from {@code src} to {@code dst} ({@link TopologySettings#ipiLatency}). */
    public long latency(int src, int dst) {
        int a = group[src], b = group[dst];
        if (core != null && a == b && core[src] == core[dst] && (src != dst || smtSelf)) return smtNs;
        return between[a][b];
    }
}
