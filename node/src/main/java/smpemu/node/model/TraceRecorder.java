package smpemu.node.model;

import java.util.ArrayList;
import java.util.List;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * One CPU's timeline for {@link TraceRecording}: per track the slice open now (name and start),
 * emitted clipped to the window when it closes. The task track always has one open (idle,
 * a context switch, a task, the stopper, offline), so it covers the whole window. IPI flows
 * are recorded by the receiver, which knows both ends: the sender's CPU and the time the
 * message left it (arrival minus the topology's IPI latency), so every flow start has its finish.
 */
final class TraceRecorder implements ProbeListener {
    private final PerCpu cpu;
    private final TraceRecording rec;
    final List<TraceRecording.Event> events = new ArrayList<>();
    private final String[] open = new String[TraceRecording.LANES];
    private final String[] openCat = new String[TraceRecording.LANES];
    private final long[] since = new long[TraceRecording.LANES];

    TraceRecorder(PerCpu cpu, TraceRecording rec) {
        this.cpu = cpu;
        this.rec = rec;
        begin(TraceRecording.TASK, "idle", "sched");
    }

    /** The task track changes: a waiter switched out stops waiting here (it resumes, maybe elsewhere, with callResumed). */
    private void taskTrack(String name, String cat) {
        end(TraceRecording.CSD_WAIT);
        begin(TraceRecording.TASK, name, cat);
    }

    private void begin(int lane, String name, String cat) {
        end(lane);
        open[lane] = name;
        openCat[lane] = cat;
        since[lane] = cpu.now;
    }

    private void end(int lane) { endAt(lane, cpu.now); }

    private void endAt(int lane, long now) {
        String name = open[lane];
        if (name == null) return;
        open[lane] = null;
        long s = Math.max(since[lane], rec.fromNs), e = Math.min(now, rec.toNs);
        if (e > s) events.add(new TraceRecording.Event('X', cpu.id, lane, s, e - s, name, openCat[lane], 0));
    }

    private void instant(String name, String cat) {
        if (rec.inside(cpu.now)) events.add(new TraceRecording.Event('i', cpu.id, TraceRecording.TASK, cpu.now, 0, name, cat, 0));
    }

    void closeAll(long end) {
        for (int lane = 0; lane < TraceRecording.LANES; lane++) endAt(lane, end);
    }

    private String task(TaskState t) { return cpu.w.name(t.id) + "-" + t.id; }

    @Override
    public void taskSwitching(PerCpu c, TaskState next) { taskTrack("switch to " + task(next), "sched"); }

    @Override
    public void taskRunning(PerCpu c, TaskState t) { begin(TraceRecording.TASK, task(t), "task"); }

    @Override
    public void cpuIdle(PerCpu c) { taskTrack("idle", "sched"); }

    @Override
    public void stopperStarted(PerCpu c, int dying) { taskTrack("migration/" + c.id + " multi_cpu_stop(cpu " + dying + ")", "hotplug"); }

    @Override
    public void cpuDying(PerCpu c, long waitedNs) {
        instant("cpu " + c.id + " dying (stop_machine " + waitedNs + " ns)", "hotplug");
        begin(TraceRecording.TASK, "offline", "hotplug");
    }

    @Override
    public void cpuOnline(PerCpu c) {
        instant("cpu " + c.id + " online", "hotplug");
        begin(TraceRecording.TASK, "idle", "sched");
    }

    @Override
    public void csdArray(PerCpu c, boolean freed) { instant(freed ? "smpcfd_dead_cpu: CSDs freed" : "smpcfd_prepare_cpu: CSDs allocated", "hotplug"); }

    @Override
    public void sectionOpened(PerCpu c, int path, int task, int preemptCount, boolean irqsOff) {
        List<String> p = cpu.w.paths.path(path);
        begin(TraceRecording.SECTIONS, p.get(p.size() - 1), "section");
    }

    @Override
    public void sectionClosed(PerCpu c, long start, int path, int task) {
        if (open[TraceRecording.SECTIONS] != null) open[TraceRecording.SECTIONS] = CpuStats.kindName(cpu.trace.kind()) + "-off " + open[TraceRecording.SECTIONS];
        end(TraceRecording.SECTIONS);
    }

    @Override
    public void irqTaken(PerCpu c) { begin(TraceRecording.HARDIRQ, handler(), "irq"); }

    @Override
    public void irqExited(PerCpu c) { end(TraceRecording.HARDIRQ); }

    /** The handler IrqEntry.handleIrq() runs now, in its order: IPIs, hrtimers, device IRQs, the tick. */
    private String handler() {
        if (cpu.callIpiPending) return "sysvec_call_function_single";
        if (cpu.ipiPending) return "sysvec_reschedule_ipi";
        if (!cpu.expiredTimers.isEmpty()) return "hrtimer_interrupt";
        if (cpu.irqsPending > 0) {
            int i = 0;
            while (cpu.irqRaisedAt[i] < 0) i++;
            return "irq " + cpu.irqs.get(i).spec().name();
        }
        return "tick";
    }

    /** An SMI is known from the start with its length: one slice on the hard-IRQ track (nested in a handler it hits). */
    @Override
    public void smi(PerCpu c, int source, long len) {
        long s = Math.max(cpu.now, rec.fromNs), e = Math.min(cpu.now + len, rec.toNs);
        if (e > s) events.add(new TraceRecording.Event('X', cpu.id, TraceRecording.HARDIRQ, s, e - s, "SMI " + cpu.irqs.get(source).spec().name(), "smi", 0));
    }

    /** A host preemption (steal) is known from the start with its length: one slice on the hard-IRQ track. */
    @Override
    public void hostPreempted(PerCpu c, long len) {
        long s = Math.max(cpu.now, rec.fromNs), e = Math.min(cpu.now + len, rec.toNs);
        if (e > s) events.add(new TraceRecording.Event('X', cpu.id, TraceRecording.HARDIRQ, s, e - s, "steal (host)", "steal", 0));
    }

    @Override
    public void waitStarted(PerCpu c, TaskState t, XCallSpec x, CrossCallState cs, boolean preemptible) { begin(TraceRecording.CSD_WAIT, "csd_lock_wait", "csd"); }

    @Override
    public void waitEnded(PerCpu c, TaskState t, XCallSpec x, CrossCallState cs) { end(TraceRecording.CSD_WAIT); }

    @Override
    public void callResumed(PerCpu c, TaskState t, XCallSpec x, CrossCallState cs) {
        if (cs.phase == CrossCallState.WAIT) begin(TraceRecording.CSD_WAIT, "csd_lock_wait", "csd");
    }

    @Override
    public void ipiSent(PerCpu c, int dest) { instant("wake-up IPI to cpu " + dest, "ipi"); }

    @Override
    public void callFunctionIpi(PerCpu c, SimMessage m) {
        long sent = m.time() - cpu.ctx.ipi.latency(m.src(), cpu.id);
        if (!rec.inside(sent) || !rec.inside(m.time())) return;
        long id = ((long) m.src() << 40) | m.seq();
        events.add(new TraceRecording.Event('s', m.src(), TraceRecording.TASK, sent, 0, "call-function IPI", "ipi", id));
        events.add(new TraceRecording.Event('f', cpu.id, TraceRecording.TASK, m.time(), 0, "call-function IPI", "ipi", id));
    }
}
