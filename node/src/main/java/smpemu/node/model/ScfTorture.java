package smpemu.node.model;

import java.util.List;
import smpemu.config.Dist;
import smpemu.config.Op;
import smpemu.config.SimSettings;
import smpemu.config.TortureSettings;
import smpemu.config.TortureSettings.Prim;

/**
 * scftorture's invoker (docs/kernel-model.md#scftorture_invoke_one): the eight primitives as cross-calls, drawn by
 * cumulative weight the way scftorture_invoke_one() does, and its handler's cost.
 */
public final class ScfTorture {
    private final XCallSpec[] calls = new XCallSpec[Prim.values().length];
    private final long[] cumulative = new long[Prim.values().length];
    private final long total;

    ScfTorture(SimSettings s, PathTable paths) {
        TortureSettings t = s.torture();
        int[] w = t.resolvedWeights(s.topology().cpus());
        long sum = 0;
        for (int i = 0; i < w.length; i++) {
            sum += w[i];
            cumulative[i] = sum;
        }
        total = sum;
        // Before patch 9 each invocation runs under preempt_disable(); cpus_read_lock() does not pin.
        boolean pinned = !t.useCpusReadLock() && !s.kernel().has(9);
        Dist handler = handlerCost(t.longwait());
        List<String> caller = List.of("scftorture_invoker", "scftorture_invoke_one");
        calls[Prim.SINGLE.ordinal()] = call(Op.CallKind.SINGLE, false, false, handler, pinned, caller, paths);
        calls[Prim.SINGLE_RPC.ordinal()] = call(Op.CallKind.SINGLE, false, true, handler, false, caller, paths);
        calls[Prim.SINGLE_WAIT.ordinal()] = call(Op.CallKind.SINGLE, true, false, handler, pinned, caller, paths);
        calls[Prim.MANY.ordinal()] = call(Op.CallKind.MANY, false, false, handler, pinned, caller, paths);
        calls[Prim.MANY_WAIT.ordinal()] = call(Op.CallKind.MANY, true, false, handler, pinned, caller, paths);
        calls[Prim.ALL.ordinal()] = call(Op.CallKind.ALL, false, false, handler, pinned, caller, paths);
        calls[Prim.ALL_WAIT.ordinal()] = call(Op.CallKind.ALL, true, false, handler, pinned, caller, paths);
    }

    private static XCallSpec call(Op.CallKind kind, boolean waits, boolean rpc, Dist handler, boolean pinned,
                                  List<String> caller, PathTable paths) {
        return new XCallSpec(kind, null, waits, null, handler, 0, pinned,
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
