package smpemu.node.model;

import java.util.BitSet;
import smpemu.config.Op.FlushKind;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.MsgKind;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * arch/x86/mm/tlb.c on this CPU (docs/kernel-model.md §5): the flush entry points, which call
 * smp.c as the kernel does (native_flush_tlb_multi() hands should_flush_tlb() and
 * flush_tlb_func() to on_each_cpu_cond_mask()), the KVM paravirtual flush and AMD INVLPGB beside
 * them, the per-CPU flush_tlb_info, and this CPU's TLB state: the loaded mm, lazy mode, its
 * mm_cpumask bits and its ASIDs' tlb_gen, which it publishes to the others ({@link TlbState}).
 */
final class Tlb {
    /** tlb_gen values are stamps: bump time in ns times this, plus the bumping CPU (unique, ordered as the bumps). */
    private static final long GEN_CPUS = 1024;
    /** The CSD's value: the flush's tlb_gen above the page count. */
    private static final int PAGE_BITS = 12;

    private final PerCpu cpu;
    private final Kernel k;
    final TlbState view;
    /** Other CPUs' stores that reached this one and are not yet in {@link #view} ({@link #seen}). */
    private final StoreBuffer stores = new StoreBuffer();
    /** The event (its serial, {@code stats.events}) that last brought the view up to date. */
    private long seenAt = -1;
    /** Which state anyone reads (only that is published), and whether this CPU can hold a tracked mm. */
    private final TlbScope scope;
    private final boolean holder;
    /** This CPU's flush_tlb_info: the new tlb_gen, the mm's before it, and when mm_cpumask was read. */
    private long infoGen;
    private long infoBefore;
    private long infoReadAt;
    /** The last tlb_gen stamp this CPU made (stamps stay unique when two bumps fall on one instant). */
    private long lastStamp;
    /** The reclaim batch (arch_tlbflush_unmap_batch): its cpumask. */
    private final BitSet batchCpumask = new BitSet();
    /** INVLPGB: the reclaim batch holds a global-ASID mm, flushed by broadcast (its TLBSYNC is this CPU's). */
    private boolean batchBroadcast;
    /** The branch of the call whose code path is being built: an INVLPGB broadcast (Smp.startCall sets it). */
    boolean callBroadcast;
    /** How many CPUs of the mask the last decision called cond_func for. */
    private int lastCandidates;

    Tlb(PerCpu cpu) {
        this.cpu = cpu;
        this.k = cpu.kernel;
        this.scope = cpu.w.tlbScope;
        this.view = new TlbState(scope, cpu.ctx.topology.cpus(), scope.reader(cpu.id));
        this.holder = scope.holder(cpu.id);
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
     * branch the code path follows; the INVLPGB broadcast (a global-ASID mm) and the local-only branch stay pinned
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
        if (!callBroadcast) {                              // the IPI branch
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
     * next VM entry instead of getting an IPI (kvmSkipsPreemptedVcpu() on arrival), then the
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

    /**
     * Whether a flush starting now is an AMD INVLPGB broadcast (docs/kernel-model.md#invlpgb):
     * flush_tlb_mm_range() broadcasts only for an mm with a global ASID (mm_global_asid()); a
     * reclaim batch when every mm it may hold has one; flush_tlb_kernel_range() always
     * (invlpgb_kernel_range_flush()). Decided at the call's start, and kept in its state.
     */
    boolean broadcasts(TaskState t, XCallSpec x) {
        if (!cpu.smpCosts.invlpgb) return false;
        return switch (x.flush()) {
            case MUNMAP, MADVISE, EXIT_MMAP -> {
                int mm = cpu.w.mm(t.id);
                yield mm >= 0 && seen().globalAsid(mm);
            }
            case RECLAIM -> {
                boolean all = true;
                for (int m = 0; m < cpu.w.mmCount(); m++) if (scope.tracked(m) && !seen().globalAsid(m)) all = false;
                yield all;
            }
            case VMALLOC_PURGE -> true;
        };
    }

    /**
     * arch/x86/mm/tlb.c: consider_global_asid(): after an IPI flush on INVLPGB hardware, an mm
     * active on more than 3 CPUs (mm_active_cpus_exceeds(mm, 3)) gets a global ASID, so its
     * later flushes are broadcasts; the other flushers see it one transfer latency later. (The
     * kernel samples only some calls and raises the threshold as global ASIDs run out: not modelled.)
     */
    void considerGlobalAsid(int mm) {
        if (!cpu.smpCosts.invlpgb || seen().globalAsid(mm)) return;
        int active = seen().mmCpumask(mm).cardinality() + (cpu.mmSet.contains(mm) ? 1 : 0);
        if (active <= 3) return;
        view.useGlobalAsid(mm);
        publish(TlbState.GLOBAL_ASID, mm, 0);
    }

    /**
     * The flush's targets, decided on this CPU's view of the others' TLB state (the kernel's
     * loads of mm_cpumask, cpu_tlbstate.loaded_mm and is_lazy), without this CPU; a declined CPU
     * gets no IPI. The user-mm flushes bump the mm's tlb_gen first (inc_mm_tlb_gen()), as
     * flush_tlb_mm_range() does before it reads mm_cpumask (U11: after).
     */
    int[] flushTargets(TaskState t, XCallSpec x) {
        if (t.xcall.broadcast) return new int[0]; // broadcast in hardware: no IPIs, only this CPU's TLBSYNC
        int mm = cpu.w.mm(t.id);
        infoReadAt = cpu.now;
        return switch (x.flush()) {
            case MUNMAP, MADVISE, EXIT_MMAP -> {
                if (mm < 0) yield new int[0];
                if (!k.unsafe(Kernel.U11)) infoGen = incMmTlbGen(mm);
                int[] targets = nativeFlushTlbMultiTargets(seen().mmCpumask(mm), mm, x.flush() == FlushKind.EXIT_MMAP);
                considerGlobalAsid(mm);
                yield targets;
            }
            case RECLAIM -> {
                batchCpumask.clear();
                batchBroadcast = false;
                for (int m = 0; m < cpu.w.mmCount(); m++) if (scope.tracked(m)) archTlbbatchAddPending(m);
                yield nativeFlushTlbMultiTargets(batchCpumask, -1, false);
            }
            case VMALLOC_PURGE -> cpu.steps.onlineTargets(cpu.onlineView);
        };
    }

    /** arch/x86/include/asm/mmu_context.h: inc_mm_tlb_gen(): the mm's next generation (a stamp of this bump). */
    long incMmTlbGen(int mm) {
        infoBefore = view.mmTlbGen(mm);
        long g = Math.max(cpu.now * GEN_CPUS + cpu.id % GEN_CPUS, lastStamp + GEN_CPUS);
        lastStamp = g;
        view.genSeen(mm, g);
        return g;
    }

    /**
     * arch/x86/mm/tlb.c: arch_tlbbatch_add_pending(): reclaim unmapped pages of {@code mm}: its
     * tlb_gen is bumped and its mm_cpumask joins the batch's (on INVLPGB hardware a global-ASID
     * mm is flushed by broadcast instead, and the batch's flush waits for the TLBSYNC). The model's reclaim pass unmaps from
     * the mms that churn memory (those whose tasks unmap or exit; every user mm when none does).
     */
    void archTlbbatchAddPending(int mm) {
        incMmTlbGen(mm);
        if (cpu.smpCosts.invlpgb && seen().globalAsid(mm)) { // invlpgb_flush_user_nr_nosync(): no IPIs for it
            batchBroadcast = true;
            return;
        }
        batchCpumask.or(seen().mmCpumask(mm));
        if (cpu.mmSet.contains(mm)) batchCpumask.set(cpu.id);
    }

    /**
     * native_flush_tlb_multi()'s choice: every CPU of the mask for freed page tables
     * (on_each_cpu_mask(), lazy ones included; U12 skips them), else those should_flush_tlb()
     * accepts (on_each_cpu_cond_mask()).
     */
    private int[] nativeFlushTlbMultiTargets(BitSet mask, int mm, boolean freedTables) {
        int[] candidates = cpu.steps.onlineTargets(mask);
        boolean cond = !freedTables || k.unsafe(Kernel.U12);
        int n = 0;
        for (int c : candidates) {
            if (!cond || shouldFlushTlb(c, mm)) {
                candidates[n++] = c;
                cpu.probe.tlbFlushSent(cpu, c, mm);
            } else {
                cpu.probe.tlbFlushDeclined(cpu, c, mm);
            }
        }
        lastCandidates = candidates.length;
        return java.util.Arrays.copyOf(candidates, n);
    }

    /** How many CPUs the last decision called cond_func for (for_each_cpu(cpu, mask)). */
    int condCandidates() { return lastCandidates; }

    /**
     * arch/x86/mm/tlb.c: should_flush_tlb(), on the sender, with what it sees of CPU {@code c}:
     * a lazy CPU is flushed at its next switch_mm_irqs_off() instead; a kernel flush (no mm) goes to
     * every other; a user flush to the CPUs whose loaded mm it is.
     */
    boolean shouldFlushTlb(int c, int mm) {
        if (seen().lazy(c)) return false;
        if (mm < 0) return true;
        return seen().loadedMm(c) == mm;
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

    /** The CSD's value for a flush: its tlb_gen and its pages. */
    long csdValue(XCallSpec x) {
        long gen = x.flush() == FlushKind.VMALLOC_PURGE ? 0 : infoGen;
        return gen << PAGE_BITS | Math.min(x.pages(), (1 << PAGE_BITS) - 1);
    }

    /**
     * The flush goes out (the end of the dispatch, before the CSDs are filled): under U11 only now
     * is tlb_gen bumped; the CPUs that get no CSD learn the new generation one transfer latency later.
     */
    void flushDispatched(TaskState t, XCallSpec x, CrossCallState c) {
        if (!scope.any() || c.broadcast || x.flush() == FlushKind.VMALLOC_PURGE) return;
        int mm = cpu.w.mm(t.id);
        if (x.flush() == FlushKind.RECLAIM) {
            for (int m = 0; m < cpu.w.mmCount(); m++) {
                // A global-ASID mm was flushed everywhere by the broadcast: nobody has to catch up.
                if (scope.tracked(m) && !seen().globalAsid(m)) publishGen(m, view.mmTlbGen(m), 0, c, false);
            }
            return;
        }
        if (!scope.tracked(mm)) return;
        if (k.unsafe(Kernel.U11)) infoGen = incMmTlbGen(mm);
        publishGen(mm, infoGen, x.flush() == FlushKind.EXIT_MMAP ? TlbState.FREED : 0, c, true);
    }

    /** The new tlb_gen goes to every other CPU that can hold the mm; {@code c}'s targets are marked (or skipped). */
    private void publishGen(int mm, long gen, int flags, CrossCallState c, boolean skipTargets) {
        int readBefore = (int) Math.min(Integer.MAX_VALUE, cpu.now - infoReadAt);
        int[] targets = c.targets;
        int next = 0; // with targets in CPU order: the first one not below d
        for (int d = 0; d < cpu.ctx.topology.cpus(); d++) {
            if (d == cpu.id || !scope.mmHolder(mm, d)) continue;
            boolean target;
            if (c.sortedTargets) {
                while (next < targets.length && targets[next] < d) next++;
                target = next < targets.length && targets[next] == d;
            } else {
                target = contains(targets, d);
            }
            if (target && skipTargets) continue; // its CSD carries the generation
            cpu.sendAt(cpu.now, MsgKind.TLB_STATE, d, readBefore, TlbState.GEN | flags | (target ? TlbState.TARGET : 0),
                mm, gen, null);
        }
    }

    private static boolean contains(int[] a, int v) {
        for (int x : a) if (x == v) return true;
        return false;
    }

    /** Whether this CPU flushes itself too: it runs the mm (or is in the batch, not lazy), a kernel flush, or INVLPGB's TLBSYNC. */
    boolean flushesLocally(XCallSpec x, CrossCallState c) {
        if (c.broadcast) return true;
        return switch (x.flush()) {
            case VMALLOC_PURGE -> true;
            case RECLAIM -> batchCpumask.get(cpu.id) && !cpu.lazy || batchBroadcast;
            default -> !cpu.lazy && cpu.loadedMm >= 0 && cpu.loadedMm == cpu.w.mm(cpu.current.id);
        };
    }

    /** This CPU's own part of the flush, with IRQs off: flush_tlb_func() here, with the generation rules. */
    long localFlushCost(XCallSpec x, CrossCallState c) {
        if (c.broadcast) return cpu.smpCosts.broadcast;
        return switch (x.flush()) {
            case VMALLOC_PURGE -> fullFlush(x) ? cpu.smpCosts.flushFull : cpu.smpCosts.flushPages(x.pages());
            case RECLAIM -> (batchCpumask.get(cpu.id) && !cpu.lazy ? flushLoadedFull() : 0)
                + (batchBroadcast ? cpu.smpCosts.broadcast : 0); // the global-ASID mms' TLBSYNC
            default -> flushUserGen(cpu.loadedMm, infoGen, infoBefore, fullFlush(x), x.pages());
        };
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
     * arch/x86/kernel/kvm.c: kvm_flush_tlb_multi()'s skip of a preempted vCPU, as the CSD arrives
     * (docs/kernel-model.md#kvm-pv-flush): the host flushes it at its next VM entry instead.
     */
    boolean kvmSkipsPreemptedVcpu(int flush) {
        return flush != CsdFlags.NO_FLUSH && cpu.smpCosts.pvFlush && cpu.inIrq && cpu.runningIrq >= 0
            && cpu.irqs.get(cpu.runningIrq).spec().vcpuPreempted();
    }

    /**
     * arch/x86/mm/tlb.c: flush_tlb_func(): its length. A CPU on another mm leaves that mm's
     * mm_cpumask; a lazy one switches to init_mm; an up-to-date one skips; a ranged flush becomes
     * a full one when this CPU is behind by more than it.
     */
    long flushTlbFunc(SimMessage m) {
        int f = m.arg();
        int flush = CsdFlags.flush(f);
        int mm = m.extra();
        int pages = (int) (m.value() & ((1 << PAGE_BITS) - 1));
        if (flush == CsdFlags.FLUSH_KERNEL_ALL) return CsdFlags.full(f) ? cpu.smpCosts.flushFull : cpu.smpCosts.flushPages(pages);
        long before = view.mmTlbGen(mm);
        if (flush == CsdFlags.FLUSH_USER_COND || flush == CsdFlags.FLUSH_USER_ALL) {
            view.genSeen(mm, m.value() >>> PAGE_BITS);
            if (cpu.loadedMm != mm) { // the CPU was left in the mm_cpumask of the target mm: clear it
                leaveMmCpumask(mm);
                return cpu.smpCosts.flushSkip;
            }
        }
        if (cpu.loadedMm < 0) return cpu.smpCosts.flushSkip;  // init_mm
        if (cpu.lazy) {                                       // switch_mm_irqs_off(NULL, &init_mm, NULL)
            cpu.loadedMm = -1;
            cpu.lazy = false;
            publishState();
            return cpu.smpCosts.flushSkip;
        }
        if (flush == CsdFlags.FLUSH_KERNEL_COND) return flushLoadedFull(); // a reclaim batch: no mm, TLB_GENERATION_INVALID
        return flushUserGen(mm, m.value() >>> PAGE_BITS, before, CsdFlags.full(f), pages);
    }

    /**
     * arch/x86/kvm/x86.c: kvm_vcpu_flush_tlb_guest() at VM entry, for a flush KVM's PV path
     * deferred: the guest's whole TLB, so every mm this CPU holds is covered up to now.
     */
    void kvmVcpuFlushTlbGuest() {
        for (int i = 0, n = cpu.mmSet.size(); i < n; i++) {
            int mm = cpu.mmSet.get(i);
            view.flushed(mm, Math.max(coveredNow(), view.mmTlbGen(mm)), true);
        }
    }

    /** A full flush of the loaded mm's ASID: every bump made before now is covered. */
    private long flushLoadedFull() {
        if (cpu.loadedMm < 0 || cpu.lazy) return cpu.smpCosts.flushSkip;
        view.flushed(cpu.loadedMm, coveredNow(), true);
        view.batchFlushedAt = cpu.now;
        return cpu.smpCosts.flushFull;
    }

    /** A stamp above every tlb_gen bumped up to now (a full flush now covers them all). */
    private long coveredNow() { return cpu.now * GEN_CPUS + GEN_CPUS - 1; }

    /**
     * flush_tlb_func()'s generation rules for mm {@code mm} (loaded here, not lazy) and a flush
     * bumped to {@code gen}: skip when the ASID is already past it; a ranged flush only when it
     * is the one generation this CPU is behind by, else a full one.
     */
    private long flushUserGen(int mm, long gen, long before, boolean full, int pages) {
        long local = view.localTlbGen(mm);
        if (gen <= local && (view.localFull(mm) || gen == local)) return cpu.smpCosts.flushSkip; // already up to date
        // Behind by more: a newer generation is known, or one before this that was not flushed here.
        boolean behindMore = view.mmTlbGen(mm) > gen || before > local;
        if (full || behindMore) {
            view.flushed(mm, Math.max(coveredNow(), view.mmTlbGen(mm)), true);
            return cpu.smpCosts.flushFull;
        }
        if (gen > local) {
            view.flushed(mm, gen, false);
        }
        return cpu.smpCosts.flushPages(pages);
    }

    /** flush_tlb_func(): this CPU is on another mm: it leaves {@code mm}'s mm_cpumask. */
    private void leaveMmCpumask(int mm) {
        if (!cpu.mmSet.contains(mm)) return;
        cpu.mmSet.remove(mm);
        publish(TlbState.LEAVE, mm, 0);
    }

    /**
     * A store of another CPU to the shared TLB state reached this CPU. A plain write of the view
     * (loaded mm and lazy mode, leaving a mask, a global ASID) is buffered, to be applied when an
     * event ordered after it reads the view ({@link #seen}); a new tlb_gen is an event
     * ({@link #onTlbState}): it may find a flush missed. Returns whether it was buffered. A CPU
     * that seldom reads applies, whenever {@link StoreBuffer#LIST} new stores wait, those ordered
     * before its last event (every later event would see them), so the buffer holds the stores
     * still in flight and at most that many more.
     */
    boolean buffered(SimMessage m) {
        int kind = m.arg() & 0xF;
        if (kind == TlbState.GEN) return false;
        if ((m.value() & ~1L) != 0) throw new IllegalStateException("tlb state store " + m + ": value is not 0 or 1");
        long k = EventQueue.orderKey(MsgKind.TLB_STATE, m.src(), m.seq());
        if (stores.add(m.time(), k, StoreBuffer.pack(kind, m.extra(), m.value()))) stores.applyBefore(cpu.eventTime, cpu.eventKey, view);
        return true;
    }

    /**
     * The view as the running event, at (cpu.eventTime, cpu.eventKey), sees it: every buffered
     * store ordered before the event applied, so it reads what it would have read had each store
     * been an event at its own time (docs/kernel-model.md#tlb-state). Applied when the view is
     * read, once per event: most events read nothing of it.
     */
    private TlbState seen() {
        long event = cpu.stats.events;
        if (seenAt != event) {
            seenAt = event;
            stores.applyBefore(cpu.eventTime, cpu.eventKey, view);
        }
        return view;
    }

    /**
     * A new tlb_gen of another CPU becomes visible here. A new tlb_gen this CPU got no CSD for,
     * while it holds the mm: lazy and a plain flush, it is flushed at its next
     * switch_mm_irqs_off(); else the flusher's read of mm_cpumask could not see this CPU's switch,
     * and the ordering of the two sides (the flusher bumps tlb_gen before it reads mm_cpumask,
     * switch_mm_irqs_off() sets the bit before it reads tlb_gen) makes this CPU's read see the new
     * generation: it catches up. What is left is a flush this CPU needed and did not get.
     */
    void onTlbState(SimMessage m) {
        int mm = m.extra();
        long gen = m.value();
        view.genSeen(mm, gen);
        if ((m.arg() & TlbState.TARGET) != 0) {
            // A reclaim batch's generation; its CSD flushes this CPU. Already flushed at this instant: covered.
            if (view.batchFlushedAt == cpu.now && cpu.loadedMm == mm && gen > view.localTlbGen(mm)) view.flushed(mm, gen, true);
            return;
        }
        if (cpu.loadedMm != mm || view.localTlbGen(mm) >= gen) return;
        boolean freed = (m.arg() & TlbState.FREED) != 0;
        if (cpu.lazy && !freed) return; // deferred to the next switch_mm_irqs_off()
        long lat = cpu.ctx.ipi.latency(cpu.id, m.src());
        long sentAt = m.time() - cpu.ctx.ipi.latency(m.src(), cpu.id);
        long readAt = sentAt - m.taskId();
        // A stamp's time: bumps one CPU makes at one instant (a reclaim batch's mms) are stamped
        // 1 ns apart to stay unique, but each precedes the mask read, except under U11.
        long bumpAt = k.unsafe(Kernel.U11) ? gen / GEN_CPUS : Math.min(gen / GEN_CPUS, readAt);
        long since = view.activeSince(mm);
        // At since + lat == readAt the store and the read fall on the same instant: the read may come first.
        if (since + lat >= readAt && since + lat >= bumpAt) {
            view.flushed(mm, Math.max(coveredNow(), gen), true); // switch_mm_irqs_off() read the new tlb_gen
            cpu.probe.tlbFlushDeferred(cpu, mm, 0);
            return;
        }
        cpu.probe.tlbFlushMissed(cpu, mm, gen, freed);
    }

    // ---------------------------------------------------------------- this CPU's TLB state

    /**
     * arch/x86/mm/tlb.c: switch_mm_irqs_off(): a user task loads its mm (setting its mm_cpumask
     * bit, then reading tlb_gen: a generation its ASID has not flushed costs a full flush, the
     * deferred flush of a lazy CPU the flusher skipped); a kthread runs lazily on the old one.
     * Returns the flush's length, part of the context switch.
     */
    long switchMmIrqsOff(int mm) {
        if (mm < 0) {
            enterLazyTlb();
            return 0;
        }
        if (cpu.loadedMm == mm && !cpu.lazy) return 0;
        cpu.loadedMm = mm;
        cpu.lazy = false;
        view.active(mm, cpu.now);
        if (!cpu.mmSet.contains(mm)) cpu.mmSet.add(mm);
        publishState();
        if (view.localTlbGen(mm) >= view.mmTlbGen(mm)) return 0;
        view.flushed(mm, Math.max(coveredNow(), view.mmTlbGen(mm)), true);
        cpu.probe.tlbFlushDeferred(cpu, mm, cpu.smpCosts.flushFull);
        return cpu.smpCosts.flushFull;
    }

    /** arch/x86/mm/tlb.c: enter_lazy_tlb(): the idle task or a kthread keeps the last mm loaded, lazily. */
    void enterLazyTlb() {
        boolean lazy = cpu.loadedMm >= 0;
        if (lazy == cpu.lazy) return;
        cpu.lazy = lazy;
        publishState();
    }

    /**
     * kernel/sched/idle.c: idle_task_exit() on the dead CPU (init_mm), and kernel/cpu.c:
     * clear_tasks_mm_cpumask(): it leaves every mm_cpumask.
     */
    void cpuDead() {
        for (int i = cpu.mmSet.size() - 1; i >= 0; i--) leaveMmCpumask(cpu.mmSet.get(i));
        if (cpu.loadedMm < 0 && !cpu.lazy) return;
        cpu.loadedMm = -1;
        cpu.lazy = false;
        publishState();
    }

    /** Whether a context switch here could change what the others see (for the engine's lookahead). */
    boolean stateMayChange() {
        if (!holder) return false;
        if (cpu.loadedMm >= 0 && !cpu.lazy) return true; // idle or a kthread makes it lazy
        for (int i = 0, n = cpu.held.size(); i < n; i++) {
            int mm = cpu.w.mm(cpu.held.get(i).id);
            if (mm >= 0) return true;
        }
        return false;
    }

    private void publishState() {
        publish(TlbState.STATE, cpu.loadedMm, cpu.lazy ? 1 : 0);
    }

    /** The store leaves now and reaches every CPU a flusher can run on one transfer latency later. */
    private void publish(int kind, int mm, long value) {
        if (!holder) return;
        for (int d : scope.readers()) {
            if (d != cpu.id) cpu.sendAt(cpu.now, MsgKind.TLB_STATE, d, 0, kind, mm, value, null);
        }
    }
}
