package smpemu.config;

/**
 * The simulated machine: {@code cpus} logical CPUs in {@code sockets} equal sockets, each core
 * with {@code threadsPerCore} SMT threads. CPU numbering: socket-major, then core, then thread.
 * {@code ipiMatrix} is an optional sockets x sockets matrix of IPI delivery latencies (ns) that
 * overrides the same/cross-socket values; null when not given.
 *
 * <p>With {@code topology.import}, {@code machine} is the real machine's description: sockets,
 * cores and NUMA nodes come from it, in its own CPU numbering, and {@code sockets} /
 * {@code threadsPerCore} are its socket count and largest core. Null otherwise.
 */
public record TopologySettings(int cpus, int sockets, int threadsPerCore, long ipiSmtNs,
                               long ipiSameSocketNs, long ipiCrossSocketNs, long[][] ipiMatrix,
                               MachineTopology machine) {

    /** A generated (socket-major) machine. */
    public TopologySettings(int cpus, int sockets, int threadsPerCore, long ipiSmtNs,
                            long ipiSameSocketNs, long ipiCrossSocketNs, long[][] ipiMatrix) {
        this(cpus, sockets, threadsPerCore, ipiSmtNs, ipiSameSocketNs, ipiCrossSocketNs, ipiMatrix, null);
    }

    public int cpusPerSocket() { return cpus / sockets; }

    public int socketOf(int cpu) { return machine == null ? cpu / cpusPerSocket() : machine.socketIndex(cpu); }

    public int coreOf(int cpu) { return machine == null ? cpu / threadsPerCore : machine.coreIndex(cpu); }

    /**
     * One-way IPI (and remote wake-up) delivery latency from {@code src} to {@code dst}. On an
     * imported machine with NUMA distances, two CPUs on different nodes are
     * {@code ipi-same-socket * distance(src node, dst node) / distance(src node, src node)} apart
     * (SLIT 21 between nodes, 10 local: 2.1 x); otherwise SMT sibling, same socket and other
     * socket give the three configured values.
     */
    public long ipiLatency(int src, int dst) {
        int s = socketOf(src), d = socketOf(dst);
        if (ipiMatrix != null) return ipiMatrix[s][d];
        if (machine != null) return importedLatency(src, dst, s, d);
        if (s != d) return ipiCrossSocketNs;
        if (threadsPerCore > 1 && coreOf(src) == coreOf(dst)) return ipiSmtNs;
        return ipiSameSocketNs;
    }

    private long importedLatency(int src, int dst, int s, int d) {
        int a = machine.nodeIndex(src), b = machine.nodeIndex(dst);
        if (a != b && machine.hasDistances()) return numaLatency(a, b);
        if (s != d) return ipiCrossSocketNs;
        if (src != dst && machine.coreIndex(src) == machine.coreIndex(dst)) return ipiSmtNs;
        return ipiSameSocketNs;
    }

    /** The latency between CPUs of two NUMA nodes (dense indices) by their distance. */
    public long numaLatency(int fromNode, int toNode) {
        return Math.max(1, Math.round((double) ipiSameSocketNs * machine.distance(fromNode, toNode)
            / machine.distance(fromNode, fromNode)));
    }

    /** The smallest latency any cross-CPU message can have: the lookahead of the windows. */
    public long minLatency() {
        long m = Long.MAX_VALUE;
        if (ipiMatrix != null) {
            for (long[] row : ipiMatrix) for (long v : row) m = Math.min(m, v);
            return m;
        }
        if (machine != null) return importedMinLatency();
        m = ipiSameSocketNs;
        if (sockets > 1) m = Math.min(m, ipiCrossSocketNs);
        if (threadsPerCore > 1) m = Math.min(m, ipiSmtNs);
        return m;
    }

    /**
     * Over the kinds of CPU pairs the imported machine has: one CPU per (node, socket, core) is
     * enough to see them all, so this is linear in the CPUs, not quadratic.
     */
    private long importedMinLatency() {
        java.util.Map<Long, Integer> firstOfCore = new java.util.LinkedHashMap<>();
        long m = Long.MAX_VALUE;
        int n = cpus;
        for (int c = 0; c < n; c++) {
            if (firstOfCore.putIfAbsent((long) machine.coreIndex(c), c) != null) m = Math.min(m, ipiSmtNs);
        }
        int[] reps = firstOfCore.values().stream().mapToInt(Integer::intValue).toArray();
        // Pairs of cores, classed by (node a, node b, same socket): the classes are few.
        java.util.Map<Long, Integer> byClass = new java.util.LinkedHashMap<>();
        for (int c : reps) byClass.merge(((long) machine.nodeIndex(c) << 32) | socketOf(c), 1, Integer::sum);
        java.util.List<Long> keys = new java.util.ArrayList<>(byClass.keySet());
        for (int i = 0; i < keys.size(); i++) {
            for (int j = i; j < keys.size(); j++) {
                long ki = keys.get(i), kj = keys.get(j);
                if (i == j && byClass.get(ki) < 2) continue; // needs two cores of that class
                int ni = (int) (ki >>> 32), nj = (int) (kj >>> 32), si = (int) ki, sj = (int) kj;
                long lat;
                if (ni != nj && machine.hasDistances()) lat = Math.min(numaLatency(ni, nj), numaLatency(nj, ni));
                else lat = si != sj ? ipiCrossSocketNs : ipiSameSocketNs;
                m = Math.min(m, lat);
            }
        }
        return m == Long.MAX_VALUE ? ipiSameSocketNs : m; // a lone CPU sends to nobody
    }
}
