package smpemu.node.model;

import java.util.ArrayList;
import java.util.List;
import smpemu.protocol.TaskState;

/**
 * Runnable tasks waiting for the CPU, highest effective priority first and FIFO within a
 * priority: SCHED_FIFO/RR 1-99 above SCHED_OTHER. SCHED_OTHER is a round-robin with a time slice
 * (a stand-in for EEVDF). CPUs hold a handful of tasks, so a list beats a heap here.
 */
final class RunQueue {
    private final List<TaskState> tasks = new ArrayList<>();
    /** The shared task table (a per-CPU copy of every task's priority would grow as CPUs x tasks). */
    private final Workload w;

    RunQueue(Workload w) {
        this.w = w;
    }

    int prio(TaskState t) { return w.priority(t.id); }

    /** Behind every task of the same or higher priority (wake-up, yield, expired slice). */
    void enqueueTail(TaskState t) {
        int p = prio(t), i = 0;
        while (i < tasks.size() && prio(tasks.get(i)) >= p) i++;
        tasks.add(i, t);
    }

    /** Ahead of its priority peers: a preempted SCHED_FIFO task keeps its place (sched(7)). */
    void enqueueHead(TaskState t) {
        int p = prio(t), i = 0;
        while (i < tasks.size() && prio(tasks.get(i)) > p) i++;
        tasks.add(i, t);
    }

    TaskState pollHighest() { return tasks.isEmpty() ? null : tasks.remove(0); }

    /** Highest queued priority, or -1 when empty. */
    int topPriority() { return tasks.isEmpty() ? -1 : prio(tasks.get(0)); }

    boolean remove(TaskState t) { return tasks.remove(t); }

    boolean hasPriorityAtLeast(int p) { return topPriority() >= p; }

    boolean isEmpty() { return tasks.isEmpty(); }

    int size() { return tasks.size(); }

    TaskState get(int i) { return tasks.get(i); }
}
