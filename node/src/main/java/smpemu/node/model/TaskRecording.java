package smpemu.node.model;

/**
 * A request for per-task scheduling figures ({@code run --by-task}), as {@code perf sched
 * latency} gives them: run time, switches in, and the delay from becoming runnable (a wake-up,
 * or being preempted while runnable) to being switched in, its average, its maximum and when
 * that maximum began and ended. Times are those of __schedule() (the sched_switch tracepoint).
 * One table for the machine: a task's events happen in causal order wherever it runs (it moves
 * by message), so the table is the same on both engines; access is synchronized because the
 * actor engine runs CPUs on several threads. A probe listener attached only when asked for.
 */
public final class TaskRecording {
    /** One task's figures; {@code maxDelayAt} is when the longest wait began (-1: none). */
    public record Task(int id, long runtimeNs, long switches, long delays, long delaySumNs, long maxDelayNs, long maxDelayAt) {}

    private final long[] runtime, switches, delays, delaySum, maxDelay, maxDelayAt, waitingSince;
    /** Per CPU, the task switched in (-1: none) and since when. */
    private final int[] running;
    private final long[] runningSince;
    /** Per task, the CPU it is switched in on (-1: none): a task woken before it even left keeps running. */
    private final int[] cpuOf;

    public TaskRecording(int tasks, int cpus) {
        runtime = new long[tasks];
        switches = new long[tasks];
        delays = new long[tasks];
        delaySum = new long[tasks];
        maxDelay = new long[tasks];
        maxDelayAt = new long[tasks];
        waitingSince = new long[tasks];
        cpuOf = new int[tasks];
        java.util.Arrays.fill(cpuOf, -1);
        java.util.Arrays.fill(maxDelayAt, -1);
        java.util.Arrays.fill(waitingSince, -1);
        running = new int[cpus];
        runningSince = new long[cpus];
        java.util.Arrays.fill(running, -1);
    }

    ProbeListener recorder() { return new TaskRecorder(this); }

    /** {@code task} became runnable at {@code now} (woken, or preempted while runnable). */
    synchronized void waiting(int task, long now) {
        if (cpuOf[task] < 0 && waitingSince[task] < 0) waitingSince[task] = now;
    }

    /** {@code cpu} stops running its task at {@code now}; {@code runnable}: it waits for a CPU again. */
    synchronized void stopped(int cpu, long now, boolean runnable) {
        int t = running[cpu];
        if (t < 0) return;
        runtime[t] += now - runningSince[cpu];
        running[cpu] = -1;
        cpuOf[t] = -1;
        if (runnable) waiting(t, now);
    }

    /** The CPU's current task, for a listener that must know whether it is the one leaving. */
    synchronized int runningOn(int cpu) { return running[cpu]; }

    /** {@code cpu} switches {@code task} in at {@code now}. */
    synchronized void switchedIn(int cpu, int task, long now) {
        switches[task]++;
        long since = waitingSince[task];
        if (since >= 0) {
            long d = now - since;
            delays[task]++;
            delaySum[task] += d;
            if (d > maxDelay[task] || maxDelayAt[task] < 0) {
                maxDelay[task] = d;
                maxDelayAt[task] = since;
            }
            waitingSince[task] = -1;
        }
        running[cpu] = task;
        cpuOf[task] = cpu;
        runningSince[cpu] = now;
    }

    /** After the run: the tasks still running are charged up to {@code endNs}; every task's figures by id. */
    public synchronized Task[] finish(long endNs) {
        for (int c = 0; c < running.length; c++) stopped(c, endNs, false);
        Task[] out = new Task[runtime.length];
        for (int t = 0; t < out.length; t++) {
            out[t] = new Task(t, runtime[t], switches[t], delays[t], delaySum[t], maxDelay[t], maxDelayAt[t]);
        }
        return out;
    }
}
