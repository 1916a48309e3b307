package smpemu.node.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import smpemu.config.Dist;
import smpemu.config.LockSettings;
import smpemu.config.Op;
import smpemu.config.PreemptionModel;

/** Flattens a task program (a tree of ops with loops) into a {@link Program}. */
final class ProgramCompiler {
    private final List<Integer> code = new ArrayList<>();
    private final List<Dist> dist = new ArrayList<>();
    private final List<Integer> path = new ArrayList<>();
    private final List<Integer> spinPath = new ArrayList<>();
    private final List<Integer> target = new ArrayList<>();
    private final List<Integer> count = new ArrayList<>();
    private final List<Integer> slot = new ArrayList<>();
    private final List<Long> period = new ArrayList<>();
    private final List<XCallSpec> xcall = new ArrayList<>();
    private int loopSlots;
    private final Map<String, Integer> taskIds;
    private final PathTable paths;
    private final PreemptionModel model;
    private final LockSettings locks;

    private ProgramCompiler(Map<String, Integer> taskIds, PathTable paths, PreemptionModel model, LockSettings locks) {
        this.taskIds = taskIds;
        this.paths = paths;
        this.model = model;
        this.locks = locks;
    }

    static Program compile(List<Op> ops, Map<String, Integer> taskIds, PathTable paths,
                           PreemptionModel model, LockSettings locks, long wakeupNs) {
        ProgramCompiler c = new ProgramCompiler(taskIds, paths, model, locks);
        c.emitAll(ops);
        c.emit(Program.EXIT, null, -1, -1, 0, 0, 0);
        int n = c.code.size();
        int[] code = new int[n], p = new int[n], sp = new int[n], t = new int[n], cnt = new int[n], sl = new int[n];
        Dist[] d = new Dist[n];
        long[] per = new long[n];
        XCallSpec[] xs = c.xcall.toArray(new XCallSpec[0]);
        for (int i = 0; i < n; i++) {
            code[i] = c.code.get(i);
            d[i] = c.dist.get(i);
            p[i] = c.path.get(i);
            sp[i] = c.spinPath.get(i);
            t[i] = c.target.get(i);
            cnt[i] = c.count.get(i);
            sl[i] = c.slot.get(i);
            per[i] = c.period.get(i);
        }
        return new Program(code, d, p, sp, t, cnt, sl, per, xs, c.loopSlots, wakeupNs);
    }

    private void emitAll(List<Op> ops) {
        for (Op op : ops) emitOp(op);
    }

    private void emitOp(Op op) {
        if (op instanceof Op.Compute c) {
            emit(Program.COMPUTE, c.duration(), -1, -1, 0, 0, 0);
        } else if (op instanceof Op.Kernel k) {
            emit(Program.KERNEL, k.duration(), paths.id(k.path()), -1, 0, 0, 0);
        } else if (op instanceof Op.PreemptOff s) {
            // Under PREEMPT_RT an ordinary spinlock is a sleeping lock: preemptible kernel code.
            int opc = s.raw() ? Program.PREEMPT_OFF_RAW
                : model == PreemptionModel.RT ? Program.KERNEL : Program.PREEMPT_OFF;
            emit(opc, s.duration(), paths.id(s.path()), -1, 0, 0, 0);
        } else if (op instanceof Op.IrqOff s) {
            emit(Program.IRQ_OFF, s.duration(), paths.id(s.path()), -1, 0, 0, 0);
        } else if (op instanceof Op.SpinLockIrqsave s) {
            // Under PREEMPT_RT spin_lock_irqsave() of an ordinary lock sleeps and leaves IRQs on.
            int opc = !s.raw() && model == PreemptionModel.RT ? Program.KERNEL : Program.IRQSAVE;
            emit(opc, s.duration(), paths.id(s.path()), -1, 0, 0, 0);
        } else if (op instanceof Op.SpinLock s) {
            emitSpinLock(s);
        } else if (op instanceof Op.BhOff s) {
            // Under PREEMPT_RT local_bh_disable() takes a per-CPU lock and stays preemptible.
            emit(model == PreemptionModel.RT ? Program.KERNEL : Program.BH_OFF, s.duration(), paths.id(s.path()), -1, 0, 0, 0);
        } else if (op instanceof Op.Sleep s) {
            emit(Program.SLEEP, s.duration(), -1, -1, 0, 0, 0);
        } else if (op instanceof Op.Block) {
            emit(Program.BLOCK, null, -1, -1, 0, 0, 0);
        } else if (op instanceof Op.Wake wk) {
            emit(Program.WAKE, null, paths.id(List.of("try_to_wake_up")), taskIds.get(wk.task()), 0, 0, 0);
        } else if (op instanceof Op.Yield) {
            emit(Program.YIELD, null, -1, -1, 0, 0, 0);
        } else if (op instanceof Op.CondResched) {
            emit(Program.COND_RESCHED, null, -1, -1, 0, 0, 0);
        } else if (op instanceof Op.Loop l) {
            int s = loopSlots++;
            emit(Program.LOOP_BEGIN, null, -1, -1, l.count(), s, 0);
            int bodyStart = code.size();
            emitAll(l.body());
            emit(Program.LOOP_END, null, -1, bodyStart, l.count(), s, 0);
        } else if (op instanceof Op.Periodic p) {
            int wait = code.size();
            emit(Program.PERIODIC_WAIT, null, -1, -1, 0, 0, p.periodNs());
            emit(Program.COMPUTE, p.work(), -1, -1, 0, 0, 0);
            emit(Program.JUMP, null, -1, wait, 0, 0, 0);
        } else if (op instanceof Op.CrossCall x) {
            emitXcall(new XCallSpec(x.call(), null, x.waits(), x.cpus(), x.func(), 0, x.underLock(),
                paths.id(CallPaths.dispatch(x.path(), x.call(), null)),
                paths.id(CallPaths.waiting(x.path(), x.call(), null)), -1, false));
        } else if (op instanceof Op.TlbFlush f) {
            emitXcall(new XCallSpec(null, f.kind(), true, null, null, f.pages(), f.underLock(),
                paths.id(CallPaths.dispatch(f.path(), null, f.kind())),
                paths.id(CallPaths.waiting(f.path(), null, f.kind())),
                paths.id(CallPaths.local(f.path(), f.kind())), false));
        } else if (op instanceof Op.Ksoftirqd) {
            emit(Program.KSOFTIRQD, null, -1, -1, 0, 0, 0); // never sends: softirq actions here send no message
        } else if (op instanceof Op.ScfInvoke) {
            emit(Program.SCF_INVOKE, null, -1, -1, 0, 0, 0);
        } else {
            throw new IllegalArgumentException("unknown op " + op);
        }
    }

    /**
     * A named lock's op. Under PREEMPT_RT an ordinary spinlock_t is an rt_mutex: it disables
     * nothing (SPIN_LOCK_RT); a raw one spins as everywhere else.
     */
    private void emitSpinLock(Op.SpinLock s) {
        int lock = locks.indexOf(s.lock());
        boolean sleeping = model == PreemptionModel.RT && !locks.locks().get(lock).raw();
        int opc = sleeping ? Program.SPIN_LOCK_RT : s.irqsave() ? Program.SPIN_LOCK_IRQSAVE : Program.SPIN_LOCK;
        List<String> spin = new ArrayList<>(s.path());
        spin.add(sleeping ? "rt_mutex_slowlock" : "queued_spin_lock_slowpath");
        emit(opc, s.duration(), paths.id(s.path()), lock, 0, 0, 0);
        spinPath.set(spinPath.size() - 1, paths.id(spin));
    }

    private void emitXcall(XCallSpec x) {
        emit(Program.XCALL, null, x.pathDispatch(), -1, 0, 0, 0);
        xcall.set(xcall.size() - 1, x);
    }

    private void emit(int op, Dist d, int p, int t, int cnt, int sl, long per) {
        xcall.add(null);
        spinPath.add(-1);
        code.add(op);
        dist.add(d);
        path.add(p);
        target.add(t);
        count.add(cnt);
        slot.add(sl);
        period.add(per);
    }
}
