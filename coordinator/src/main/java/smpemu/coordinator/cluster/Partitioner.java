package smpemu.coordinator.cluster;

import java.util.List;
import smpemu.config.TopologySettings;

/**
 * Which node hosts which simulated CPU. {@code socket}: whole sockets stay on one node when
 * there are at least as many sockets as nodes, else whole cores (SMT siblings together), in
 * contiguous blocks of balanced size: cross-node traffic is then mostly cross-socket traffic.
 * {@code round-robin}: CPU c on node c mod N, which maximises cross-node traffic (a stress test).
 * The partition never changes the result: only where each CPU's events are computed.
 */
public final class Partitioner {
    private Partitioner() {}

    public static final List<String> KINDS = List.of("socket", "round-robin");

    public static int[] partition(TopologySettings topo, int nodes, String kind) {
        int n = topo.cpus();
        int[] nodeOf = new int[n];
        if (kind.equals("round-robin")) {
            for (int c = 0; c < n; c++) nodeOf[c] = c % nodes;
            return nodeOf;
        }
        if (!kind.equals("socket")) throw new IllegalArgumentException("unknown partitioner " + kind);
        if (topo.machine() != null) return byPlace(topo, nodes, nodeOf);
        int unit = topo.sockets() >= nodes ? topo.cpusPerSocket()
            : n / topo.threadsPerCore() >= nodes ? topo.threadsPerCore() : 1;
        int units = n / unit;
        for (int c = 0; c < n; c++) nodeOf[c] = (int) ((long) (c / unit) * nodes / units);
        return nodeOf;
    }

    /**
     * An imported machine numbers its CPUs its own way (siblings far apart, sockets interleaved):
     * whole sockets, or else whole cores, by their index rather than by contiguous CPU blocks.
     */
    private static int[] byPlace(TopologySettings topo, int nodes, int[] nodeOf) {
        boolean sockets = topo.sockets() >= nodes;
        int units = 0;
        for (int c = 0; c < nodeOf.length; c++) units = Math.max(units, 1 + (sockets ? topo.socketOf(c) : topo.coreOf(c)));
        for (int c = 0; c < nodeOf.length; c++) {
            int unit = sockets ? topo.socketOf(c) : topo.coreOf(c);
            nodeOf[c] = (int) ((long) unit * nodes / units);
        }
        return nodeOf;
    }

    /** "0-5,12,14-15": a node's CPUs for the result and the logs. */
    public static String ranges(int[] nodeOf, int node) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < nodeOf.length; c++) {
            if (nodeOf[c] != node) continue;
            int e = c;
            while (e + 1 < nodeOf.length && nodeOf[e + 1] == node) e++;
            if (b.length() > 0) b.append(',');
            b.append(c);
            if (e > c) b.append('-').append(e);
            c = e;
        }
        return b.toString();
    }
}
