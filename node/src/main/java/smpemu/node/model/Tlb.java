package smpemu.node.model;

import java.util.BitSet;
import smpemu.config.Op.FlushKind;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * arch/x86/mm/tlb.c on this CPU (docs/kernel-model.md §5): the flush entry points, which call
 * smp.c as the kernel does (native_flush_tlb_multi() hands should_flush_tlb() and
 * flush_tlb_func() to on_each_cpu_cond_mask()), the KVM paravirtual flush and AMD INVLPGB beside
 * them, the per-CPU flush_tlb_info, and this CPU's TLB state: the loaded mm, lazy mode and its
 * mm_cpumask bits.
 */
final class Tlb {
    private final PerCpu cpu;
    private final Kernel k;

    Tlb(PerCpu cpu) {
        this.cpu = cpu;
        this.k = cpu.kernel;
    }

    // ---------------------------------------------------------------- entry points (code paths)

    /** The tlb.c entry point of a flush op. */
    void entry(CallPath p, XCallSpec x) {
        switch (x.flush()) {
            case MUNMAP, MADVISE, EXIT_MMAP -> flushTlbMmRange(p, x);
            case RECLAIM -> archTlbbatchFlush(p, x);
            case VMALLOC_PURGE -> flushTlbKernelRange(p, x);
        }
    }

    /**
     * arch/x86/mm/tlb.c: flush_tlb_mm_range(): get_cpu(), the descriptor, the branch decision
     * (INVLPGB broadcast, other CPUs in mm_cpumask, or this CPU alone), then the flush.
     */
    void flushTlbMmRange(CallPath p, XCallSpec x) {
        decideThenFlush(p, x); // inc_mm_tlb_gen(), get_flush_tlb_info(), cpumask_any_but(mm_cpumask(mm), cpu)
    }

    /** arch/x86/mm/tlb.c: arch_tlbbatch_flush(): a reclaim batch, pinned as flush_tlb_mm_range() is. */
    void archTlbbatchFlush(CallPath p, XCallSpec x) {
        decideThenFlush(p, x); // get_flush_tlb_info(), cpumask_any_but(&batch->cpumask, cpu)
    }

    /**
     * The pinning both user-TLB entry points share. Only the IPI branch has a wait, so it is the
     * branch the code path follows; the INVLPGB broadcast and the local-only branch stay pinned
     * to the end. v6 patch 11 / tip patch 14 puts the CPU back just before flush_tlb_multi(); U10
     * puts it back before the branch decision.
     */
    private void decideThenFlush(CallPath p, XCallSpec x) {
        p.getCpu();                                        // cpu = get_cpu()
        boolean held = true;
        if (k.preemptibleFlushTlbMulti() && k.unsafe(Kernel.U10)) { // U10: put_cpu() before the decision
            p.putCpu();
            held = false;
        }
        p.decide();
        if (!cpu.smpCosts.invlpgb) {                       // the IPI branch
            if (k.preemptibleFlushTlbMulti() && held) {    // v6 11 / tip 14: preemption back on first
                p.putCpu();
                held = false;
            }
            flushTlbMulti(p, x);
        }
        if (held) p.putCpu();
    }

    /**
     * arch/x86/mm/tlb.c: flush_tlb_kernel_range(): on_each_cpu() under a preempt guard for the
     * whole flush; v6 patch 12 drops the guard (the descriptor is on the stack since patch 10).
     * The tip form has no such patch: the kernel-range flush stays pinned there.
     */
    void flushTlbKernelRange(CallPath p, XCallSpec x) {
        if (!k.preemptibleKernelRange()) p.preemptDisable(); // guard(preempt)()
        if (cpu.smpCosts.invlpgb) {                        // invlpgb_kernel_range_flush(): pinned up to the TLBSYNC
            p.preemptDisable();
            p.decide();
            p.preemptEnable();
        } else {
            cpu.smp.onEachCpuCondMask(p, x);               // on_each_cpu(do_kernel_range_flush, ...)
        }
        if (!k.preemptibleKernelRange()) p.preemptEnable();
    }

    /** arch/x86/include/asm/tlbflush.h: flush_tlb_multi(): the paravirt hook, native or KVM's. */
    void flushTlbMulti(CallPath p, XCallSpec x) {
        if (cpu.smpCosts.pvFlush) {
            kvmFlushTlbMulti(p, x);
        } else {
            nativeFlushTlbMulti(p, x);
        }
    }

    /**
     * arch/x86/mm/tlb.c: native_flush_tlb_multi(): on_each_cpu_mask() for freed page tables (lazy
     * CPUs included), else on_each_cpu_cond_mask() with should_flush_tlb(); flush_tlb_func() runs
     * on every target.
     */
    void nativeFlushTlbMulti(CallPath p, XCallSpec x) {
        cpu.smp.onEachCpuCondMask(p, x);
    }

    /**
     * arch/x86/kernel/kvm.c: kvm_flush_tlb_multi(): preempted vCPUs are marked to flush at their
     * next VM entry instead of getting an IPI (should_flush_tlb() on arrival sees that), then the
     * native flush. Its per-CPU scratch mask needs preemption off for the whole body: tip patch
     * 13's guard(preempt)(); under v6 the model keeps it whatever the patch set (v6 never makes
     * the PV flush preemptible). U9 leaves it out: under tip that is patch 14 without 13.
     */
    void kvmFlushTlbMulti(CallPath p, XCallSpec x) {
        boolean guard = k.kvmFlushPreemptGuard();       // tip 13: guard(preempt)()
        if (guard) p.preemptDisable();
        nativeFlushTlbMulti(p, x);
        if (guard) p.preemptEnable();
    }

    // ---------------------------------------------------------------- sender side, in the timed steps

    /** The flush's targets: mm_cpumask (as this CPU sees it) or every online CPU, without this one. */
    int[] flushTargets(TaskState t, XCallSpec x) {
        if (cpu.smpCosts.invlpgb) return new int[0]; // broadcast in hardware: no IPIs, only this CPU's TLBSYNC
        int mm = cpu.w.mm(t.id);
        BitSet mask = switch (x.flush()) {
            case MUNMAP, MADVISE, EXIT_MMAP -> mm < 0 ? new BitSet() : cpu.directory.mmCpus(mm);
            case RECLAIM -> cpu.directory.anyMmCpus();
            case VMALLOC_PURGE -> cpu.onlineView;
        };
        return cpu.steps.onlineTargets(mask);
    }

    /** Whether the flush passes a cond_func (should_flush_tlb) that the sender calls per candidate CPU. */
    boolean condFlush(XCallSpec x) {
        return x.flush() == FlushKind.MUNMAP || x.flush() == FlushKind.MADVISE || x.flush() == FlushKind.RECLAIM;
    }

    /** A full flush: an exit, a reclaim batch, or a range above the ceiling (tlb_single_page_flush_ceiling). */
    boolean fullFlush(XCallSpec x) {
        return x.flush() == FlushKind.EXIT_MMAP || x.flush() == FlushKind.RECLAIM || x.pages() > cpu.smpCosts.ceiling;
    }

    int flushKind(XCallSpec x) {
        return switch (x.flush()) {
            case MUNMAP, MADVISE -> CsdFlags.FLUSH_USER_COND;
            case EXIT_MMAP -> CsdFlags.FLUSH_USER_ALL;
            case RECLAIM -> CsdFlags.FLUSH_KERNEL_COND;
            case VMALLOC_PURGE -> CsdFlags.FLUSH_KERNEL_ALL;
        };
    }

    /** Whether this CPU flushes itself too: it runs the mm, it is a kernel flush, or INVLPGB's TLBSYNC. */
    boolean flushesLocally(XCallSpec x) {
        if (cpu.smpCosts.invlpgb) return true;
        return x.flush() == FlushKind.VMALLOC_PURGE || cpu.mmSet.contains(cpu.w.mm(cpu.current.id))
            || x.flush() == FlushKind.RECLAIM;
    }

    /** This CPU's own part of the flush, with IRQs off. */
    long localFlushCost(XCallSpec x) {
        if (cpu.smpCosts.invlpgb) return cpu.smpCosts.broadcast;
        return fullFlush(x) ? cpu.smpCosts.flushFull : cpu.smpCosts.flushPages(x.pages());
    }

    /**
     * arch/x86/mm/tlb.c: get_flush_tlb_info(): before the descriptor moved to the stack (v6 10,
     * tip 12) one per-CPU descriptor, which a flusher preempted in its wait still needs (U8 when
     * the wait is preemptible without it); with KVM's flush, the per-CPU scratch mask too (U9).
     */
    void getFlushTlbInfo(TaskState t, XCallSpec x, CrossCallState c) {
        if (c.targets.length == 0 || c.waitPinned) return;
        if (!k.flushInfoOnStack()) {
            cpu.probe.perCpuScratchTaken(cpu, "flush-tlb-info", t, cpu.flushInfoUser, x.pathDispatch());
            cpu.flushInfoUser = t.id;
        }
        if (cpu.smpCosts.pvFlush) {
            cpu.probe.perCpuScratchTaken(cpu, "pv-cpu-mask", t, cpu.pvScratchUser, x.pathDispatch());
            cpu.pvScratchUser = t.id;
        }
    }

    /** arch/x86/mm/tlb.c: put_flush_tlb_info(), on whatever CPU the flusher returns (U8's counter bug). */
    void putFlushTlbInfo(TaskState t) {
        if (cpu.flushInfoUser == t.id) cpu.flushInfoUser = -1;
        if (cpu.pvScratchUser == t.id) cpu.pvScratchUser = -1;
    }

    // ---------------------------------------------------------------- target side

    /**
     * arch/x86/mm/tlb.c: should_flush_tlb(), read when the CSD arrives (docs/kernel-model.md §12):
     * a lazy CPU or one on another mm is skipped; a preempted vCPU under KVM's PV flush gets
     * "flush on next entry" instead of an IPI.
     */
    boolean shouldFlushTlb(int flush, int mm) {
        if (flush != CsdFlags.NO_FLUSH && cpu.smpCosts.pvFlush && cpu.inIrq && cpu.runningIrq >= 0
            && cpu.irqs.get(cpu.runningIrq).spec().vcpuPreempted()) {
            return false;
        }
        return switch (flush) {
            case CsdFlags.FLUSH_USER_COND -> cpu.frame == PerCpu.F_SWITCH || !cpu.lazy && cpu.loadedMm == mm;
            case CsdFlags.FLUSH_KERNEL_COND -> !cpu.lazy;
            default -> true;
        };
    }

    /** arch/x86/mm/tlb.c: flush_tlb_func(): its length; a CPU not running the mm leaves its mm_cpumask instead. */
    long flushTlbFunc(SimMessage m) {
        int f = m.arg();
        int flush = CsdFlags.flush(f);
        int mm = m.extra();
        if (flush == CsdFlags.FLUSH_USER_COND || flush == CsdFlags.FLUSH_USER_ALL) {
            if (cpu.loadedMm != mm || cpu.lazy) {
                // Not running that mm (or lazy: switch to init_mm): leave its mm_cpumask.
                cpu.mmSet.remove(mm);
                cpu.mmDelta.add(-(mm + 1));
                if (cpu.loadedMm == mm) cpu.loadedMm = -1;
                cpu.lazy = false;
                return cpu.smpCosts.flushSkip;
            }
        }
        return CsdFlags.full(f) ? cpu.smpCosts.flushFull : cpu.smpCosts.flushPages((int) m.value());
    }

    // ---------------------------------------------------------------- this CPU's TLB state

    /** arch/x86/mm/tlb.c: switch_mm_irqs_off(): a user task loads its mm (joining mm_cpumask); a kthread runs lazily on the old one. */
    void switchMmIrqsOff(int mm) {
        if (mm < 0) {
            enterLazyTlb();
            return;
        }
        cpu.loadedMm = mm;
        cpu.lazy = false;
        if (!cpu.mmSet.contains(mm)) {
            cpu.mmSet.add(mm);
            cpu.mmDelta.add(mm);
        }
    }

    /** arch/x86/mm/tlb.c: enter_lazy_tlb(): the idle task or a kthread keeps the last mm loaded, lazily. */
    void enterLazyTlb() {
        cpu.lazy = cpu.loadedMm >= 0;
    }
}
