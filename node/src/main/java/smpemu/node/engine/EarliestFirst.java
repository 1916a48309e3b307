package smpemu.node.engine;

import smpemu.node.model.CpuModel;
import smpemu.node.model.Program;

/**
 * The in-order loop of CPUs that deliver to each other at once (the sequential engine, and a CPU
 * group's members in time order): the earliest CPU runs on while no other can reach it.
 */
public final class EarliestFirst {
    private EarliestFirst() {}

    /**
     * Runs the earliest CPU of {@code order} on, below {@code bound}, until one lookahead past
     * the next event of any other: what another CPU sends lands at least a lookahead after its
     * next event, so nothing can reach this one earlier, and the order is touched once per run of
     * events instead of per event. A message it sends lowers the receiver's key at once (the
     * caller's router updates {@code order}), which shortens the run. Returns the events run.
     */
    public static long runEarliest(CpuOrder order, CpuModel[] cpus, long bound, long lookaheadNs) {
        int c = order.min();
        CpuModel cpu = cpus[c];
        long before = cpu.stats.events;
        long until = Math.min(bound, Program.sat(order.minTimeExcept(c), lookaheadNs));
        do {
            cpu.processOne();
            until = Math.min(until, Program.sat(order.minTimeExcept(c), lookaheadNs));
        } while (cpu.nextEventTime() < until);
        order.update(c, cpu.nextEventTime());
        return cpu.stats.events - before;
    }
}
