package smpemu.config;

import static smpemu.config.ConfigReader.duration;
import static smpemu.config.ConfigReader.intIn;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Task programs: lists of {@code {op = ...}} objects, loops nested to any depth. Wake targets
 * can only be checked once every task is known, so they are collected here for the caller.
 */
final class ProgramParser {

    /** A wake op's target, with the op it came from for the error line. */
    record WakeRef(ConfigReader op, String task) {}

    /** A lock op's lock name, checked against workload.locks once the programs are read. */
    record LockRef(ConfigReader op, String lock) {}

    private enum Kind {
        COMPUTE("duration"), KERNEL("duration", "path"), PREEMPT_OFF("duration", "path", "raw"),
        IRQ_OFF("duration", "path"), SPIN_LOCK("lock", "duration", "path"),
        SPIN_LOCK_IRQSAVE("lock", "duration", "path", "raw"), BH_OFF("duration", "path"),
        SLEEP("duration"), BLOCK, WAKE("task"), YIELD, COND_RESCHED,
        LOOP("count", "body"), PERIODIC("period", "work"),
        SMP_CALL("call", "wait", "cpus", "func", "path", "under-lock"),
        MUNMAP("pages", "path", "under-lock"), MADVISE("pages", "path", "under-lock"),
        EXIT_MMAP("path", "under-lock"), RECLAIM("path", "under-lock"),
        VMALLOC_PURGE("pages", "path", "under-lock"), SCF_INVOKE;

        final List<String> keys;

        Kind(String... keys) { this.keys = Stream.concat(Stream.of("op"), Stream.of(keys)).toList(); }
    }

    private final List<WakeRef> wakes = new ArrayList<>();
    private final List<LockRef> locks = new ArrayList<>();
    private final int cpus;

    ProgramParser(int cpus) { this.cpus = cpus; }

    List<WakeRef> wakes() { return wakes; }

    List<LockRef> locks() { return locks; }

    /** The required non-empty list of ops at {@code key}, or null after recording errors. */
    List<Op> program(ConfigReader r, String key) {
        int mark = r.mark();
        List<ConfigReader> items = r.objects(key);
        if (items == null) return null;
        if (items.isEmpty()) r.reject(key, "is empty (give at least one op)");
        List<Op> ops = new ArrayList<>(items.size());
        for (ConfigReader item : items) ops.add(op(item));
        return r.cleanSince(mark) ? List.copyOf(ops) : null;
    }

    /** A kernel call path (outermost function first); {@code dflt} when absent. */
    static List<String> callPath(ConfigReader r, List<String> dflt) {
        if (!r.has("path")) return dflt;
        List<String> path = r.list("path", ConfigReader.STRING);
        if (path != null && path.isEmpty()) {
            r.reject("path", "is empty (give at least one function name)");
            return null;
        }
        return path == null ? null : List.copyOf(path);
    }

    /** One op; may hold nulls when it had errors, which program() then discards. */
    private Op op(ConfigReader o) {
        Kind kind = o.get("op", ConfigReader.choice(Kind.class));
        if (kind == null) return null;
        o.checkKeys(kind.keys);
        return switch (kind) {
            case COMPUTE -> new Op.Compute(DistParser.parse(o, "duration", false));
            case KERNEL -> new Op.Kernel(DistParser.parse(o, "duration", false), callPath(o, List.of("kernel")));
            case PREEMPT_OFF -> preemptOff(o);
            case IRQ_OFF -> new Op.IrqOff(DistParser.parse(o, "duration", false),
                callPath(o, List.of("local_irq_disable")));
            case SPIN_LOCK -> spinLock(o, false, "_raw_spin_lock");
            case SPIN_LOCK_IRQSAVE -> o.has("lock") ? spinLock(o, true, "_raw_spin_lock_irqsave") : spinLockIrqsave(o);
            case BH_OFF -> new Op.BhOff(DistParser.parse(o, "duration", false), callPath(o, List.of("local_bh_disable")));
            case SLEEP -> new Op.Sleep(DistParser.parse(o, "duration", false));
            case BLOCK -> new Op.Block();
            case WAKE -> wake(o);
            case YIELD -> new Op.Yield();
            case COND_RESCHED -> new Op.CondResched();
            case LOOP -> loop(o);
            case PERIODIC -> periodic(o);
            case SMP_CALL -> crossCall(o);
            case MUNMAP -> flush(o, Op.FlushKind.MUNMAP, "__x64_sys_munmap", "__vm_munmap", "unmap_region", "tlb_finish_mmu");
            case MADVISE -> flush(o, Op.FlushKind.MADVISE, "__x64_sys_madvise", "madvise_dontneed_single_vma", "zap_page_range_single", "tlb_finish_mmu");
            case EXIT_MMAP -> flush(o, Op.FlushKind.EXIT_MMAP, "do_exit", "exit_mmap", "tlb_finish_mmu");
            case RECLAIM -> flush(o, Op.FlushKind.RECLAIM, "shrink_folio_list", "try_to_unmap_flush");
            case VMALLOC_PURGE -> flush(o, Op.FlushKind.VMALLOC_PURGE, "__purge_vmap_area_lazy");
            case SCF_INVOKE -> new Op.ScfInvoke();
        };
    }

    private static Op preemptOff(ConfigReader o) {
        Dist duration = DistParser.parse(o, "duration", false);
        List<String> path = callPath(o, List.of("preempt_disable"));
        Boolean raw = o.get("raw", ConfigReader.BOOLEAN, false);
        return raw == null ? null : new Op.PreemptOff(duration, path, raw);
    }

    private static Op spinLockIrqsave(ConfigReader o) {
        Dist duration = DistParser.parse(o, "duration", false);
        List<String> path = callPath(o, List.of("_raw_spin_lock_irqsave"));
        Boolean raw = o.get("raw", ConfigReader.BOOLEAN, false);
        return raw == null ? null : new Op.SpinLockIrqsave(duration, path, raw);
    }

    /** A named lock's op; whether the lock is raw is the lock's own setting (workload.locks). */
    private Op spinLock(ConfigReader o, boolean irqsave, String defaultPath) {
        if (o.has("raw")) o.reject("raw", "is not allowed with lock (a named lock's raw is set in workload.locks)");
        String lock = o.get("lock", ConfigReader.NAME);
        Dist duration = DistParser.parse(o, "duration", false);
        List<String> path = callPath(o, List.of(defaultPath));
        if (lock == null || duration == null || path == null) return null;
        locks.add(new LockRef(o, lock));
        return new Op.SpinLock(lock, duration, path, irqsave);
    }

    private Op wake(ConfigReader o) {
        String task = o.get("task", ConfigReader.STRING);
        if (task == null) return null;
        wakes.add(new WakeRef(o, task));
        return new Op.Wake(task);
    }

    private Op loop(ConfigReader o) {
        // No count means forever, which Op.Loop spells as a negative count.
        Integer count = o.get("count", intIn(1, Integer.MAX_VALUE), -1);
        List<Op> body = program(o, "body");
        return count == null || body == null ? null : new Op.Loop(count, body);
    }

    private static Op periodic(ConfigReader o) {
        Long period = o.get("period", duration(true));
        Dist work = DistParser.parse(o, "work", false);
        return period == null ? null : new Op.Periodic(period, work);
    }

    private Op crossCall(ConfigReader o) {
        Op.CallKind call = o.get("call", ConfigReader.choice(Op.CallKind.class));
        Boolean wait = o.get("wait", ConfigReader.BOOLEAN, true);
        int[] targets = o.get("cpus", CpuListParser.cpuList(cpus), null);
        Dist func = o.has("func") ? DistParser.parse(o, "func", false) : new Dist.Constant(1_000);
        List<String> path = callPath(o, List.of("smp_call"));
        Boolean underLock = o.get("under-lock", ConfigReader.BOOLEAN, false);
        if (call == Op.CallKind.SINGLE_ASYNC && Boolean.TRUE.equals(wait) && o.has("wait")) {
            o.error("wait", "true is not allowed for call single-async (it never waits)");
        }
        if (call == null || wait == null || func == null || path == null || underLock == null) return null;
        return new Op.CrossCall(call, wait && call != Op.CallKind.SINGLE_ASYNC, targets, func, path, underLock);
    }

    private static Op flush(ConfigReader o, Op.FlushKind kind, String... defaultPath) {
        Integer pages = o.get("pages", intIn(1, 1 << 20), 1);
        List<String> path = callPath(o, List.of(defaultPath));
        Boolean underLock = o.get("under-lock", ConfigReader.BOOLEAN, false);
        return pages == null || path == null || underLock == null ? null : new Op.TlbFlush(kind, pages, path, underLock);
    }
}
