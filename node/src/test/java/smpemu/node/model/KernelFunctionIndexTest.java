package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A search by kernel function name lands in the model of that function: each modelled function
 * is a method under its camelCase name whose Javadoc starts by naming the C function and file.
 */
class KernelFunctionIndexTest {
    private static final Path SOURCES = Path.of("src/main/java/smpemu/node/model");

    @ParameterizedTest(name = "{0}: {1}() in {2}")
    @CsvSource({
        "kernel/smp.c, smp_call_function_single, Smp", "kernel/smp.c, smp_call_function_any, Smp",
        "kernel/smp.c, smp_call_function_many_cond, Smp", "kernel/smp.c, smp_call_function, Smp",
        "kernel/smp.c, on_each_cpu_cond_mask, Smp", "kernel/smp.c, generic_exec_single, Smp",
        "kernel/smp.c, csd_lock, CallSteps", "kernel/smp.c, csd_lock_wait, Smp",
        "kernel/smp.c, smpcfd_prepare_cpu, Smp", "kernel/smp.c, smpcfd_dying_cpu, Smp", "kernel/smp.c, smpcfd_dead_cpu, Smp",
        "kernel/smp.c, generic_smp_call_function_single_interrupt, Smp",
        "kernel/smp.c, __flush_smp_call_function_queue, Smp", "kernel/smp.c, csd_do_func, Smp",
        "kernel/smp.c, csd_unlock, Smp", "kernel/smp.c, csd_lock_wait_toolong, Smp",
        "arch/x86/mm/tlb.c, flush_tlb_mm_range, Tlb", "arch/x86/mm/tlb.c, native_flush_tlb_multi, Tlb",
        "arch/x86/mm/tlb.c, should_flush_tlb, Tlb", "arch/x86/mm/tlb.c, flush_tlb_func, Tlb",
        "arch/x86/mm/tlb.c, flush_tlb_kernel_range, Tlb", "arch/x86/mm/tlb.c, arch_tlbbatch_flush, Tlb",
        "arch/x86/mm/tlb.c, get_flush_tlb_info, Tlb", "arch/x86/mm/tlb.c, put_flush_tlb_info, Tlb",
        "arch/x86/mm/tlb.c, switch_mm_irqs_off, Tlb", "arch/x86/mm/tlb.c, enter_lazy_tlb, Tlb",
        "arch/x86/kernel/kvm.c, kvm_flush_tlb_multi, Tlb",
        "kernel/sched/core.c, __schedule, SchedCore", "kernel/sched/core.c, try_to_wake_up, SchedCore",
        "kernel/sched/core.c, resched_cpu, SchedCore", "kernel/sched/core.c, sched_tick, SchedCore",
        "kernel/sched/core.c, preempt_schedule_irq, SchedCore",
        "kernel/cpu.c, take_cpu_down, CpuHotplug", "kernel/cpu.c, cpu_up, CpuHotplug",
        "kernel/stop_machine.c, stop_machine, StopMachine", "kernel/stop_machine.c, multi_cpu_stop, StopMachine",
        "kernel/scftorture.c, scftorture_invoke_one, ScfTorture",
        "kernel/trace/trace_irqsoff.c, start_critical_timing, TraceIrqsoff",
        "kernel/trace/trace_irqsoff.c, stop_critical_timing, TraceIrqsoff",
        "kernel/locking/qspinlock.c, queued_spin_lock_slowpath, Qspinlock",
        "include/asm-generic/qspinlock.h, queued_spin_lock, Qspinlock",
        "include/asm-generic/qspinlock.h, queued_spin_unlock, Qspinlock",
        "include/linux/spinlock_api_smp.h, __raw_spin_lock, Qspinlock",
        "include/linux/spinlock_api_smp.h, __raw_spin_unlock, Qspinlock",
        "kernel/softirq.c, raise_softirq, Softirq", "kernel/softirq.c, invoke_softirq, Softirq",
        "kernel/softirq.c, __do_softirq, Softirq", "kernel/softirq.c, wakeup_softirqd, Softirq",
        "kernel/softirq.c, run_ksoftirqd, Softirq",
    })
    void theFunctionIsModelledUnderItsName(String file, String function, String javaFile) throws IOException {
        String src = Files.readString(SOURCES.resolve(javaFile + ".java"));
        String camel = camel(function);
        Pattern doc = Pattern.compile("/\\*\\*\\s*(\\*\\s*)?" + Pattern.quote(file) + ": " + Pattern.quote(function)
            + "\\(\\)(?:(?!\\*/).)*\\*/\\s*(@\\w+\\s*)*[\\w<>\\[\\] ]*\\b" + Pattern.quote(camel) + "\\(", Pattern.DOTALL);
        assertTrue(doc.matcher(src).find(), javaFile + ".java has no method " + camel + "() documented as " + file + ": " + function + "()");
    }

    /** __flush_smp_call_function_queue -> flushSmpCallFunctionQueue; __schedule -> schedule; sched_tick -> schedulerTick (its older name). */
    private static String camel(String c) {
        if (c.equals("sched_tick")) return "schedulerTick";
        String[] parts = c.replaceFirst("^_+", "").split("_");
        StringBuilder b = new StringBuilder(parts[0]);
        Stream.of(parts).skip(1).forEach(p -> b.append(Character.toUpperCase(p.charAt(0))).append(p.substring(1)));
        return b.toString();
    }
}
