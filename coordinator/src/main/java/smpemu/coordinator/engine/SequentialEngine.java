package smpemu.coordinator.engine;

import java.util.ArrayList;
import java.util.List;
import smpemu.coordinator.sched.DecisionCore;
import smpemu.coordinator.sched.SchedPolicy;
import smpemu.node.engine.CpuHeap;
import smpemu.node.model.CpuModel;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.SimMessage;

/**
 * The reference engine: one thread, one event at a time, always the globally earliest. It is the
 * oracle of the determinism tests and the yardstick of the actor engine's speed.
 */
public final class SequentialEngine implements Engine {
    /** Progress is published every 65536 events: a volatile write is then negligible. */
    private static final long PUBLISH_EVERY = (1 << 16) - 1;

    @Override
    public RunOutcome run(ModelContext ctx, RunProgress progress) {
        HeapMeter.reset();
        long wallStart = System.nanoTime();
        int n = ctx.topology.cpus();
        CpuModel[] cpus = new CpuModel[n];
        CpuHeap heap = new CpuHeap(n);
        for (int c = 0; c < n; c++) {
            cpus[c] = new CpuModel(c, ctx, m -> {
                cpus[m.dst()].deliver(m);
                heap.update(m.dst(), cpus[m.dst()].nextEventTime());
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
        for (int c = 0; c < n; c++) heap.update(c, cpus[c].nextEventTime());

        long decisions = 0;
        long steps = 0;
        long duration = ctx.durationNs;
        while (true) {
            int c = heap.min();
            long t = heap.minTime();
            long instant = core.nextInstant();
            if (instant <= t && instant < duration) {
                CpuSnapshot[] snaps = new CpuSnapshot[n];
                for (int i = 0; i < n; i++) snaps[i] = cpus[i].snapshot();
                List<SimMessage> cmds = core.decide(snaps);
                for (CpuModel cpu : cpus) cpu.setDirectory(core.directory());
                for (SimMessage m : cmds) {
                    cpus[m.dst()].deliver(m);
                    heap.update(m.dst(), cpus[m.dst()].nextEventTime());
                }
                decisions++;
                continue;
            }
            if (t >= duration) break;
            // The earliest CPU runs on until another CPU (or the coordinator's instant) is due:
            // its messages land at least one delivery latency later, so no other CPU can be
            // overtaken, and the heap is touched once per run of events instead of per event.
            CpuModel cpu = cpus[c];
            long bound = Math.min(Math.min(instant, duration), heap.minTimeExcept(c));
            do {
                if ((++steps & PUBLISH_EVERY) == 0) progress.at(cpu.nextEventTime(), steps);
                cpu.processOne();
                bound = Math.min(bound, heap.minTimeExcept(c));
            } while (cpu.nextEventTime() < bound);
            heap.update(c, cpu.nextEventTime());
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
}
