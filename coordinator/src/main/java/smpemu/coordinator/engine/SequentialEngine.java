package smpemu.coordinator.engine;

import java.util.ArrayList;
import java.util.List;
import smpemu.coordinator.sched.DecisionCore;
import smpemu.coordinator.sched.SchedPolicy;
import smpemu.node.engine.CpuOrder;
import smpemu.node.engine.EarliestFirst;
import smpemu.node.model.CpuModel;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.SimMessage;

/**
 * The reference engine, on one thread. Between two of the coordinator's instants it first runs
 * each CPU that nothing can reach before the next instant to there, one after the other (their
 * events need no interleaving), then the others in time order: the globally earliest runs on
 * while no other can reach it (EarliestFirst). It is the oracle of the determinism tests and the
 * yardstick of the actor engine's speed; a message that would land in a CPU's past fails the run
 * (CpuModel.deliver).
 */
public final class SequentialEngine implements Engine {
    @Override
    public RunOutcome run(ModelContext ctx, RunProgress progress) {
        HeapMeter.reset();
        long wallStart = System.nanoTime();
        int n = ctx.topology.cpus();
        CpuModel[] cpus = new CpuModel[n];
        CpuOrder order = new CpuOrder(n);
        for (int c = 0; c < n; c++) {
            cpus[c] = new CpuModel(c, ctx, m -> {
                if (cpus[m.dst()].deliver(m)) order.update(m.dst(), cpus[m.dst()].nextEventTime());
            });
        }
        SchedPolicy policy = new SchedPolicy(ctx.workload, n);
        Directory dir = Setup.initialDirectory(ctx, policy);
        for (int t = 0; t < ctx.workload.taskCount(); t++) {
            cpus[dir.cpuOf(t)].adopt(Setup.newTask(ctx, t));
        }
        DecisionCore core = new DecisionCore(ctx, policy, dir);
        for (CpuModel c : cpus) {
            c.setDirectory(dir);
            c.start();
        }

        long decisions = 0;
        long steps = 0;
        long duration = ctx.durationNs;
        long[] next = new long[n];
        CpuSnapshot[] snaps = new CpuSnapshot[n];
        steps += runUnreachable(cpus, core.receivers(List.of()), core.nextInstant(), snaps, next);
        order.rebuild(next);
        while (true) {
            int c = order.min();
            long t = order.minTime();
            long instant = core.nextInstant();
            if (instant <= t && instant < duration) {
                for (int i = 0; i < n; i++) if (snaps[i] == null) snaps[i] = cpus[i].snapshot();
                List<SimMessage> cmds = core.decide(snaps);
                // As a NodeHost does: the CPUs hear of the directory only when a move changed it.
                if (core.lastDelta() != null) for (CpuModel cpu : cpus) cpu.setDirectory(core.directory());
                for (SimMessage m : cmds) cpus[m.dst()].deliver(m);
                decisions++;
                snaps = new CpuSnapshot[n];
                steps += runUnreachable(cpus, core.receivers(cmds), core.nextInstant(), snaps, next);
                order.rebuild(next);
                continue;
            }
            if (t >= duration) break;
            long before = steps;
            steps += EarliestFirst.runEarliest(order, cpus, Math.min(instant, duration), ctx.lookaheadNs);
            if ((steps >>> 16) != (before >>> 16)) progress.at(cpus[c].nextEventTime(), steps); // every 65536 events
        }
        List<CpuStats> stats = new ArrayList<>(n);
        long events = 0;
        for (CpuModel cpu : cpus) {
            stats.add(cpu.stats);
            events += cpu.stats.events;
        }
        long wallMs = (System.nanoTime() - wallStart) / 1_000_000;
        return new RunOutcome(ctx, stats, "sequential", 1,
            new EngineStats(events, decisions, wallMs, HeapMeter.peak()));
    }

    /**
     * Runs every CPU that no message can reach before {@code until} (none of the coordinator's
     * receivers) up to there, one CPU after the other: what they send lands only on receivers,
     * which have not run yet. Their events come in long runs with the CPU's state in cache,
     * instead of one at a time between other CPUs' (rt-16 at 4096 CPUs), and each is
     * snapshotted for the decision at {@code until} while still in cache: nothing reaches it
     * before then. Fills {@code next} with every CPU's next event time; returns the events run.
     */
    private static long runUnreachable(CpuModel[] cpus, int[] receivers, long until, CpuSnapshot[] snaps,
                                       long[] next) {
        boolean[] reachable = new boolean[cpus.length];
        for (int c : receivers) reachable[c] = true;
        boolean decision = until != Long.MAX_VALUE;
        long events = 0;
        for (int c = 0; c < cpus.length; c++) {
            CpuModel cpu = cpus[c];
            if (!reachable[c]) {
                long before = cpu.stats.events;
                cpu.runUntil(until);
                events += cpu.stats.events - before;
                if (decision) snaps[c] = cpu.snapshot();
                next[c] = cpu.nextEventTime();
            }
        }
        for (int c : receivers) next[c] = cpus[c].nextEventTime(); // after what the others sent them
        return events;
    }
}
