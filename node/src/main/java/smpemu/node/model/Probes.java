package smpemu.node.model;

import java.lang.reflect.Method;
import java.util.Arrays;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * This CPU's probe points, each with its own listeners (gem5's ProbePoint): a listener is added
 * only to the points it overrides, so a point nobody listens to costs an empty loop. Listeners
 * run in the order they were attached (statistics first). Allocation-free when firing.
 */
final class Probes implements ProbeListener {
    private static final ProbeListener[] NONE = new ProbeListener[0];
    private ProbeListener[] sectionOpened = NONE;
    private ProbeListener[] sectionClosed = NONE;
    private ProbeListener[] hardirqsOff = NONE;
    private ProbeListener[] hardirqsOn = NONE;
    private ProbeListener[] taskSwitching = NONE;
    private ProbeListener[] taskRunning = NONE;
    private ProbeListener[] taskWoken = NONE;
    private ProbeListener[] taskMigrated = NONE;
    private ProbeListener[] ipiSent = NONE;
    private ProbeListener[] callFunctionIpi = NONE;
    private ProbeListener[] irqTaken = NONE;
    private ProbeListener[] irqExited = NONE;
    private ProbeListener[] smi = NONE;
    private ProbeListener[] hostPreempted = NONE;
    private ProbeListener[] cpuIdle = NONE;
    private ProbeListener[] callStarted = NONE;
    private ProbeListener[] callFailed = NONE;
    private ProbeListener[] callDispatching = NONE;
    private ProbeListener[] csdLockSpinning = NONE;
    private ProbeListener[] waitStarted = NONE;
    private ProbeListener[] waitEnded = NONE;
    private ProbeListener[] callResumed = NONE;
    private ProbeListener[] callReturned = NONE;
    private ProbeListener[] callbacksRun = NONE;
    private ProbeListener[] csdPushed = NONE;
    private ProbeListener[] csdTaken = NONE;
    private ProbeListener[] csdArriving = NONE;
    private ProbeListener[] csdUnlockSeen = NONE;
    private ProbeListener[] csdLockReport = NONE;
    private ProbeListener[] perCpuScratchTaken = NONE;
    private ProbeListener[] stopperStarted = NONE;
    private ProbeListener[] cpuDying = NONE;
    private ProbeListener[] cpuOnline = NONE;
    private ProbeListener[] csdArray = NONE;
    private ProbeListener[] scfInvoked = NONE;
    private ProbeListener[] lockContended = NONE;
    private ProbeListener[] lockAcquired = NONE;
    private ProbeListener[] lockReleased = NONE;
    private ProbeListener[] tlbFlushSent = NONE;
    private ProbeListener[] tlbFlushDeclined = NONE;
    private ProbeListener[] tlbFlushDeferred = NONE;
    private ProbeListener[] tlbFlushMissed = NONE;

    /** Which points each listener class overrides, found once per class (every CPU attaches the same ones). */
    private static final java.util.Map<Class<?>, java.util.List<String>> OVERRIDES = new java.util.concurrent.ConcurrentHashMap<>();

    /** Adds {@code l} to every point whose method it overrides. */
    void attach(ProbeListener l) {
        for (String name : OVERRIDES.computeIfAbsent(l.getClass(), Probes::overrides)) {
            switch (name) {
                case "sectionOpened" -> sectionOpened = add(sectionOpened, l);
                case "sectionClosed" -> sectionClosed = add(sectionClosed, l);
                case "hardirqsOff" -> hardirqsOff = add(hardirqsOff, l);
                case "hardirqsOn" -> hardirqsOn = add(hardirqsOn, l);
                case "taskSwitching" -> taskSwitching = add(taskSwitching, l);
                case "taskRunning" -> taskRunning = add(taskRunning, l);
                case "taskWoken" -> taskWoken = add(taskWoken, l);
                case "taskMigrated" -> taskMigrated = add(taskMigrated, l);
                case "ipiSent" -> ipiSent = add(ipiSent, l);
                case "callFunctionIpi" -> callFunctionIpi = add(callFunctionIpi, l);
                case "irqTaken" -> irqTaken = add(irqTaken, l);
                case "irqExited" -> irqExited = add(irqExited, l);
                case "smi" -> smi = add(smi, l);
                case "hostPreempted" -> hostPreempted = add(hostPreempted, l);
                case "cpuIdle" -> cpuIdle = add(cpuIdle, l);
                case "callStarted" -> callStarted = add(callStarted, l);
                case "callFailed" -> callFailed = add(callFailed, l);
                case "callDispatching" -> callDispatching = add(callDispatching, l);
                case "csdLockSpinning" -> csdLockSpinning = add(csdLockSpinning, l);
                case "waitStarted" -> waitStarted = add(waitStarted, l);
                case "waitEnded" -> waitEnded = add(waitEnded, l);
                case "callResumed" -> callResumed = add(callResumed, l);
                case "callReturned" -> callReturned = add(callReturned, l);
                case "callbacksRun" -> callbacksRun = add(callbacksRun, l);
                case "csdPushed" -> csdPushed = add(csdPushed, l);
                case "csdTaken" -> csdTaken = add(csdTaken, l);
                case "csdArriving" -> csdArriving = add(csdArriving, l);
                case "csdUnlockSeen" -> csdUnlockSeen = add(csdUnlockSeen, l);
                case "csdLockReport" -> csdLockReport = add(csdLockReport, l);
                case "perCpuScratchTaken" -> perCpuScratchTaken = add(perCpuScratchTaken, l);
                case "stopperStarted" -> stopperStarted = add(stopperStarted, l);
                case "cpuDying" -> cpuDying = add(cpuDying, l);
                case "cpuOnline" -> cpuOnline = add(cpuOnline, l);
                case "csdArray" -> csdArray = add(csdArray, l);
                case "scfInvoked" -> scfInvoked = add(scfInvoked, l);
                case "lockContended" -> lockContended = add(lockContended, l);
                case "lockAcquired" -> lockAcquired = add(lockAcquired, l);
                case "lockReleased" -> lockReleased = add(lockReleased, l);
                case "tlbFlushSent" -> tlbFlushSent = add(tlbFlushSent, l);
                case "tlbFlushDeclined" -> tlbFlushDeclined = add(tlbFlushDeclined, l);
                case "tlbFlushDeferred" -> tlbFlushDeferred = add(tlbFlushDeferred, l);
                case "tlbFlushMissed" -> tlbFlushMissed = add(tlbFlushMissed, l);
                default -> throw new IllegalStateException("probe point without listeners: " + name);
            }
        }
    }

    private static java.util.List<String> overrides(Class<?> c) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (Method m : ProbeListener.class.getDeclaredMethods()) {
            try {
                if (c.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass() != ProbeListener.class) names.add(m.getName());
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
        return names;
    }

    private static ProbeListener[] add(ProbeListener[] a, ProbeListener l) {
        ProbeListener[] b = Arrays.copyOf(a, a.length + 1);
        b[a.length] = l;
        return b;
    }

    /** Whether anyone listens to sectionOpened (its arguments take a little work to compute). */
    boolean sectionOpenedOn() { return sectionOpened.length > 0; }

    @Override
    public void sectionOpened(PerCpu cpu, int path, int task, int preemptCount, boolean irqsOff) {
        for (ProbeListener l : sectionOpened) l.sectionOpened(cpu, path, task, preemptCount, irqsOff);
    }

    @Override
    public void sectionClosed(PerCpu cpu, long start, int path, int task) {
        for (ProbeListener l : sectionClosed) l.sectionClosed(cpu, start, path, task);
    }

    @Override
    public void hardirqsOff(PerCpu cpu, int path, int task) {
        for (ProbeListener l : hardirqsOff) l.hardirqsOff(cpu, path, task);
    }

    @Override
    public void hardirqsOn(PerCpu cpu) {
        for (ProbeListener l : hardirqsOn) l.hardirqsOn(cpu);
    }

    @Override
    public void taskSwitching(PerCpu cpu, TaskState next) {
        for (ProbeListener l : taskSwitching) l.taskSwitching(cpu, next);
    }

    @Override
    public void taskRunning(PerCpu cpu, TaskState t) {
        for (ProbeListener l : taskRunning) l.taskRunning(cpu, t);
    }

    @Override
    public void taskWoken(PerCpu cpu, TaskState t) {
        for (ProbeListener l : taskWoken) l.taskWoken(cpu, t);
    }

    @Override
    public void taskMigrated(PerCpu cpu, TaskState t, int dest) {
        for (ProbeListener l : taskMigrated) l.taskMigrated(cpu, t, dest);
    }

    @Override
    public void ipiSent(PerCpu cpu, int dest) {
        for (ProbeListener l : ipiSent) l.ipiSent(cpu, dest);
    }

    @Override
    public void callFunctionIpi(PerCpu cpu, SimMessage m) {
        for (ProbeListener l : callFunctionIpi) l.callFunctionIpi(cpu, m);
    }

    @Override
    public void irqTaken(PerCpu cpu) {
        for (ProbeListener l : irqTaken) l.irqTaken(cpu);
    }

    @Override
    public void irqExited(PerCpu cpu) {
        for (ProbeListener l : irqExited) l.irqExited(cpu);
    }

    @Override
    public void smi(PerCpu cpu, int source, long len) {
        for (ProbeListener l : smi) l.smi(cpu, source, len);
    }

    @Override
    public void hostPreempted(PerCpu cpu, long len) {
        for (ProbeListener l : hostPreempted) l.hostPreempted(cpu, len);
    }

    @Override
    public void cpuIdle(PerCpu cpu) {
        for (ProbeListener l : cpuIdle) l.cpuIdle(cpu);
    }

    @Override
    public void callStarted(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : callStarted) l.callStarted(cpu, t, x, c);
    }

    @Override
    public void callFailed(PerCpu cpu, TaskState t, XCallSpec x) {
        for (ProbeListener l : callFailed) l.callFailed(cpu, t, x);
    }

    @Override
    public void callDispatching(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : callDispatching) l.callDispatching(cpu, t, x, c);
    }

    @Override
    public void csdLockSpinning(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : csdLockSpinning) l.csdLockSpinning(cpu, t, x, c);
    }

    @Override
    public void waitStarted(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c, boolean preemptible) {
        for (ProbeListener l : waitStarted) l.waitStarted(cpu, t, x, c, preemptible);
    }

    @Override
    public void waitEnded(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : waitEnded) l.waitEnded(cpu, t, x, c);
    }

    @Override
    public void callResumed(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : callResumed) l.callResumed(cpu, t, x, c);
    }

    @Override
    public void callReturned(PerCpu cpu, TaskState t, XCallSpec x, CrossCallState c) {
        for (ProbeListener l : callReturned) l.callReturned(cpu, t, x, c);
    }

    @Override
    public void callbacksRun(PerCpu cpu, int n) {
        for (ProbeListener l : callbacksRun) l.callbacksRun(cpu, n);
    }

    @Override
    public void csdPushed(PerCpu cpu, TaskState t, int target, int flags) {
        for (ProbeListener l : csdPushed) l.csdPushed(cpu, t, target, flags);
    }

    @Override
    public void csdTaken(PerCpu cpu, SimMessage m) {
        for (ProbeListener l : csdTaken) l.csdTaken(cpu, m);
    }

    @Override
    public void csdArriving(PerCpu cpu, SimMessage m) {
        for (ProbeListener l : csdArriving) l.csdArriving(cpu, m);
    }

    @Override
    public void csdUnlockSeen(PerCpu cpu, SimMessage m) {
        for (ProbeListener l : csdUnlockSeen) l.csdUnlockSeen(cpu, m);
    }

    @Override
    public void csdLockReport(PerCpu cpu, TaskState t, int target, long waitedNs) {
        for (ProbeListener l : csdLockReport) l.csdLockReport(cpu, t, target, waitedNs);
    }

    @Override
    public void perCpuScratchTaken(PerCpu cpu, String what, TaskState t, int previous, int path) {
        for (ProbeListener l : perCpuScratchTaken) l.perCpuScratchTaken(cpu, what, t, previous, path);
    }

    @Override
    public void stopperStarted(PerCpu cpu, int dying) {
        for (ProbeListener l : stopperStarted) l.stopperStarted(cpu, dying);
    }

    @Override
    public void cpuDying(PerCpu cpu, long waitedNs) {
        for (ProbeListener l : cpuDying) l.cpuDying(cpu, waitedNs);
    }

    @Override
    public void cpuOnline(PerCpu cpu) {
        for (ProbeListener l : cpuOnline) l.cpuOnline(cpu);
    }

    @Override
    public void csdArray(PerCpu cpu, boolean freed) {
        for (ProbeListener l : csdArray) l.csdArray(cpu, freed);
    }

    @Override
    public void scfInvoked(PerCpu cpu, int prim) {
        for (ProbeListener l : scfInvoked) l.scfInvoked(cpu, prim);
    }

    @Override
    public void lockContended(PerCpu cpu, int lock, int waiter, int depth) {
        for (ProbeListener l : lockContended) l.lockContended(cpu, lock, waiter, depth);
    }

    @Override
    public void lockAcquired(PerCpu cpu, TaskState t, int lock, long spinNs, boolean queued) {
        for (ProbeListener l : lockAcquired) l.lockAcquired(cpu, t, lock, spinNs, queued);
    }

    @Override
    public void lockReleased(PerCpu cpu, TaskState t, int lock, long heldNs) {
        for (ProbeListener l : lockReleased) l.lockReleased(cpu, t, lock, heldNs);
    }

    @Override
    public void tlbFlushSent(PerCpu cpu, int target, int mm) {
        for (ProbeListener l : tlbFlushSent) l.tlbFlushSent(cpu, target, mm);
    }

    @Override
    public void tlbFlushDeclined(PerCpu cpu, int target, int mm) {
        for (ProbeListener l : tlbFlushDeclined) l.tlbFlushDeclined(cpu, target, mm);
    }

    @Override
    public void tlbFlushDeferred(PerCpu cpu, int mm, long ns) {
        for (ProbeListener l : tlbFlushDeferred) l.tlbFlushDeferred(cpu, mm, ns);
    }

    @Override
    public void tlbFlushMissed(PerCpu cpu, int mm, long gen, boolean freedTables) {
        for (ProbeListener l : tlbFlushMissed) l.tlbFlushMissed(cpu, mm, gen, freedTables);
    }
}
