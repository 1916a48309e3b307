package smpemu.node.model;

import java.util.List;
import smpemu.config.Dist;
import smpemu.config.Op;
import smpemu.config.SimSettings;
import smpemu.config.TortureSettings;
import smpemu.config.TortureSettings.Prim;
import smpemu.protocol.TaskState;

/**
 * kernel/scftorture.c: the invoker's step, scftorture_invoke_one(), on this CPU, and the
 * primitives' selection table the module builds from its weights (shared by every CPU).
 */
public final class ScfTorture {
    private final PerCpu cpu;

    ScfTorture(PerCpu cpu) {
        this.cpu = cpu;
    }

    /**
     * kernel/scftorture.c: scftorture_invoke_one(): the stutter pause, cpus_read_lock() when
     * use_cpus_read_lock is set, one primitive drawn by weight and made. Returns true when the
     * invocation is over at once (resched_cpu()) and the program goes on.
     */
    boolean scftortureInvokeOne(TaskState t) {
        if (t.xcall != null) { // preempted in its call: resume it
            cpu.smp.startCall(t, cpu.steps.specOf(t), t.xcall.scfPrim);
            return false;
        }
        long cycle = 2L * cpu.ctx.settings.torture().stutterJiffies() * cpu.ctx.tickPeriodNs;
        if (cycle > 0 && cpu.now % cycle >= cycle / 2) { // stutter: the invokers pause
            cpu.interp.sleepUntil(t, (cpu.now / cycle + 1) * cycle);
            return false;
        }
        if (cpu.readLock && !cpu.hotplug.cpusReadLock(t)) return false;
        Prim prim = cpu.w.scf.pick(cpu.drawUniform(t));
        cpu.probe.scfInvoked(cpu, prim.ordinal());
        if (prim == Prim.RESCHED) {
            cpu.sched.reschedCpu(t);
            if (cpu.readLock) cpu.hotplug.cpusReadUnlock();
            t.pc++;
            return true;
        }
        cpu.smp.startCall(t, cpu.w.scf.call(prim), prim.ordinal());
        return false;
    }

    /**
     * scftorture_invoke_one()'s code around the call: preempt_disable() unless it holds
     * cpus_read_lock() instead; patch 9 removes it (U7: removed on a kernel without 6-8).
     */
    void invokeOneCaller(CallPath p, XCallSpec x) {
        boolean pin = !cpu.readLock && !cpu.kernel.patch(9);
        if (pin) p.preemptDisable();
        cpu.smp.entry(p, x);
        if (pin) p.preemptEnable();
    }

    /** scf_sel_add() / scf_sel_rand(): the eight primitives as cross-calls, drawn by cumulative weight. */
    public static final class Selection {
        private final XCallSpec[] calls = new XCallSpec[Prim.values().length];
        private final long[] cumulative = new long[Prim.values().length];
        private final long total;

        Selection(SimSettings s, PathTable paths) {
            TortureSettings t = s.torture();
            int[] w = t.resolvedWeights(s.topology().cpus());
            long sum = 0;
            for (int i = 0; i < w.length; i++) {
                sum += w[i];
                cumulative[i] = sum;
            }
            total = sum;
            Dist handler = handlerCost(t.longwait());
            List<String> caller = List.of("scftorture_invoker", "scftorture_invoke_one");
            calls[Prim.SINGLE.ordinal()] = call(Op.CallKind.SINGLE, false, false, handler, caller, paths);
            calls[Prim.SINGLE_RPC.ordinal()] = call(Op.CallKind.SINGLE, false, true, handler, caller, paths);
            calls[Prim.SINGLE_WAIT.ordinal()] = call(Op.CallKind.SINGLE, true, false, handler, caller, paths);
            calls[Prim.MANY.ordinal()] = call(Op.CallKind.MANY, false, false, handler, caller, paths);
            calls[Prim.MANY_WAIT.ordinal()] = call(Op.CallKind.MANY, true, false, handler, caller, paths);
            calls[Prim.ALL.ordinal()] = call(Op.CallKind.ALL, false, false, handler, caller, paths);
            calls[Prim.ALL_WAIT.ordinal()] = call(Op.CallKind.ALL, true, false, handler, caller, paths);
        }

        private static XCallSpec call(Op.CallKind kind, boolean waits, boolean rpc, Dist handler,
                                      List<String> caller, PathTable paths) {
            return new XCallSpec(kind, null, waits, null, handler, 0, false,
                paths.id(CallPaths.dispatch(caller, kind, null)), paths.id(CallPaths.waiting(caller, kind, null)), -1, rpc);
        }

        /** scf_handler(): about 1 call in 1024 busy-waits 0-63 us; with longwait, 1 in 4096 up to that many seconds. */
        private static Dist handlerCost(int longwait) {
            if (longwait > 0) {
                return new Dist.Empirical(new long[] {200, 500_000_000L * longwait}, new double[] {4095.0 / 4096, 1.0});
            }
            return new Dist.Empirical(new long[] {200, 32_000}, new double[] {1023.0 / 1024, 1.0});
        }

        /** The primitive for a uniform draw {@code u} in [0, 1): the first whose cumulative weight >= r. */
        Prim pick(double u) {
            long r = (long) (u * (total + 1));
            for (int i = 0; i < cumulative.length; i++) if (cumulative[i] >= r && cumulative[i] > 0) return Prim.values()[i];
            return Prim.values()[cumulative.length - 1];
        }

        XCallSpec call(Prim p) { return calls[p.ordinal()]; }
    }
}
