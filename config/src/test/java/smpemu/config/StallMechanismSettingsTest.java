package smpemu.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The settings of the stall mechanisms (docs/costs.md#building-blocks-for-stalls): IRQ kinds,
 * softirqs and their budgets, the ksoftirqd threads they add, the host's tasks and KVM's hints.
 */
class StallMechanismSettingsTest {
    private static final String NIC = "{name = nic, kind = nic, cpus = \"0-1\", interarrival = 100us,"
        + " softirq = {vector = net-rx, units = 64, work = 2us}}";

    private static SimSettings load(String hocon) {
        return SettingsLoader.fromUserLayer(ConfigFactory.parseString(hocon));
    }

    private static List<String> errorsOf(String hocon) {
        return assertThrows(ConfigException.class, () -> load(hocon)).errors();
    }

    private static void assertError(List<String> errors, String line) {
        assertTrue(errors.contains(line), () -> "no \"" + line + "\" in:\n" + String.join("\n", errors));
    }

    @Test
    void aSoftirqSourceAddsOneKsoftirqdThreadPerCpuAfterTheWorkloadsTasks() {
        SimSettings s = load("smpemu.workload { tasks = [{name = t, program = [{op = compute, duration = 1us}]}], irqs = [" + NIC + "] }");
        List<String> names = s.tasks().stream().map(TaskSpec::name).toList();
        assertEquals(List.of("t", "ksoftirqd/0", "ksoftirqd/1"), names);
        TaskSpec k = s.tasks().get(2);
        assertEquals(Policy.OTHER, k.policy());
        assertEquals(TaskSpec.MM_KERNEL, k.mm());
        assertEquals(1, k.affinity()[0]);
        IrqSpec nic = s.irqs().get(0);
        assertEquals(IrqKind.NIC, nic.kind());
        assertEquals(new Dist.Constant(1_000), nic.handler(), "a nic's default handler time");
        assertEquals(new SoftirqSpec(SoftirqVector.NET_RX, new Dist.Constant(2_000), 64), nic.softirq());
        assertEquals(new SoftirqSettings(2_000_000, 10, 300, 2_000_000), s.kernel().softirq(), "kernel/softirq.c's and net.core's defaults");
    }

    @Test
    void withoutSoftirqsNothingIsAdded() {
        SimSettings s = load("smpemu.workload.irqs = [{name = disk, kind = disk, cpus = \"0\", interarrival = 1ms}]");
        assertEquals(List.of(), s.tasks());
        assertEquals(new Dist.Constant(3_000), s.irqs().get(0).handler());
    }

    @Test
    void badSoftirqsAreNamedWithTheirValueAndWhatIsAllowed() {
        List<String> e = errorsOf("smpemu.workload.irqs = [{name = nic, kind = router, cpus = \"0\", interarrival = 1ms,"
            + " softirq = {vector = net-rxx, units = 0, work = 2us, budget = 3}}]");
        assertError(e, "workload.irqs[0].kind: \"router\" is not one of device, nic, disk, timer");
        assertError(e, "workload.irqs[0].softirq.vector: \"net-rxx\" is not one of hi, timer, net-tx, net-rx, block,"
            + " irq-poll, tasklet, sched, hrtimer, rcu");
        assertTrue(e.stream().anyMatch(l -> l.startsWith("workload.irqs[0].softirq.units: 0 ")), String.join("\n", e));
        assertTrue(e.stream().anyMatch(l -> l.startsWith("smpemu.workload.irqs[0].softirq.budget: unknown key")), String.join("\n", e));
        assertError(errorsOf("smpemu.workload.irqs = [{name = f, cpus = \"0\", interarrival = 1ms, smi = true,"
            + " softirq = {vector = timer, work = 1us}}]"),
            "workload.irqs[0].softirq: {\"vector\":\"timer\",\"work\":\"1us\"} is not allowed with smi or vcpu-preempted (no kernel handler runs to raise it)");
    }

    @Test
    void badBudgetsAndHostTasksAreNamed() {
        List<String> e = errorsOf("smpemu { kernel.softirq { netdev-budget = 0, max-time = 0ms },"
            + " host.tasks = [{name = a, cpus = \"1-2\", interarrival = 1ms, burst = 1ms},"
            + " {name = b, cpus = \"2\", interarrival = 0ms, burst = 1ms}, {name = c, cpus = \"3\", interarrival = 1ms,"
            + " burst = 1ms, threads = 65}] }");
        assertTrue(e.stream().anyMatch(l -> l.startsWith("kernel.softirq.netdev-budget: 0 ")), String.join("\n", e));
        assertTrue(e.stream().anyMatch(l -> l.startsWith("kernel.softirq.max-time: \"0ms\" ")), String.join("\n", e));
        assertTrue(e.stream().noneMatch(l -> l.startsWith("host.tasks[1].cpus: ")), "two host tasks may share a pCPU: " + e);
        assertTrue(e.stream().anyMatch(l -> l.startsWith("host.tasks[1].interarrival: ")), String.join("\n", e));
        assertTrue(e.contains("host.tasks[2].threads: 65 is out of range 1..64"), String.join("\n", e));
    }

    @Test
    void hintsRealtimeTurnsTheHostOff() {
        String host = "smpemu.host.tasks = [{name = a, cpus = \"1\", interarrival = 1ms, burst = 1ms}]\n";
        assertTrue(load(host).hostPreempts());
        assertTrue(!load(host + "smpemu.kernel.kvm.hints-realtime = true").hostPreempts());
    }
}
