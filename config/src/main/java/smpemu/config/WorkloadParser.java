package smpemu.config;

import static smpemu.config.ConfigReader.intIn;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * workload.locks, workload.tasks and workload.irqs. Tasks come first among those that name
 * tasks: wake ops and IRQ {@code wakes} name task
 * instances, which are only all known once every task family has been read.
 */
final class WorkloadParser {

    record Workload(List<TaskSpec> tasks, List<IrqSpec> irqs, List<LockSpec> locks) {}

    private static final List<String> TASK_KEYS =
        List.of("name", "policy", "priority", "nice", "affinity", "count", "per-cpu", "mm", "program");
    private static final List<String> LOCK_KEYS = List.of("name", "home", "raw");
    private static final List<String> IRQ_KEYS = List.of("name", "cpus", "interarrival", "handler", "wakes", "path", "vcpu-preempted", "smi",
        "kind", "softirq");
    private static final List<String> SOFTIRQ_KEYS = List.of("vector", "work", "units");
    /** Keeps the instance-name check (and the engine's per-task state) to a sane size. */
    private static final int MAX_COUNT = 1_000_000;

    private final int cpus;
    /** Instance name -> path of the task family that defines it. */
    private final Map<String, String> instances = new HashMap<>();
    /** The names workload.locks gives (each once, whether or not the rest of its entry is valid). */
    private final Set<String> lockNames = new HashSet<>();
    private final ProgramParser programs;

    private WorkloadParser(int cpus) {
        this.cpus = cpus;
        this.programs = new ProgramParser(cpus);
    }

    /** Reads the workload of a machine with {@code cpus} CPUs; null after recording errors. */
    static Workload parse(ConfigReader w, int cpus) {
        WorkloadParser p = new WorkloadParser(cpus);
        int mark = w.mark();
        List<LockSpec> locks = p.locks(w);
        List<TaskSpec> tasks = p.tasks(w);
        p.checkWakeOps();
        p.checkLockOps();
        List<IrqSpec> irqs = p.irqs(w);
        return w.cleanSince(mark) ? new Workload(tasks, irqs, locks) : null;
    }

    private List<LockSpec> locks(ConfigReader w) {
        List<ConfigReader> items = w.objects("locks");
        List<LockSpec> locks = new ArrayList<>();
        if (items != null) for (ConfigReader l : items) locks.add(lock(l));
        return locks;
    }

    private LockSpec lock(ConfigReader l) {
        int mark = l.mark();
        l.checkKeys(LOCK_KEYS);
        String name = l.get("name", ConfigReader.NAME);
        if (name != null && !lockNames.add(name)) l.reject("name", "is already the name of another lock");
        Integer home = l.get("home", intIn(0, cpus - 1), 0);
        Boolean raw = l.get("raw", ConfigReader.BOOLEAN, false);
        return l.cleanSince(mark) ? new LockSpec(name, home, raw) : null;
    }

    /** Every lock op names a lock of workload.locks (one with a bad name already has its own error). */
    private void checkLockOps() {
        for (ProgramParser.LockRef ref : programs.locks()) {
            if (lockNames.contains(ref.lock())) continue;
            String hint = ConfigReader.closest(ref.lock(), lockNames).map(s -> "; did you mean \"" + s + "\"?").orElse("");
            ref.op().reject("lock", "is not a lock of workload.locks (allowed: "
                + (lockNames.isEmpty() ? "none are declared" : String.join(", ", new java.util.TreeSet<>(lockNames))) + hint + ")");
        }
    }

    private List<TaskSpec> tasks(ConfigReader w) {
        List<ConfigReader> items = w.objects("tasks");
        List<TaskSpec> tasks = new ArrayList<>();
        if (items != null) for (ConfigReader t : items) tasks.add(task(t));
        return tasks;
    }

    private TaskSpec task(ConfigReader t) {
        int mark = t.mark();
        t.checkKeys(TASK_KEYS);
        String name = t.get("name", ConfigReader.NAME);
        Policy policy = t.get("policy", ConfigReader.choice(Policy.class), Policy.OTHER);
        Integer priority = priority(t, policy);
        Integer nice = t.get("nice", intIn(-20, 19), 0);
        int[] affinity = t.get("affinity", CpuListParser.cpuList(cpus), CpuListParser.all(cpus));
        Integer count = t.get("count", intIn(1, MAX_COUNT), 1);
        Boolean perCpu = t.get("per-cpu", ConfigReader.BOOLEAN, false);
        String mm = t.get("mm", ConfigReader.NAME, TaskSpec.MM_PRIVATE);
        List<Op> program = programs.program(t, "program");
        if (name != null && count != null) addInstances(t, name, count);
        if (!t.cleanSince(mark)) return null;
        return new TaskSpec(name, policy, priority, nice, affinity, count, perCpu, mm, program);
    }

    /** Real-time policies need a priority 1..99; SCHED_OTHER has none (sched(7): it is 0). */
    private static Integer priority(ConfigReader t, Policy policy) {
        if (policy != null && policy.isRealTime()) {
            if (!t.has("priority")) {
                t.error("priority", "missing (required for policy fifo and rr: 1..99)");
                return null;
            }
            return t.get("priority", intIn(1, 99));
        }
        Integer priority = t.get("priority", intIn(Integer.MIN_VALUE, Integer.MAX_VALUE), 0);
        if (policy != null && priority != null && priority != 0) {
            t.reject("priority", "must be 0 or absent for policy other (only fifo and rr have priorities)");
            return null;
        }
        return priority;
    }

    /** Same naming rule as {@link TaskSpec#instanceName}; the spec does not exist yet here. */
    private void addInstances(ConfigReader t, String name, int count) {
        for (int i = 0; i < count; i++) {
            String instance = count == 1 ? name : name + "-" + i;
            String owner = instances.putIfAbsent(instance, t.path());
            if (owner != null) {
                t.reject("name", "gives the instance name \"" + instance + "\", which " + owner + " already uses");
                return;
            }
        }
    }

    private void checkWakeOps() {
        for (ProgramParser.WakeRef ref : programs.wakes()) {
            if (!instances.containsKey(ref.task())) ref.op().reject("task", notAnInstance(ref.task()));
        }
    }

    private String notAnInstance(String name) {
        return "is not a task instance" + ConfigReader.closest(name, instances.keySet())
            .map(s -> " (did you mean \"" + s + "\"?)").orElse("");
    }

    private List<IrqSpec> irqs(ConfigReader w) {
        List<ConfigReader> items = w.objects("irqs");
        List<IrqSpec> irqs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        if (items != null) for (ConfigReader q : items) irqs.add(irq(q, names));
        return irqs;
    }

    private IrqSpec irq(ConfigReader q, Set<String> names) {
        int mark = q.mark();
        q.checkKeys(IRQ_KEYS);
        String name = q.get("name", ConfigReader.NAME);
        if (name != null && !names.add(name)) q.reject("name", "is already the name of another irq");
        int[] irqCpus = q.get("cpus", CpuListParser.cpuList(cpus));
        Dist interarrival = DistParser.parse(q, "interarrival", true);
        IrqKind kind = q.get("kind", ConfigReader.choice(IrqKind.class), IrqKind.DEVICE);
        Dist handler = q.has("handler") ? DistParser.parse(q, "handler", false)
            : new Dist.Constant((kind == null ? IrqKind.DEVICE : kind).defaultHandlerNs);
        String wakes = q.has("wakes") ? q.get("wakes", ConfigReader.STRING) : null;
        List<String> path = ProgramParser.callPath(q, name == null ? null : List.of("irq", name));
        Boolean vcpu = q.get("vcpu-preempted", ConfigReader.BOOLEAN, false);
        Boolean smi = q.get("smi", ConfigReader.BOOLEAN, false);
        SoftirqSpec softirq = q.has("softirq") ? softirq(q) : null;
        if (softirq != null && (Boolean.TRUE.equals(smi) || Boolean.TRUE.equals(vcpu))) {
            q.reject("softirq", "is not allowed with smi or vcpu-preempted (no kernel handler runs to raise it)");
        }
        if (Boolean.TRUE.equals(smi)) {
            // SMM runs firmware, not the kernel: no handler of ours runs, so nothing is woken.
            if (wakes != null) q.reject("wakes", "is not allowed with smi = true (an SMI runs no kernel handler)");
            if (Boolean.TRUE.equals(vcpu)) q.reject("smi", "is not allowed with vcpu-preempted = true (choose one)");
        }
        if (!q.cleanSince(mark)) return null;
        IrqSpec spec = new IrqSpec(name, irqCpus, interarrival, handler, wakes, path, vcpu, smi, kind, softirq);
        for (int cpu : irqCpus) {
            String target = spec.wakeTarget(cpu);
            if (target != null && !instances.containsKey(target)) {
                q.reject("wakes", "names \"" + target + "\" for CPU " + cpu + ", which " + notAnInstance(target));
                return null;
            }
        }
        return spec;
    }

    /** irqs[i].softirq = {vector, work, units}: what the handler leaves to its softirq. */
    private static SoftirqSpec softirq(ConfigReader q) {
        ConfigReader s = q.object("softirq");
        if (s == null) return null;
        int mark = s.mark();
        s.checkKeys(SOFTIRQ_KEYS);
        SoftirqVector vector = s.get("vector", ConfigReader.choice(SoftirqVector.class));
        Dist work = DistParser.parse(s, "work", false);
        Integer units = s.get("units", intIn(1, 1_000_000), 1);
        return s.cleanSince(mark) ? new SoftirqSpec(vector, work, units) : null;
    }
}
