package smpemu.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A real machine's CPUs as {@code topology.import} described them: for every CPU number (the
 * machine's own, holes included) its socket, die, core and NUMA node, whether it is online, and
 * the NUMA distances (ACPI SLIT, 10 = local) when the description has them. Socket, die and node
 * are the machine's ids; {@code core} is the core's index over the machine, numbered in the order
 * of each core's lowest CPU (lscpu's logical core number). A CPU the description lists without
 * a place (an offline CPU whose sysfs topology is gone, or a hole in the numbering) has socket,
 * die, core and node -1.
 *
 * <p>The model works on dense indices (socket 0..S-1, node 0..N-1, in ascending id order); a CPU
 * without a place counts as socket 0 and node 0 there, on a core of its own.
 */
public final class MachineTopology {
    public static final int UNKNOWN = -1;

    private final String source;
    private final int[] socket, die, core, node;
    private final boolean[] online;
    private final int[] socketIndex, nodeIndex, coreIndex;
    private final int[] socketIds, nodeIds;
    /** Dense node x node distances; null when the description has none. */
    private final int[][] distance;

    private MachineTopology(String source, int[] socket, int[] die, int[] core, int[] node, boolean[] online,
                            int[] nodeIds, int[][] distance) {
        this.source = source;
        this.socket = socket;
        this.die = die;
        this.core = core;
        this.node = node;
        this.online = online;
        this.socketIds = distinct(socket);
        this.nodeIds = nodeIds;
        this.distance = distance;
        int n = socket.length;
        this.socketIndex = new int[n];
        this.nodeIndex = new int[n];
        this.coreIndex = new int[n];
        int cores = Arrays.stream(core).max().orElse(-1) + 1;
        for (int c = 0; c < n; c++) {
            socketIndex[c] = Math.max(0, Arrays.binarySearch(socketIds, socket[c]));
            nodeIndex[c] = Math.max(0, Arrays.binarySearch(nodeIds, node[c]));
            coreIndex[c] = core[c] >= 0 ? core[c] : cores++;
        }
    }

    public String source() { return source; }

    /** CPU numbers 0..cpus()-1: the highest CPU the description names, plus one. */
    public int cpus() { return socket.length; }

    public int socket(int cpu) { return socket[cpu]; }

    public int die(int cpu) { return die[cpu]; }

    public int core(int cpu) { return core[cpu]; }

    public int node(int cpu) { return node[cpu]; }

    public boolean online(int cpu) { return online[cpu]; }

    /** The model's dense socket index (0..sockets()-1). */
    public int socketIndex(int cpu) { return socketIndex[cpu]; }

    /** A core index unique over the machine, CPUs without a place included. */
    public int coreIndex(int cpu) { return coreIndex[cpu]; }

    public int nodeIndex(int cpu) { return nodeIndex[cpu]; }

    public int sockets() { return Math.max(1, socketIds.length); }

    /** Dies: distinct (socket, die) pairs; a description without dies has one per socket. */
    public int dies() {
        TreeSet<Long> d = new TreeSet<>();
        for (int c = 0; c < cpus(); c++) if (socket[c] >= 0) d.add(((long) socket[c] << 32) | (die[c] & 0xffffffffL));
        return Math.max(1, d.size());
    }

    public int cores() { return (int) Arrays.stream(core).filter(x -> x >= 0).distinct().count(); }

    /** The largest number of CPUs on one core. */
    public int threadsPerCore() {
        Map<Integer, Integer> n = new HashMap<>();
        for (int c : core) if (c >= 0) n.merge(c, 1, Integer::sum);
        return n.values().stream().mapToInt(Integer::intValue).max().orElse(1);
    }

    /** NUMA node ids, ascending (nodes of the distance table without CPUs included). */
    public int[] nodeIds() { return nodeIds.clone(); }

    public int[] socketIds() { return socketIds.clone(); }

    public boolean hasDistances() { return distance != null; }

    /** Distance between dense node indices; 10 for a node to itself when unknown. */
    public int distance(int fromIndex, int toIndex) {
        if (distance != null) return distance[fromIndex][toIndex];
        return fromIndex == toIndex ? 10 : 20;
    }

    /** The CPUs on {@code cpu}'s core, itself included, ascending. */
    public int[] siblings(int cpu) {
        if (core[cpu] < 0) return new int[] {cpu};
        List<Integer> s = new ArrayList<>();
        for (int c = 0; c < cpus(); c++) if (core[c] == core[cpu]) s.add(c);
        return s.stream().mapToInt(Integer::intValue).toArray();
    }

    public int onlineCount() {
        int n = 0;
        for (boolean o : online) if (o) n++;
        return n;
    }

    private static int[] distinct(int[] ids) {
        return Arrays.stream(ids).filter(x -> x >= 0).distinct().sorted().toArray();
    }

    /** Collects what a parser read; {@link #build} checks it and numbers the cores. */
    static final class Builder {
        private static final int MAX_CPUS = 65536;
        private final String source;
        private final Map<Integer, Object[]> cpus = new HashMap<>();
        private int[] distanceNodes;
        private int[][] distances;

        Builder(String source) { this.source = source; }

        /**
         * A CPU with its place; {@code coreKey} identifies its core among all cores of the
         * machine (e.g. "package/die/core_id"), null for a CPU without a place.
         */
        void cpu(int cpu, int socket, int die, String coreKey, int node, boolean online) throws ConfigReader.Invalid {
            if (cpu < 0 || cpu >= MAX_CPUS) throw new ConfigReader.Invalid("CPU " + cpu + " is out of range (0.." + (MAX_CPUS - 1) + ")");
            if (cpus.put(cpu, new Object[] {socket, die, coreKey, node, online}) != null) {
                throw new ConfigReader.Invalid("CPU " + cpu + " is described twice");
            }
        }

        /** A CPU the machine has but does not place (offline, its topology gone). */
        void offline(int cpu) throws ConfigReader.Invalid { cpu(cpu, UNKNOWN, UNKNOWN, null, UNKNOWN, false); }

        boolean has(int cpu) { return cpus.containsKey(cpu); }

        /** The SLIT: {@code d[i][j]} from node {@code nodes[i]} to node {@code nodes[j]}. */
        void distances(int[] nodes, int[][] d) {
            this.distanceNodes = nodes;
            this.distances = d;
        }

        MachineTopology build() throws ConfigReader.Invalid {
            if (cpus.isEmpty()) throw new ConfigReader.Invalid("describes no CPU");
            int n = cpus.keySet().stream().mapToInt(Integer::intValue).max().getAsInt() + 1;
            int[] socket = new int[n], die = new int[n], core = new int[n], node = new int[n];
            boolean[] online = new boolean[n];
            Map<String, Integer> coreIds = new HashMap<>();
            for (int c = 0; c < n; c++) {
                Object[] e = cpus.get(c);
                String key = e == null ? null : (String) e[2];
                socket[c] = e == null || key == null ? UNKNOWN : (Integer) e[0];
                die[c] = e == null || key == null ? UNKNOWN : (Integer) e[1];
                node[c] = e == null || key == null ? UNKNOWN : (Integer) e[3];
                online[c] = e != null && (Boolean) e[4];
                core[c] = key == null ? UNKNOWN : coreIds.computeIfAbsent(key, k -> coreIds.size());
                if (online[c] && key == null) throw new ConfigReader.Invalid("CPU " + c + " is online but has no place");
            }
            if (!online[0]) throw new ConfigReader.Invalid("CPU 0 is offline; smpemu needs the boot CPU online");
            int[] cpuNodes = distinct(node);
            int[] nodeIds = cpuNodes.length == 0 ? new int[] {0} : cpuNodes;
            int[][] dense = null;
            if (distances != null) {
                nodeIds = distanceNodes.clone();
                Arrays.sort(nodeIds);
                for (int id : cpuNodes) {
                    if (Arrays.binarySearch(nodeIds, id) < 0) {
                        throw new ConfigReader.Invalid("NUMA node " + id + " has CPUs but no row in the distance table");
                    }
                }
                dense = new int[nodeIds.length][nodeIds.length];
                for (int i = 0; i < distanceNodes.length; i++) {
                    for (int j = 0; j < distanceNodes.length; j++) {
                        int d = distances[i][j];
                        if (d <= 0) {
                            throw new ConfigReader.Invalid("distance from node " + distanceNodes[i] + " to node "
                                + distanceNodes[j] + " is " + d + " (must be > 0)");
                        }
                        dense[Arrays.binarySearch(nodeIds, distanceNodes[i])][Arrays.binarySearch(nodeIds, distanceNodes[j])] = d;
                    }
                }
            }
            return new MachineTopology(source, socket, die, core, node, online, nodeIds, dense);
        }
    }
}
