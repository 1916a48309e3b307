package smpemu.node.model;

import smpemu.protocol.TaskState;

/** One CPU's feed of {@link TaskRecording}: switches in and out, wake-ups, the stopper, migrations of the running task. */
final class TaskRecorder implements ProbeListener {
    private final TaskRecording rec;

    TaskRecorder(TaskRecording rec) { this.rec = rec; }

    /** The task that ran stops; preempted (still runnable, queued again), it waits from now. */
    private void leave(PerCpu cpu) {
        int t = rec.runningOn(cpu.id);
        if (t < 0) return;
        TaskState prev = cpu.find(t);
        rec.stopped(cpu.id, cpu.now, prev != null && prev.state == TaskState.RUNNABLE);
    }

    @Override
    public void taskSwitching(PerCpu cpu, TaskState next) {
        leave(cpu);
        rec.switchedIn(cpu.id, next.id, cpu.now);
    }

    @Override
    public void cpuIdle(PerCpu cpu) { leave(cpu); }

    @Override
    public void stopperStarted(PerCpu cpu, int dying) { leave(cpu); }

    @Override
    public void taskWoken(PerCpu cpu, TaskState t) { rec.waiting(t.id, cpu.now); }

    /** Hotplug evacuates the task that ran here: it stops, and waits for a CPU on the destination. */
    @Override
    public void taskMigrated(PerCpu cpu, TaskState t, int dest) {
        if (rec.runningOn(cpu.id) == t.id) rec.stopped(cpu.id, cpu.now, t.state == TaskState.RUNNABLE);
    }
}
