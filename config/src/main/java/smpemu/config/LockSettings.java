package smpemu.config;

import java.util.List;

/**
 * The named spinlocks of a run ({@code workload.locks}) and the cache-line transfer latencies
 * their handoffs take ({@code topology.latency.cache-line-*}, docs/costs.md#cache-line). A lock's
 * acquisition and release each cross from the CPU to the lock's home and back, one transfer per
 * leg (docs/kernel-model.md#qspinlock).
 */
public record LockSettings(List<LockSpec> locks, long lineSmtNs, long lineSameSocketNs, long lineCrossSocketNs) {

    /**
     * One transfer of a cache line between two CPUs: SMT siblings, the same socket, or two
     * sockets, by the topology's socket and core of each CPU (the IPI matrix and NUMA distances do
     * not scale it); 0 for a CPU to itself.
     */
    public long transferNs(TopologySettings t, int src, int dst) {
        if (src == dst) return 0;
        if (t.socketOf(src) != t.socketOf(dst)) return lineCrossSocketNs;
        return t.coreOf(src) == t.coreOf(dst) ? lineSmtNs : lineSameSocketNs;
    }

    /**
     * The shortest leg any lock message can take: between a lock's home and another CPU
     * (Long.MAX_VALUE when no lock is used, or the machine has one CPU).
     */
    public long minTransferNs(TopologySettings t, java.util.BitSet used) {
        long m = Long.MAX_VALUE;
        for (int l = used.nextSetBit(0); l >= 0; l = used.nextSetBit(l + 1)) {
            int home = locks.get(l).home();
            for (int c = 0; c < t.cpus(); c++) if (c != home) m = Math.min(m, transferNs(t, home, c));
        }
        return m;
    }

    /** The lock's index in {@link #locks()}, -1 when there is none of that name. */
    public int indexOf(String name) {
        for (int i = 0; i < locks.size(); i++) if (locks.get(i).name().equals(name)) return i;
        return -1;
    }
}
