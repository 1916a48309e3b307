package smpemu.config;

import java.util.List;

/**
 * A task family from workload.tasks: {@code count} instances named {@code name} (count 1) or
 * {@code name-0 .. name-(count-1)}. {@code affinity} lists the allowed CPUs (sorted, distinct);
 * {@code placement} optional per-instance initial CPU rule: instance i starts on affinity[i % n].
 */
public record TaskSpec(String name, Policy policy, int priority, int nice, int[] affinity, int count,
                       List<Op> program) {

    public String instanceName(int i) { return count == 1 ? name : name + "-" + i; }
}
