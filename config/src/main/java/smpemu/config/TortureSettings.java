package smpemu.config;

/**
 * scftorture's module parameters (docs/kernel-model.md#scftorture-parameters), under their kernel names with '-' for
 * '_'. Weights as given (-1 = default); {@link #resolvedWeights(int)} applies the kernel's rules.
 * {@code shutdown_secs} is the run's duration; {@code shutdown} (power off at the end) and
 * {@code verbose} change only what is printed.
 */
public record TortureSettings(int nthreads, int[] weights, boolean useCpusReadLock, int longwait,
                              int stutterJiffies, long statIntervalNs, long onoffIntervalNs,
                              long onoffHoldoffNs, long holdoffNs, int verbose, boolean shutdown) {

    /** The primitives, in the kernel's selection order. */
    public enum Prim { RESCHED, SINGLE, SINGLE_RPC, SINGLE_WAIT, MANY, MANY_WAIT, ALL, ALL_WAIT }

    public static final String[] WEIGHT_KEYS = {"weight-resched", "weight-single", "weight-single-rpc",
        "weight-single-wait", "weight-many", "weight-many-wait", "weight-all", "weight-all-wait"};

    /**
     * All weights <= 0: the defaults (2 x CPUs for resched and the single kinds, 2 for many, 1
     * for all), except weights explicitly 0. Any weight positive: every -1 becomes 0.
     */
    public int[] resolvedWeights(int cpus) {
        boolean anyPositive = false;
        for (int w : weights) anyPositive |= w > 0;
        int[] r = new int[weights.length];
        int[] defaults = {2 * cpus, 2 * cpus, 2 * cpus, 2 * cpus, 2, 2, 1, 1};
        for (int i = 0; i < r.length; i++) {
            if (anyPositive) r[i] = Math.max(0, weights[i]);
            else r[i] = weights[i] == 0 ? 0 : defaults[i];
        }
        return r;
    }
}
