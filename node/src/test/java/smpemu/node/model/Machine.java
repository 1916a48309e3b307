package smpemu.node.model;

import smpemu.protocol.SimMessage;

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
        Directory dir = Boot.initialDirectory(ctx);
        for (int t = 0; t < ctx.workload.taskCount(); t++) cpus[dir.cpuOf(t)].adopt(Boot.newTask(ctx, t));
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
