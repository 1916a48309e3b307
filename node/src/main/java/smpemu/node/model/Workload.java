package smpemu.node.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import smpemu.config.HostSettings;
import smpemu.config.IrqSpec;
import smpemu.config.Policy;
import smpemu.config.SimSettings;
import smpemu.config.SoftirqVector;
import smpemu.config.TaskSpec;

/**
 * The run's immutable task table: every task instance with its policy, priority, affinity and
 * compiled program, indexed by task id. Built identically on every node from the settings.
 */
public final class Workload {
    private final String[] names;
    private final Policy[] policy;
    private final int[] prio;
    private final int[][] affinity;
    private final Program[] program;
    private final int[] specIndex;
    private final int[] instanceIndex;
    private final Map<String, Integer> ids = new HashMap<>();
    public final PathTable paths = new PathTable();
    /** Path of the context-switch section (rq lock held, IRQs off). */
    public final int schedulePath;
    /** Path of a stopper's section (stop_machine, IRQs off). */
    public final int stopPath;
    /** Path of checker findings on the CSD's remote side. */
    public final int unlockPath;
    /** Where a stale TLB comes from: the flusher's decision that left this CPU out (stale-tlb). */
    public final int staleTlbPath;
    /** Hard-IRQ handlers' call paths, for the irqsoff tracer's sections they open. */
    public final int callFunctionIpiPath, reschedIpiPath, hrtimerPath, tickPath;
    private final int[] mmOf;
    private final int mmCount;
    private boolean crossCalls;
    private boolean scfInvoke;
    /** The locks of workload.locks that some op takes. */
    private final java.util.BitSet usedLocks = new java.util.BitSet();
    /** Which CPUs' TLB state a flusher reads, and where it is sent (Tlb). */
    public final TlbScope tlbScope;
    /** Tasks that a wake op or an interrupt on another CPU may wake: they receive messages. */
    private final java.util.BitSet remoteWakeTargets = new java.util.BitSet();
    /** Per CPU: the device IRQ sources raised on it. */
    private final List<List<IrqSource>> irqsByCpu;
    /**
     * Per softirq vector, the call path of __do_softirq() running it on IRQ exit and in
     * ksoftirqd (docs/kernel-model.md#softirq); null when no source raises softirqs.
     */
    private final int[] softirqPath, ksoftirqdPath;
    /** Per CPU, the host task sharing its pCPU; null when the host never preempts (docs/kernel-model.md#steal). */
    private final HostSettings.HostTask[][] hostTasksOf;

    /** A device interrupt source on one CPU; {@code wakeTask} -1 when it wakes nobody. */
    public record IrqSource(int index, IrqSpec spec, int wakeTask, int pathId, boolean mayWakeRemote) {}

    public Workload(SimSettings s) {
        List<String> n = new ArrayList<>();
        List<Integer> spec = new ArrayList<>(), inst = new ArrayList<>();
        for (int si = 0; si < s.tasks().size(); si++) {
            TaskSpec t = s.tasks().get(si);
            for (int i = 0; i < t.count(); i++) {
                ids.put(t.instanceName(i), n.size());
                n.add(t.instanceName(i));
                spec.add(si);
                inst.add(i);
            }
        }
        schedulePath = paths.id(List.of("__schedule"));
        stopPath = paths.id(List.of("stop_machine", "multi_cpu_stop"));
        unlockPath = paths.id(List.of("generic_smp_call_function_single_interrupt", "csd_unlock"));
        staleTlbPath = paths.id(List.of("flush_tlb_mm_range", "native_flush_tlb_multi", "should_flush_tlb"));
        callFunctionIpiPath = paths.id(List.of("sysvec_call_function_single", "generic_smp_call_function_single_interrupt"));
        reschedIpiPath = paths.id(List.of("sysvec_reschedule_ipi", "scheduler_ipi"));
        hrtimerPath = paths.id(List.of("sysvec_apic_timer_interrupt", "hrtimer_interrupt"));
        tickPath = paths.id(List.of("sysvec_apic_timer_interrupt", "tick_sched_timer"));
        int count = n.size();
        mmOf = new int[count];
        Map<String, Integer> mmIds = new HashMap<>();
        int mms = 0;
        for (int id = 0; id < count; id++) {
            String mm = s.tasks().get(spec.get(id)).mm();
            if (TaskSpec.MM_KERNEL.equals(mm)) {
                mmOf[id] = -1;
            } else if (TaskSpec.MM_PRIVATE.equals(mm)) {
                mmOf[id] = mms++;
            } else {
                Integer known = mmIds.get(mm);
                if (known == null) {
                    known = mms++;
                    mmIds.put(mm, known);
                }
                mmOf[id] = known;
            }
        }
        mmCount = mms;
        names = n.toArray(new String[0]);
        policy = new Policy[count];
        prio = new int[count];
        affinity = new int[count][];
        program = new Program[count];
        specIndex = new int[count];
        instanceIndex = new int[count];
        Program[] compiled = new Program[s.tasks().size()];
        for (int si = 0; si < compiled.length; si++) {
            compiled[si] = ProgramCompiler.compile(s.tasks().get(si).program(), ids, paths,
                s.kernel().preemption(), s.locks(), s.kernel().wakeupNs());
        }
        // Tasks share their affinity arrays: thousands of unbound tasks on a machine of thousands
        // of CPUs would otherwise hold a CPU list each, memory growing as tasks x CPUs.
        java.util.Map<CpuList, int[]> shared = new java.util.HashMap<>();
        for (int id = 0; id < count; id++) {
            TaskSpec t = s.tasks().get(spec.get(id));
            specIndex[id] = spec.get(id);
            instanceIndex[id] = inst.get(id);
            policy[id] = t.policy();
            prio[id] = effectivePriority(t.policy(), t.priority());
            int[] a = t.instanceAffinity(inst.get(id));
            affinity[id] = shared.computeIfAbsent(new CpuList(a), k -> a);
            program[id] = compiled[spec.get(id)];
        }
        for (Program p : compiled) {
            for (int pc = 0; pc < p.length(); pc++) {
                if (p.code[pc] == Program.WAKE) remoteWakeTargets.set(p.target[pc]);
                if (p.code[pc] == Program.XCALL || p.code[pc] == Program.SCF_INVOKE) crossCalls = true;
                if (p.code[pc] == Program.SCF_INVOKE) scfInvoke = true;
                // Lock handoffs are messages between any CPU and the lock's home.
                if (Program.isLock(p.code[pc])) {
                    usedLocks.set(p.target[pc]);
                    crossCalls = true;
                }
            }
        }
        scf = new ScfTorture.Selection(s, paths);
        irqsByCpu = new ArrayList<>();
        for (int c = 0; c < s.topology().cpus(); c++) irqsByCpu.add(new ArrayList<>());
        for (int ii = 0; ii < s.irqs().size(); ii++) {
            IrqSpec irq = s.irqs().get(ii);
            int pathId = paths.id(irq.path());
            for (int c : irq.cpus()) {
                String w = irq.wakeTarget(c);
                int wt = w == null ? -1 : ids.get(w);
                boolean remote = wt >= 0 && !(affinity[wt].length == 1 && affinity[wt][0] == c);
                irqsByCpu.get(c).add(new IrqSource(ii, irq, wt, pathId, remote));
                if (remote) remoteWakeTargets.set(wt);
            }
        }
        hostTasksOf = s.hostPreempts() ? new HostSettings.HostTask[s.topology().cpus()][] : null;
        for (int h = 0; hostTasksOf != null && h < s.host().tasks().size(); h++) {
            HostSettings.HostTask task = s.host().tasks().get(h);
            for (int c : task.cpus()) {
                HostSettings.HostTask[] old = hostTasksOf[c] == null ? new HostSettings.HostTask[0] : hostTasksOf[c];
                hostTasksOf[c] = java.util.Arrays.copyOf(old, old.length + 1);
                hostTasksOf[c][old.length] = task;
            }
        }
        boolean softirqs = s.irqs().stream().anyMatch(q -> q.softirq() != null);
        softirqPath = softirqs ? new int[SoftirqVector.ALL.size()] : null;
        ksoftirqdPath = softirqs ? new int[SoftirqVector.ALL.size()] : null;
        for (int v = 0; softirqs && v < softirqPath.length; v++) {
            String action = SoftirqVector.ALL.get(v).action;
            softirqPath[v] = paths.id(List.of("irq_exit_rcu", "__do_softirq", action));
            ksoftirqdPath[v] = paths.id(List.of("run_ksoftirqd", "__do_softirq", action));
        }
        tlbScope = new TlbScope(this, s);
    }

    /** The host tasks sharing {@code cpu}'s pCPU, in config order (null: none, or the host never preempts). */
    public HostSettings.HostTask[] hostTasks(int cpu) { return hostTasksOf == null ? null : hostTasksOf[cpu]; }

    /** The call path of softirq {@code vector} run on IRQ exit, or in ksoftirqd. */
    int softirqPath(int vector, boolean ksoftirqd) { return (ksoftirqd ? ksoftirqdPath : softirqPath)[vector]; }

    /** RT priorities 1..99 map above every SCHED_OTHER task (which all share 0). */
    public static int effectivePriority(Policy p, int rtPriority) {
        return p.isRealTime() ? 100 + rtPriority : 0;
    }

    public int taskCount() { return names.length; }

    public String name(int id) { return names[id]; }

    public int idOf(String name) { return ids.getOrDefault(name, -1); }

    public Policy policy(int id) { return policy[id]; }

    public int priority(int id) { return prio[id]; }

    public int[] affinity(int id) { return affinity[id]; }

    public boolean allowed(int id, int cpu) {
        return java.util.Arrays.binarySearch(affinity[id], cpu) >= 0;
    }

    public Program program(int id) { return program[id]; }

    /** See {@link Program#minToSendAfterWake()}. */
    public long minToSendAfterWake(int id) { return program[id].minToSendAfterWake(); }

    public int specIndex(int id) { return specIndex[id]; }

    public int instanceIndex(int id) { return instanceIndex[id]; }

    public List<IrqSource> irqs(int cpu) { return irqsByCpu.get(cpu); }

    /** scftorture: the primitives' calls and their cumulative weights (docs/kernel-model.md §7). */
    public final ScfTorture.Selection scf;

    /** The task's mm (address space) id, or -1 for a kernel thread. */
    public int mm(int id) { return mmOf[id]; }

    public int mmCount() { return mmCount; }

    /** Whether some program makes cross-calls or TLB shootdowns (any CPU may then get an IPI). */
    public boolean hasCrossCalls() { return crossCalls; }

    /** The locks some op takes (indices into workload.locks). */
    public java.util.BitSet usedLocks() { return (java.util.BitSet) usedLocks.clone(); }

    /** Whether some program is an scftorture invoker. */
    public boolean hasScfInvoke() { return scfInvoke; }

    /** Task ids that may be woken from another CPU (see the actor engine's receiver set). */
    public int[] remoteWakeTargets() { return remoteWakeTargets.stream().toArray(); }

    /** An affinity array as a map key, compared by content. */
    private record CpuList(int[] cpus) {
        @Override public boolean equals(Object o) { return o instanceof CpuList c && java.util.Arrays.equals(cpus, c.cpus); }

        @Override public int hashCode() { return java.util.Arrays.hashCode(cpus); }
    }
}
