package smpemu.node.model;

import smpemu.protocol.Rng;
import smpemu.protocol.TaskState;

/**
 * For the node module's tests, the run's start as the coordinator's Setup makes it (which this
 * module cannot see): instance i of a task family on the i-th CPU of its affinity, and a fresh
 * task with its own generator.
 */
public final class Boot {
    private Boot() {}

    public static Directory initialDirectory(ModelContext ctx) {
        Workload w = ctx.workload;
        int[] cpuOf = new int[w.taskCount()];
        for (int t = 0; t < cpuOf.length; t++) {
            int[] aff = w.affinity(t);
            cpuOf[t] = aff[w.instanceIndex(t) % aff.length];
        }
        return new Directory(cpuOf);
    }

    public static TaskState newTask(ModelContext ctx, int id) {
        long rng = Rng.forEntity(ctx.settings.seed(), ModelContext.TASK_STREAM, id).state();
        return new TaskState(id, ctx.workload.program(id).loopSlots(), rng);
    }
}
