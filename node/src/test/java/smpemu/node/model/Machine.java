package smpemu.node.model;

import java.util.BitSet;
import smpemu.protocol.Rng;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * A small machine for the kernel files' tests: plain CpuModels, messages delivered at once,
 * always the earliest CPU first, tasks where their affinity first allows, and no coordinator
 * (no balancing, no hotplug). A test may listen to every CPU's probe points.
 */
final class Machine {
    final ModelContext ctx;
    final CpuModel[] cpus;
    private final java.util.List<SimMessage> commands = new java.util.ArrayList<>();

    Machine(String hocon) { this(hocon, null); }

    /** With a timeline recorded ({@code run --trace}); its recorders attach as the CPUs are built. */
    Machine(String hocon, TraceRecording trace) {
        ctx = new ModelContext(ZeroCost.settings(hocon));
        ctx.trace = trace;
        int n = ctx.topology.cpus();
        cpus = new CpuModel[n];
        for (int c = 0; c < n; c++) cpus[c] = new CpuModel(c, ctx, m -> cpus[m.dst()].deliver(m));
    }

    Machine listen(ProbeListener l) {
        for (CpuModel c : cpus) c.perCpu().probe.attach(l);
        return this;
    }

    /** A coordinator message (a hotplug step) to every CPU at {@code at}, as DecisionCore sends it. */
    Machine command(long at, int kind, int arg) {
        for (int c = 0; c < cpus.length; c++) {
            commands.add(new SimMessage(at, kind, cpus.length, commands.size(), c, -1, arg, 0, 0, null));
        }
        return this;
    }

    /** Places the tasks, starts every CPU and runs to the end of the duration. */
    Machine run() {
        Workload w = ctx.workload;
        int[] cpuOf = new int[w.taskCount()];
        BitSet[] mms = new BitSet[w.mmCount()];
        for (int m = 0; m < mms.length; m++) mms[m] = new BitSet();
        for (int t = 0; t < cpuOf.length; t++) {
            int[] aff = w.affinity(t);
            cpuOf[t] = aff[w.instanceIndex(t) % aff.length];
            if (w.mm(t) >= 0) mms[w.mm(t)].set(cpuOf[t]);
            long rng = Rng.forEntity(ctx.settings.seed(), ModelContext.TASK_STREAM, t).state();
            cpus[cpuOf[t]].adopt(new TaskState(t, w.program(t).loopSlots(), rng));
        }
        Directory dir = new Directory(cpuOf, mms);
        for (CpuModel c : cpus) {
            c.setDirectory(dir);
            c.start();
        }
        for (SimMessage m : commands) cpus[m.dst()].deliver(m);
        while (true) {
            CpuModel next = cpus[0];
            for (CpuModel c : cpus) if (c.nextEventTime() < next.nextEventTime()) next = c;
            if (next.nextEventTime() >= ctx.durationNs) break;
            next.processOne();
        }
        return this;
    }

    CpuStats stats(int cpu) { return cpus[cpu].stats; }
}
