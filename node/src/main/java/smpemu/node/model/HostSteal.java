package smpemu.node.model;

import java.util.HashMap;
import java.util.Map;
import smpemu.config.Dist;
import smpemu.config.HostSettings;
import smpemu.protocol.MsgKind;
import smpemu.protocol.Rng;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * The host under a KVM guest, as this vCPU meets it (docs/kernel-model.md#steal): when the host
 * task sharing its pCPU runs, the vCPU is preempted (steal time) and the guest does not run at
 * all, whatever its IRQ state: an open section goes on, IPIs to it wait. The host scheduler
 * (kernel/sched/fair.c, EEVDF with two runnable entities of equal weight) runs the host task at
 * most one base slice at a time and gives the vCPU a slice back in between, so an episode ends
 * when the burst ends or the slice expires. arch/x86/kernel/kvm.c: kvm_flush_tlb_multi() reads
 * each target's steal_time.preempted: a preempted vCPU gets KVM_VCPU_FLUSH_TLB instead of an IPI,
 * and the host flushes it at its next VM entry.
 *
 * <p>The host's schedule of a vCPU depends on nothing the guest does: it is drawn from its own
 * generator per CPU, so a sender can read a target's preempted flag by running the same schedule
 * (its own copy, moved on with its own clock), on every engine alike.
 */
final class HostSteal {
    /** Stream id of the host schedules' generators (ModelContext's CPU and task streams are 1 and 2). */
    static final long HOST_STREAM = 3;

    /** One vCPU's host schedule: the episodes in which its pCPU runs host threads, in order. */
    static final class Schedule {
        private final Rng rng;
        private final HostSettings.HostTask[] tasks;
        private final long slice;
        /** Per host task: its next wake-up, and its threads' range in backlog. */
        private final long[] nextArrival;
        private final int[] firstThread;
        /** Work left per host thread, and whether it ran in the current round. */
        private final long[] backlog;
        private final boolean[] served;
        /** The current episode [start, end); before the first, both -1. */
        long start = -1, end = -1;

        Schedule(long seed, int cpu, HostSettings.HostTask[] tasks, long slice) {
            this.rng = Rng.forEntity(seed, HOST_STREAM, cpu);
            this.tasks = tasks;
            this.slice = slice;
            this.nextArrival = new long[tasks.length];
            this.firstThread = new int[tasks.length + 1];
            for (int f = 0; f < tasks.length; f++) firstThread[f + 1] = firstThread[f] + tasks[f].threads();
            this.backlog = new long[firstThread[tasks.length]];
            this.served = new boolean[backlog.length];
            for (int f = 0; f < tasks.length; f++) nextArrival[f] = gap(f);
        }

        private long gap(int f) { return Math.max(1, tasks[f].interarrival().sample(rng)); }

        /** The host task that wakes next (the first listed on a tie). */
        private int earliest() {
            int e = 0;
            for (int f = 1; f < tasks.length; f++) if (nextArrival[f] < nextArrival[e]) e = f;
            return e;
        }

        /** Host task {@code f} wakes: each of its threads gets a burst of work. */
        private void arrive(int f) {
            for (int i = firstThread[f]; i < firstThread[f + 1]; i++) backlog[i] += tasks[f].burst().sample(rng);
            nextArrival[f] += gap(f);
        }

        private boolean idle() {
            for (long b : backlog) if (b > 0) return false;
            return true;
        }

        /**
         * The next episode: a host task wakes and preempts the vCPU at once (estimate: EEVDF
         * places a waking task with zero lag and an earlier deadline than a vCPU that has been
         * running); each host thread with work runs in turn until its work is done or its slice
         * expires (host threads and vCPU of equal weight: the vCPU, having just run, is the last
         * to be eligible again), so an episode is at most (threads on this pCPU) x slice. With
         * work left the vCPU then runs one slice before the next episode. Work that arrives
         * meanwhile adds to the threads'.
         */
        void next() {
            long s;
            if (idle()) {
                int f = earliest();
                s = nextArrival[f];
                arrive(f);
            } else {
                s = end + slice;
            }
            for (int f = earliest(); nextArrival[f] <= s; f = earliest()) arrive(f);
            long t = s;
            java.util.Arrays.fill(served, false);
            // A round: every thread with work runs once, one woken during the round included
            // (it is eligible at once, the vCPU is not).
            for (boolean ran = true; ran; ) {
                ran = false;
                for (int i = 0; i < backlog.length; i++) {
                    if (served[i] || backlog[i] == 0) continue;
                    served[i] = ran = true;
                    long cap = t + slice; // thread i runs from t with backlog[i] left, until cap at most
                    for (int f = earliest(); nextArrival[f] < Math.min(t + backlog[i], cap); f = earliest()) {
                        backlog[i] -= nextArrival[f] - t;
                        t = nextArrival[f];
                        arrive(f);
                    }
                    long e = Math.min(t + backlog[i], cap);
                    backlog[i] = t + backlog[i] - e;
                    t = e;
                }
            }
            start = s;
            end = t;
        }

        /** Moves past the episodes that ended by {@code t}. */
        void advanceTo(long t) {
            while (end <= t) next();
        }
    }

    private final PerCpu cpu;
    /** This vCPU's own schedule (null: its pCPU runs no host task, or the host never preempts). */
    private final Schedule own;
    /** KVM's PV TLB flush is in use (kernel.smp.pv-tlb-flush without KVM_HINTS_REALTIME). */
    private final boolean pvFlush;
    /** The sender's copies of the targets' schedules, made on the first flush to each. */
    private final Map<Integer, Schedule> seen = new HashMap<>();
    /** End of the episode this vCPU is in or was last in, and of the last one a deferred flush was charged to. */
    private long episodeEnd = -1;
    private long flushedEpisode = -1;

    HostSteal(PerCpu cpu) {
        this.cpu = cpu;
        this.pvFlush = cpu.smpCosts.pvFlush;
        HostSettings.HostTask[] tasks = cpu.w.hostTasks(cpu.id);
        this.own = tasks == null ? null : schedule(cpu.id, tasks);
    }

    private Schedule schedule(int vcpu, HostSettings.HostTask[] tasks) {
        return new Schedule(cpu.ctx.settings.seed(), vcpu, tasks, cpu.ctx.settings.host().baseSliceNs());
    }

    /** Arms the first episode (at the run's start). */
    void start() {
        if (own == null) return;
        own.next();
        cpu.q.add(own.start, cpu.key(PerCpu.EV_STEAL), -1, 0, null);
    }

    /**
     * An episode of the schedule begins: the vCPU is preempted until it ends (less whatever of it
     * an SMI already took), and the next one is armed. Steal time counts it up to the run's end.
     */
    void onEpisode() {
        long len = own.end - cpu.now;
        if (len > 0 && !cpu.offline) {
            episodeEnd = own.end;
            cpu.freeze(len);
            cpu.stats.stealNs += Math.min(own.end, cpu.ctx.durationNs) - cpu.now; // within the run
            cpu.probe.hostPreempted(cpu, len);
        }
        own.next();
        // An SMI that outlasted the episode may have taken the next one's start too: never arm in the past.
        cpu.q.add(Math.max(own.start, cpu.now), cpu.key(PerCpu.EV_STEAL), -1, 0, null);
    }

    /**
     * arch/x86/kernel/kvm.c: kvm_flush_tlb_multi()'s test of {@code target}'s steal_time.preempted,
     * on the sender: true when the target is preempted now and still is when the flag store
     * reaches it (the cmpxchg that sets KVM_VCPU_FLUSH_TLB would fail otherwise, and the target
     * gets its IPI).
     */
    boolean pvFlushSkips(int target) {
        if (!pvFlush) return false;
        HostSettings.HostTask[] tasks = cpu.w.hostTasks(target);
        if (tasks == null) return false;
        Schedule s = seen.computeIfAbsent(target, v -> schedule(v, tasks));
        s.advanceTo(cpu.now);
        return s.start <= cpu.now && cpu.now + cpu.ctx.ipi.latency(cpu.id, target) < s.end;
    }

    /**
     * The target is left out of the IPIs (kvm_flush_tlb_multi() clears it from the mask): its
     * CSD is released here at once, and the KVM_VCPU_FLUSH_TLB store goes to it, to be flushed
     * at its VM entry.
     */
    void deferFlush(TaskState t, int target, int flags, int mm, long pages) {
        cpu.sendAt(cpu.now, MsgKind.CSD_PUSH, target, t.id, flags | CsdFlags.PV_DEFERRED, mm, pages, null);
        SimMessage released = new SimMessage(cpu.now, MsgKind.CSD_UNLOCK, target, 0, cpu.id, t.id, target, flags, 0, null);
        cpu.q.add(cpu.now, cpu.key(MsgKind.CSD_UNLOCK), t.id, target, released);
    }

    /**
     * arch/x86/kvm/x86.c: record_steal_time() on VM entry finds KVM_VCPU_FLUSH_TLB and flushes
     * the guest's TLB (kvm_vcpu_flush_tlb_guest()) before the vCPU runs: a full flush, once per
     * episode however many flushes were deferred, while the guest still does not run.
     */
    void flushAtVmEntry() {
        if (flushedEpisode == episodeEnd) return;
        flushedEpisode = episodeEnd;
        cpu.tlb.kvmVcpuFlushTlbGuest();
        long len = cpu.smpCosts.flushFull;
        cpu.freeze(len);
        cpu.stats.stealNs += len;
        cpu.stats.pvFlushesAtEntry++;
        cpu.probe.hostPreempted(cpu, len);
    }
}
