package smpemu.node.engine;

/**
 * The CPUs of an in-order loop by their next event time, ties to the lower CPU
 * ({@link EarliestFirst}): the earliest, and the earliest of the others.
 */
public interface CpuOrder {
    /** The earliest CPU. */
    int min();

    /** The earliest key; MAX_VALUE without CPUs. */
    long minTime();

    /** The earliest key of any CPU but {@code cpu}. */
    long minTimeExcept(int cpu);

    void update(int cpu, long time);

    /** Sets every CPU's key at once ({@code keys[cpu]}). */
    void rebuild(long[] keys);

    /**
     * A scan up to 16 CPUs, a heap above: on dpdk-16 (16 CPUs, 1.3 events per run of a CPU)
     * the scan's one pass per run is about 6% faster overall than a sift with its mispredicted
     * branches; at 32 CPUs (torture) the heap is as fast or faster.
     */
    static CpuOrder of(int n) { return n <= 16 ? new CpuScan(n) : new CpuHeap(n); }
}
