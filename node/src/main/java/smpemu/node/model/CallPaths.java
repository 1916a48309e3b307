package smpemu.node.model;

import java.util.ArrayList;
import java.util.List;
import smpemu.config.Op;

/** The kernel call chains of the cross-call and shootdown entry points, for the tracer. */
final class CallPaths {
    private CallPaths() {}

    private static final String MANY_COND = "smp_call_function_many_cond";
    private static final String WAIT = "csd_lock_wait";

    /** The chain from the caller's path down to where the CSDs are dispatched. */
    static List<String> dispatch(List<String> caller, Op.CallKind call, Op.FlushKind flush) {
        List<String> p = new ArrayList<>(caller);
        if (flush != null) {
            switch (flush) {
                case MUNMAP, MADVISE, EXIT_MMAP -> p.addAll(List.of("flush_tlb_mm_range", "native_flush_tlb_multi", "on_each_cpu_cond_mask"));
                case RECLAIM -> p.addAll(List.of("arch_tlbbatch_flush", "native_flush_tlb_multi", "on_each_cpu_cond_mask"));
                case VMALLOC_PURGE -> p.addAll(List.of("flush_tlb_kernel_range", "on_each_cpu_cond_mask"));
            }
            p.add(MANY_COND);
            return p;
        }
        switch (call) {
            case SINGLE -> p.add("smp_call_function_single");
            case SINGLE_ASYNC -> p.add("smp_call_function_single_async");
            case ANY -> p.addAll(List.of("smp_call_function_any", "smp_call_function_single"));
            case MANY -> p.addAll(List.of("smp_call_function_many", MANY_COND));
            case ALL -> p.addAll(List.of("smp_call_function", MANY_COND));
            default -> p.addAll(List.of("on_each_cpu_cond_mask", MANY_COND));
        }
        return p;
    }

    /** The same chain ending in the wait for the remote CPUs. */
    static List<String> waiting(List<String> caller, Op.CallKind call, Op.FlushKind flush) {
        List<String> p = dispatch(caller, call, flush);
        p.add(WAIT);
        return p;
    }

    /** A shootdown that found no other CPU in the mask: a local flush with IRQs off. */
    static List<String> local(List<String> caller, Op.FlushKind flush) {
        List<String> p = new ArrayList<>(caller);
        p.add(flush == Op.FlushKind.RECLAIM ? "arch_tlbbatch_flush"
            : flush == Op.FlushKind.VMALLOC_PURGE ? "flush_tlb_kernel_range" : "flush_tlb_mm_range");
        p.add("flush_tlb_func");
        return p;
    }
}
