package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import smpemu.config.Dist;
import smpemu.config.KernelSettings;
import smpemu.config.Op.CallKind;
import smpemu.config.Op.FlushKind;

/**
 * The patch table (docs/kernel-model.md §10) as the oracle of what the code paths do: for every
 * patch subset of v6, the subsets of tip that decide pinning, every unsafe variant of both forms,
 * each preemption model, csdlock_debug, an outer spinlock, the KVM PV flush and scftorture's own
 * caller, and every entry point, whether csd_lock_wait() and the decision run preemptible must be
 * what the table says. The table, with each form's numbers, lives here, not in the model.
 */
class PatchTableTest {
    /**
     * A form of the series as §9 numbers its x86 patches (0: the form has none): the stack
     * descriptor, the callers' put_cpu() before flush_tlb_multi(), the kernel-range patch, the KVM
     * guard. Patches 1-9 are the same in both.
     */
    record Form(String name, int count, int stack, int flushTlbMulti, int kernelRange, int kvmGuard) {
        boolean has(KernelSettings k, int patch) { return patch > 0 && k.has(patch); }
    }

    static final Form V6 = new Form("v6", 12, 10, 11, 12, 0);
    static final Form TIP = new Form("tip", 14, 12, 14, 0, 13);
    /** The tip patches whose subsets the test runs in full: the ones that move a pin. */
    static final int[] TIP_PINNING = {2, 3, 4, 6, 7, 8, 13, 14};
    /** The rest, run all off or all on beside each of those subsets. */
    static final int[] TIP_OTHERS = {1, 5, 9, 10, 11, 12};

    /** An entry point: a direct cross-call kind or a flush kind, waiting or not. */
    record Entry(CallKind call, FlushKind flush, boolean waits) {
        @Override public String toString() { return (flush != null ? flush : call) + (waits ? "" : " (no wait)"); }
    }

    /** A kernel and the switches around the call. */
    record Setup(Form form, String variant, int[] patches, String preemption, boolean debug, boolean underLock,
                 boolean pv, boolean scftorture) {
        smpemu.config.SimSettings settings() {
            return ZeroCost.settings("smpemu { kernel { series = " + form.name + ", variant = " + variant + ", patches = "
                + java.util.Arrays.toString(patches) + ", preemption = " + preemption + ", smp { csdlock-debug = "
                + debug + ", pv-tlb-flush = " + pv + " } },"
                + " workload.tasks = [{name = a, program = [{op = compute, duration = 1ms}]}] }");
        }

        @Override public String toString() {
            String k = variant.equals("baseline") ? "baseline+" + java.util.Arrays.toString(patches) : variant;
            return form.name + " " + k + " " + preemption + (debug ? " debug" : "") + (underLock ? " under-lock" : "") + (pv ? " pv" : "")
                + (scftorture ? " scftorture" : "");
        }
    }

    static final List<Entry> ENTRIES = List.of(
        new Entry(CallKind.SINGLE, null, true), new Entry(CallKind.SINGLE, null, false),
        new Entry(CallKind.SINGLE_ASYNC, null, false), new Entry(CallKind.ANY, null, true),
        new Entry(CallKind.MANY, null, true), new Entry(CallKind.MANY, null, false),
        new Entry(CallKind.ALL, null, true), new Entry(CallKind.ON_EACH_CPU, null, true),
        new Entry(CallKind.ON_EACH_CPU_MASK, null, true), new Entry(CallKind.ON_EACH_CPU_COND, null, true),
        new Entry(null, FlushKind.MUNMAP, true), new Entry(null, FlushKind.EXIT_MMAP, true),
        new Entry(null, FlushKind.RECLAIM, true), new Entry(null, FlushKind.VMALLOC_PURGE, true));

    static final java.util.Set<CallKind> SCFTORTURE_CALLS = java.util.EnumSet.of(CallKind.SINGLE, CallKind.MANY, CallKind.ALL);

    static Stream<Setup> setups() {
        List<Setup> s = new ArrayList<>();
        for (int mask = 0; mask < 1 << V6.count; mask++) { // every v6 patch subset
            int m = mask;
            int[] patches = IntStream.rangeClosed(1, V6.count).filter(p -> (m >> (p - 1) & 1) != 0).toArray();
            s.add(new Setup(V6, "baseline", patches, "full", false, false, false, false));
        }
        // tip: every subset of the patches that move a pin, with the others all off or all on,
        // native and under KVM's PV flush (where patch 13 matters)
        for (int mask = 0; mask < 1 << TIP_PINNING.length; mask++) {
            for (boolean others : new boolean[] {false, true}) {
                int m = mask;
                IntStream chosen = IntStream.range(0, TIP_PINNING.length).filter(i -> (m >> i & 1) != 0).map(i -> TIP_PINNING[i]);
                int[] patches = IntStream.concat(chosen, others ? IntStream.of(TIP_OTHERS) : IntStream.empty()).sorted().toArray();
                s.add(new Setup(TIP, "baseline", patches, "full", false, false, false, false));
                s.add(new Setup(TIP, "baseline", patches, "full", false, false, true, false));
            }
        }
        List<String> kernels = new ArrayList<>(List.of("baseline", "patched"));
        for (int u = 1; u <= 10; u++) kernels.add("unsafe-u" + u);
        for (Form f : List.of(V6, TIP)) {
            for (String k : kernels) {
                for (String model : List.of("none", "voluntary", "full", "rt")) {
                    s.add(new Setup(f, k, new int[0], model, false, false, false, false));
                    s.add(new Setup(f, k, new int[0], model, false, true, false, false));
                }
                s.add(new Setup(f, k, new int[0], "full", true, false, false, false));
                s.add(new Setup(f, k, new int[0], "full", false, false, true, false));
                s.add(new Setup(f, k, new int[0], "full", false, false, false, true));
                s.add(new Setup(f, k, new int[0], "rt", false, false, false, true));
            }
        }
        return s.stream();
    }

    /**
     * kvm_flush_tlb_multi()'s guard: tip patch 13; v6 has no KVM patch and keeps the PV flush
     * pinned whatever the patch set, but for u9.
     */
    static boolean kvmGuard(Setup s, KernelSettings k) {
        if (!s.pv) return false;
        return s.form == V6 ? !k.unsafe("u9") : s.form.has(k, s.form.kvmGuard);
    }

    /** What docs/kernel-model.md §10 says about csd_lock_wait(): pinned, or preemptible. */
    static boolean tableWaitPinned(Setup s, KernelSettings k, Entry e) {
        if (!e.waits || s.preemption.equals("none") || s.preemption.equals("voluntary")) return true;
        if (s.debug && k.has(1)) return true;                   // patch 1 pins the debug loop
        if (s.underLock && !s.preemption.equals("rt")) return true; // the caller-nesting rule
        if (s.scftorture && !k.has(9)) return true;             // scftorture's own preempt_disable
        // smp_call_function_many_cond() holds its own get_cpu() through the wait with patch 6,
        // unless it puts it back early (patch 4's task mask, or u4 without it); without patch 6
        // it holds nothing, and the wait is pinned only if a caller is.
        boolean manyCondHolds = k.has(6) && !(k.has(4) || k.unsafe("u4"));
        Form f = s.form;
        if (e.flush != null) {
            if (e.flush == FlushKind.VMALLOC_PURGE) return !f.has(k, f.kernelRange) || !k.has(8) || manyCondHolds;
            if (kvmGuard(s, k)) return true;                   // kvm_flush_tlb_multi() is pinned whole
            return !f.has(k, f.flushTlbMulti) || !k.has(8) || manyCondHolds;
        }
        return switch (e.call) {
            case SINGLE, SINGLE_ASYNC -> !k.has(2);
            case ANY -> !(k.has(2) && (k.has(3) || k.unsafe("u3")));
            // a program's caller pins as the kernel-doc asks before patch 6; scftorture's (patch 9) does not
            case MANY -> !s.scftorture && !k.has(6) || manyCondHolds;
            case ALL -> !k.has(7) || manyCondHolds;
            case ON_EACH_CPU, ON_EACH_CPU_MASK, ON_EACH_CPU_COND -> !k.has(8) || manyCondHolds;
        };
    }

    /**
     * Whether the decision (targets chosen, CSDs locked) runs preemptible: only where a guard is
     * missing (the unsafe variants, and subsets that drop an outer guard without patch 6).
     */
    static boolean tableDecisionPreemptible(Setup s, KernelSettings k, Entry e) {
        if (s.preemption.equals("none") || s.preemption.equals("voluntary")) return false;
        if (s.underLock && !s.preemption.equals("rt")) return false;
        if (s.scftorture && !k.has(9)) return false;
        Form f = s.form;
        if (e.flush != null) {
            if (e.flush == FlushKind.VMALLOC_PURGE) return f.has(k, f.kernelRange) && k.has(8) && !k.has(6);
            return f.has(k, f.flushTlbMulti) && (k.unsafe("u10") || !kvmGuard(s, k) && k.has(8) && !k.has(6));
        }
        return switch (e.call) {
            case SINGLE -> k.unsafe("u2");
            case SINGLE_ASYNC -> false;
            case ANY -> k.unsafe("u2") && k.has(3) || k.unsafe("u3");
            case MANY -> s.scftorture && !k.has(6);             // a program's caller pins as the kernel-doc asks
            case ALL -> k.has(7) && !k.has(6);
            case ON_EACH_CPU, ON_EACH_CPU_MASK, ON_EACH_CPU_COND -> k.has(8) && !k.has(6);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("setups")
    void theCodePathsAgreeWithTheTable(Setup s) {
        PerCpu cpu = new PerCpu(0, new ModelContext(s.settings()), m -> { });
        boolean preemptible = cpu.ctx.preemption.kernelPreemptible();
        for (Entry e : ENTRIES) {
            if (s.scftorture && !SCFTORTURE_CALLS.contains(e.call)) continue; // its primitives: single, many, all
            XCallSpec x = new XCallSpec(e.call, e.flush, e.waits, null, new Dist.Constant(0), 4, s.underLock, 0, 0, 0, false);
            CallPath p = cpu.smp.codePath(x, s.scftorture);
            boolean waitPinned = !e.waits || !preemptible || p.atWait() > 0;
            KernelSettings k = cpu.ctx.settings.kernel();
            assertEquals(tableWaitPinned(s, k, e), waitPinned, s + ", " + e + ": csd_lock_wait pinned");
            assertEquals(tableDecisionPreemptible(s, k, e), preemptible && p.atDecision() == 0, s + ", " + e + ": decision preemptible");
        }
    }
}
