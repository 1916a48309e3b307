package smpemu.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Malformed configs: each must give a ConfigException line naming the key path and the bad value. */
class SettingsErrorsTest {

    /** A valid task whose fields the tests replace one at a time. */
    private static String task(String fields) {
        return "{name = t, program = [{op = compute, duration = 1us}], " + fields + "}";
    }

    private static String tasks(String... tasks) {
        return "smpemu.workload.tasks = [" + String.join(", ", tasks) + "]\n";
    }

    private static List<String> errorsOf(String hocon) {
        ConfigException e = assertThrows(ConfigException.class,
            () -> SettingsLoader.fromUserLayer(ConfigFactory.parseString(hocon)));
        return e.errors();
    }

    /** One line names {@code path} as its key and shows {@code value}. */
    private static void assertError(List<String> errors, String path, String value) {
        assertTrue(errors.stream().anyMatch(l -> (l.startsWith(path + ": ") || l.startsWith("smpemu." + path + ": "))
                && l.contains(value)),
            () -> "no error for " + path + " with " + value + " in:\n" + String.join("\n", errors));
    }

    @Test
    void typoAtTopLevel() {
        assertEquals(List.of("smpemu.durration: unknown key (did you mean duration?)"),
            errorsOf("smpemu.durration = 5s"));
    }

    @Test
    void typoInNestedObject() {
        assertEquals(List.of("smpemu.topology.cpuz: unknown key (did you mean cpus?)"),
            errorsOf("smpemu.topology.cpuz = 4"));
    }

    @Test
    void unknownKeyWithoutNearMatchListsTheAllowedOnes() {
        List<String> errors = errorsOf("smpemu.engine.flavour = fast");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).startsWith("smpemu.engine.flavour: unknown key (allowed: "), errors.get(0));
    }

    @Test
    void keysOutsideSmpemuAreIgnored() {
        SettingsLoader.fromUserLayer(ConfigFactory.parseString("pekko.loglevel = DEBUG"));
    }

    @Test
    void badPolicy() {
        List<String> errors = errorsOf(tasks(task("name = a"), task("name = b"), task("name = c, policy = fifoo")));
        assertEquals(List.of("workload.tasks[2].policy: \"fifoo\" is not one of fifo, rr, other"), errors);
    }

    @Test
    void fifoPriorityOutOfRange() {
        assertError(errorsOf(tasks(task("policy = fifo, priority = 100"))), "workload.tasks[0].priority", "100");
    }

    @Test
    void fifoWithoutPriority() {
        assertError(errorsOf(tasks(task("policy = rr"))), "workload.tasks[0].priority", "missing");
    }

    @Test
    void priorityForOther() {
        assertError(errorsOf(tasks(task("priority = 5"))), "workload.tasks[0].priority", "5 must be 0 or absent");
    }

    @Test
    void badDurationUnit() {
        assertEquals(List.of("duration: \"10 parsecs\" is not a duration (use a number with ns, us, ms or s)"),
            errorsOf("smpemu.duration = 10 parsecs"));
    }

    @Test
    void durationWithoutUnit() {
        assertError(errorsOf("smpemu.scheduler.rr-timeslice = 100"), "scheduler.rr-timeslice", "100 is not a duration");
    }

    @Test
    void negativeDuration() {
        String op = "{name = t, program = [{op = compute, duration = -5us}]}";
        assertError(errorsOf(tasks(op)), "workload.tasks[0].program[0].duration", "\"-5us\" is negative");
    }

    @Test
    void zeroWhereAPositiveDurationIsNeeded() {
        assertError(errorsOf("smpemu.topology.latency.ipi-smt = 0ns"), "topology.latency.ipi-smt", "\"0ns\" must be > 0");
    }

    @Test
    void affinityCpuOutOfRange() {
        assertError(errorsOf(tasks(task("affinity = \"0-3,20\""))), "workload.tasks[0].affinity",
            "\"0-3,20\" names CPU 20, but topology.cpus is 16");
    }

    @Test
    void malformedAndEmptyAffinity() {
        List<String> errors = errorsOf(tasks(task("name = a, affinity = \"3-1\""), task("name = b, affinity = []")));
        assertError(errors, "workload.tasks[0].affinity", "\"3-1\" is not a CPU list");
        assertError(errors, "workload.tasks[1].affinity", "[] is empty");
    }

    @Test
    void badDistName() {
        String t = "{name = t, program = [{op = sleep, duration = {dist = gaussian, mean = 1ms}}]}";
        assertError(errorsOf(tasks(t)), "workload.tasks[0].program[0].duration.dist",
            "\"gaussian\" is not one of constant, uniform, exponential, lognormal, pareto, empirical");
    }

    @Test
    void empiricalLengthMismatch() {
        String t = "{name = t, program = [{op = compute, duration = "
            + "{dist = empirical, values = [1us, 2us, 3us], weights = [1, 2]}}]}";
        assertError(errorsOf(tasks(t)), "workload.tasks[0].program[0].duration.weights",
            "[1,2] has size 2 but values has size 3");
    }

    @Test
    void uniformMinAboveMax() {
        String t = "{name = t, program = [{op = compute, duration = {dist = uniform, min = 20us, max = 10us}}]}";
        assertError(errorsOf(tasks(t)), "workload.tasks[0].program[0].duration.max", "\"10us\" is less than min \"20us\"");
    }

    @Test
    void unknownOp() {
        String t = "{name = t, program = [{op = compute, duration = 1us}, {op = spin}]}";
        assertError(errorsOf(tasks(t)), "workload.tasks[0].program[1].op", "\"spin\" is not one of compute, kernel");
    }

    @Test
    void unknownKeyInsideOp() {
        String t = "{name = t, program = [{op = compute, duration = 1us, durationn = 2us}]}";
        assertEquals(List.of("smpemu.workload.tasks[0].program[0].durationn: unknown key (did you mean duration?)"),
            errorsOf(tasks(t)));
    }

    @Test
    void errorDeepInsideNestedLoops() {
        String t = "{name = t, program = [{op = yield}, {op = loop, count = 2, body = ["
            + "{op = loop, body = [{op = compute, duration = 1us}, {op = kernel, duration = 1 year}]}]}]}";
        assertError(errorsOf(tasks(t)), "workload.tasks[0].program[1].body[0].body[1].duration", "\"1 year\"");
    }

    @Test
    void wakeOfUnknownTask() {
        String waker = "{name = w, program = [{op = wake, task = \"worker-3\"}]}";
        String workers = "{name = worker, count = 3, program = [{op = block}]}";
        assertError(errorsOf(tasks(waker, workers)), "workload.tasks[0].program[0].task",
            "\"worker-3\" is not a task instance");
    }

    @Test
    void duplicateInstanceNames() {
        List<String> errors = errorsOf(tasks(task("name = a, count = 2"), task("name = \"a-1\"")));
        assertError(errors, "workload.tasks[1].name", "\"a-1\" gives the instance name \"a-1\", which workload.tasks[0]");
    }

    @Test
    void socketsNotDividingCpus() {
        assertError(errorsOf("smpemu.topology { cpus = 16, sockets = 3 }"), "topology.sockets",
            "3 does not divide topology.cpus (16)");
    }

    @Test
    void threadsNotDividingCoresPerSocket() {
        assertError(errorsOf("smpemu.topology { cpus = 12, sockets = 2, threads-per-core = 4 }"),
            "topology.threads-per-core", "4 does not divide the 6 CPUs per socket");
    }

    @Test
    void matrixOfTheWrongShape() {
        List<String> errors = errorsOf("smpemu.topology { cpus = 4, sockets = 2, "
            + "latency.ipi-matrix = [[1us, 2us], [2us]] }");
        assertError(errors, "topology.latency.ipi-matrix[1]", "[\"2us\"] has size 1 but topology.sockets is 2");
        assertError(errorsOf("smpemu.topology { cpus = 4, sockets = 2, latency.ipi-matrix = [[1us, 0us], [2us, 1us]] }"),
            "topology.latency.ipi-matrix[0][1]", "\"0us\" must be > 0");
    }

    @Test
    void badHz() {
        assertEquals(List.of("kernel.hz: 200 is not one of 100, 250, 300, 1000"), errorsOf("smpemu.kernel.hz = 200"));
    }

    @Test
    void patchOutOfRangeAndRepeated() {
        assertError(errorsOf("smpemu.kernel.patches = [1, 13]"), "kernel.patches[1]", "13 is out of range 1..12");
        assertError(errorsOf("smpemu.kernel.patches = [4, 2, 4]"), "kernel.patches[2]", "4 is listed twice");
    }

    @Test
    void patchesAreNumberedInTheChosenForm() {
        assertEquals(List.of("kernel.patches[1]: 13 is out of range 1..12 (kernel.series = v6 has 12 patches)"),
            errorsOf("smpemu.kernel.patches = [1, 13]"));
        assertEquals(List.of("kernel.patches[0]: 15 is out of range 1..14 (kernel.series = tip has 14 patches)"),
            errorsOf("smpemu.kernel { series = tip, patches = [15, 14] }"));
        assertEquals(List.of("kernel.series: \"v9\" is not one of v6, tip"), errorsOf("smpemu.kernel.series = v9"));
    }

    @Test
    void wrongTypes() {
        assertEquals(List.of("topology.cpus: \"many\" is not an integer"), errorsOf("smpemu.topology.cpus = many"));
        assertError(errorsOf("smpemu.topology = 5"), "topology", "5 is not an object");
        assertError(errorsOf("smpemu.workload.tasks = {a = 1}"), "workload.tasks", "is not a list");
        assertError(errorsOf(tasks("42")), "workload.tasks[0]", "42 is not an object");
        assertError(errorsOf(tasks(task("nice = [1]"))), "workload.tasks[0].nice", "[1] is not an integer");
        assertError(errorsOf("smpemu = 7"), "smpemu", "7 is not an object");
    }

    @Test
    void cpusOutOfRange() {
        assertEquals(List.of("topology.cpus: 0 is out of range 1..65536"), errorsOf("smpemu.topology.cpus = 0"));
    }

    @Test
    void irqErrors() {
        String workers = "{name = rt, count = 2, program = [{op = block}]}";
        List<String> errors = errorsOf(tasks(workers)
            + "smpemu.workload.irqs = [{name = nic, cpus = \"0-2\", interarrival = 0us, wakes = \"rt-{cpu}\"},"
            + " {cpus = 0, interarrival = 1ms}]");
        assertError(errors, "workload.irqs[0].interarrival", "\"0us\" must be > 0");
        assertError(errors, "workload.irqs[1].name", "missing (required)");
        errors = errorsOf(tasks(workers)
            + "smpemu.workload.irqs = [{name = nic, cpus = \"0-2\", interarrival = 1ms, wakes = \"rt-{cpu}\"}]");
        assertError(errors, "workload.irqs[0].wakes", "\"rt-{cpu}\" names \"rt-2\" for CPU 2, which is not a task instance");
    }

    @Test
    void smiRunsNoKernelHandler() {
        String workers = "{name = rt, count = 2, program = [{op = block}]}";
        List<String> errors = errorsOf(tasks(workers)
            + "smpemu.workload.irqs = [{name = fw, cpus = \"0-1\", interarrival = 1ms, wakes = \"rt-{cpu}\", smi = true},"
            + " {name = fw2, cpus = 0, interarrival = 1ms, smi = true, vcpu-preempted = true},"
            + " {name = fw3, cpus = 0, interarrival = 1ms, smi = maybe}]");
        assertError(errors, "workload.irqs[0].wakes", "\"rt-{cpu}\" is not allowed with smi = true");
        assertError(errors, "workload.irqs[1].smi", "true is not allowed with vcpu-preempted = true");
        assertError(errors, "workload.irqs[2].smi", "\"maybe\"");
    }

    @Test
    void unresolvedSubstitutionIsAConfigError() {
        List<String> errors = errorsOf("smpemu.duration = ${nowhere}");
        assertEquals(1, errors.size());
        assertTrue(errors.get(0).contains("nowhere"), errors.get(0));
    }

    @Test
    void reportsAllErrorsTogether() {
        List<String> errors = errorsOf("smpemu { topology.cpuz = 4, kernel.hz = 7, engine.type = threads }\n"
            + tasks(task("policy = fifo, priority = 0, affinity = \"99\""), task("name = bad name")));
        assertError(errors, "topology.cpuz", "unknown key");
        assertError(errors, "kernel.hz", "7");
        assertError(errors, "engine.type", "\"threads\" is not one of actors, sequential");
        assertError(errors, "workload.tasks[0].priority", "0 is out of range 1..99");
        assertError(errors, "workload.tasks[0].affinity", "\"99\" names CPU 99");
        assertError(errors, "workload.tasks[1].name", "\"bad name\" is not a valid name");
        assertEquals(6, errors.size(), String.join("\n", errors));
    }
}
