package smpemu.config;

/**
 * The simulated machine: {@code cpus} logical CPUs in {@code sockets} equal sockets, each core
 * with {@code threadsPerCore} SMT threads. CPU numbering: socket-major, then core, then thread.
 * {@code ipiMatrix} is an optional sockets x sockets matrix of IPI delivery latencies (ns) that
 * overrides the same/cross-socket values; null when not given.
 */
public record TopologySettings(int cpus, int sockets, int threadsPerCore, long ipiSmtNs,
                               long ipiSameSocketNs, long ipiCrossSocketNs, long[][] ipiMatrix) {

    public int cpusPerSocket() { return cpus / sockets; }

    public int socketOf(int cpu) { return cpu / cpusPerSocket(); }

    public int coreOf(int cpu) { return cpu / threadsPerCore; }

    /** One-way IPI (and remote wake-up) delivery latency from {@code src} to {@code dst}. */
    public long ipiLatency(int src, int dst) {
        int s = socketOf(src), d = socketOf(dst);
        if (ipiMatrix != null) return ipiMatrix[s][d];
        if (s != d) return ipiCrossSocketNs;
        if (threadsPerCore > 1 && coreOf(src) == coreOf(dst)) return ipiSmtNs;
        return ipiSameSocketNs;
    }

    /** The smallest latency any cross-CPU message can have: the lookahead of the windows. */
    public long minLatency() {
        long m = Long.MAX_VALUE;
        if (ipiMatrix != null) {
            for (long[] row : ipiMatrix) for (long v : row) m = Math.min(m, v);
            return m;
        }
        m = ipiSameSocketNs;
        if (sockets > 1) m = Math.min(m, ipiCrossSocketNs);
        if (threadsPerCore > 1) m = Math.min(m, ipiSmtNs);
        return m;
    }
}
