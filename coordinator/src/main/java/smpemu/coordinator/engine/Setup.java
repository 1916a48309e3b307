package smpemu.coordinator.engine;

import smpemu.coordinator.sched.SchedPolicy;
import smpemu.node.model.Directory;
import smpemu.node.model.ModelContext;
import smpemu.node.model.Workload;
import smpemu.protocol.Rng;
import smpemu.protocol.TaskState;

/** Initial placement shared by both engines: which CPU each task starts on, and its state. */
public final class Setup {
    private Setup() {}

    public static Directory initialDirectory(ModelContext ctx, SchedPolicy policy) {
        int[] cpuOf = new int[ctx.workload.taskCount()];
        for (int t = 0; t < cpuOf.length; t++) cpuOf[t] = policy.initialCpu(t);
        return new Directory(cpuOf);
    }

    /** A fresh task with its own generator seeded from (seed, task id). */
    public static TaskState newTask(ModelContext ctx, int id) {
        Workload w = ctx.workload;
        long rng = Rng.forEntity(ctx.settings.seed(), ModelContext.TASK_STREAM, id).state();
        return new TaskState(id, w.program(id).loopSlots(), rng);
    }
}
