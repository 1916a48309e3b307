package smpemu.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SettingsLoaderTest {

    private static final String FULL = """
        pekko.loglevel = INFO
        smpemu {
          scenario = roundtrip
          seed = -42
          duration = 1.5s
          measurement { window = 250ms, longest-sections = 20 }
          topology {
            cpus = 8, sockets = 2, threads-per-core = 2
            latency { ipi-smt = 400ns, ipi-same-socket = 0.9us, ipi-cross-socket = 2us,
                      ipi-matrix = [[1us, 3us], [3000ns, 1us]] }
          }
          kernel {
            hz = 250, preemption = rt, variant = patched, patches = [12, 1, 4]
            costs { context-switch = 3us, tick-handler = 800ns, resched-ipi-handler = 1200ns, wakeup = 0ns }
          }
          scheduler { balance-interval = 8ms, rr-timeslice = 50ms, other-timeslice = 4ms }
          engine { type = sequential, parallelism = 2, throughput = 50 }
          workload {
            tasks = [
              { name = poller, policy = fifo, priority = 99, affinity = "0-3,5,6-7", count = 2,
                program = [ {op = periodic, period = 100us, work = 20us} ] }
              { name = bg, nice = -5, affinity = [7, 1, 1], program = [
                  {op = compute, duration = {dist = constant, value = 5us}}
                  {op = loop, count = 3, body = [
                    {op = kernel, duration = {dist = uniform, min = 10us, max = 20us}}
                    {op = loop, body = [
                      {op = preempt-off, duration = {dist = exponential, mean = 1ms}, path = [a, b], raw = true}
                      {op = irq-off, duration = {dist = lognormal, median = 100us, sigma = 1.0, cap = 50ms}}
                      {op = sleep, duration = {dist = pareto, scale = 40us, shape = 1.5, cap = 20ms}}
                      {op = compute, duration = {dist = empirical, values = [10us, 20us, 30us], weights = [1, 3, 0]}}
                    ]}
                  ]}
                  {op = block}
                  {op = wake, task = poller-1}
                  {op = yield}
                  {op = cond-resched}
              ]}
            ]
            irqs = [ {name = nic, cpus = "0-1", interarrival = {dist = exponential, mean = 50us},
                      wakes = "poller-{cpu}"} ]
          }
        }
        """;

    @Test
    void fullConfigRoundTrip() {
        SimSettings s = SettingsLoader.fromUserLayer(ConfigFactory.parseString(FULL));
        assertEquals("roundtrip", s.scenario());
        assertEquals(-42, s.seed());
        assertEquals(1_500_000_000L, s.durationNs());
        assertEquals(250_000_000L, s.windowNs());
        assertEquals(20, s.longestSections());

        TopologySettings t = s.topology();
        assertEquals(8, t.cpus());
        assertEquals(2, t.sockets());
        assertEquals(2, t.threadsPerCore());
        assertEquals(400, t.ipiSmtNs());
        assertEquals(900, t.ipiSameSocketNs());
        assertEquals(2_000, t.ipiCrossSocketNs());
        assertArrayEquals(new long[][] {{1_000, 3_000}, {3_000, 1_000}}, t.ipiMatrix());

        KernelSettings k = s.kernel();
        assertEquals(250, k.hz());
        assertEquals(PreemptionModel.RT, k.preemption());
        assertEquals("patched", k.variant());
        assertArrayEquals(new int[] {1, 4, 12}, k.patches());
        assertEquals(3_000, k.contextSwitchNs());
        assertEquals(800, k.tickHandlerNs());
        assertEquals(1_200, k.reschedIpiHandlerNs());
        assertEquals(0, k.wakeupNs());

        assertEquals(new SchedulerSettings(8_000_000, 50_000_000, 4_000_000), s.scheduler());
        assertEquals(new EngineSettings(EngineKind.SEQUENTIAL, 2, 50), s.engine());

        assertEquals(2, s.tasks().size());
        TaskSpec poller = s.tasks().get(0);
        assertEquals(Policy.FIFO, poller.policy());
        assertEquals(99, poller.priority());
        assertEquals(0, poller.nice());
        assertEquals(2, poller.count());
        assertArrayEquals(new int[] {0, 1, 2, 3, 5, 6, 7}, poller.affinity());
        assertEquals(List.of(new Op.Periodic(100_000, new Dist.Constant(20_000))), poller.program());

        TaskSpec bg = s.tasks().get(1);
        assertEquals(Policy.OTHER, bg.policy());
        assertEquals(0, bg.priority());
        assertEquals(-5, bg.nice());
        assertEquals(1, bg.count());
        assertArrayEquals(new int[] {1, 7}, bg.affinity());
        List<Op> p = bg.program();
        assertEquals(new Op.Compute(new Dist.Constant(5_000)), p.get(0));
        Op.Loop outer = assertInstanceOf(Op.Loop.class, p.get(1));
        assertEquals(3, outer.count());
        assertEquals(new Op.Kernel(new Dist.Uniform(10_000, 20_000), List.of("kernel")), outer.body().get(0));
        Op.Loop inner = assertInstanceOf(Op.Loop.class, outer.body().get(1));
        assertEquals(-1, inner.count());
        assertEquals(new Op.PreemptOff(new Dist.Exponential(1_000_000), List.of("a", "b"), true), inner.body().get(0));
        assertEquals(new Op.IrqOff(new Dist.LogNormal(100_000, 1.0, 50_000_000), List.of("local_irq_disable")),
            inner.body().get(1));
        assertEquals(new Op.Sleep(new Dist.Pareto(40_000, 1.5, 20_000_000)), inner.body().get(2));
        Op.Compute empirical = assertInstanceOf(Op.Compute.class, inner.body().get(3));
        Dist.Empirical e = assertInstanceOf(Dist.Empirical.class, empirical.duration());
        assertArrayEquals(new long[] {10_000, 20_000, 30_000}, e.values());
        assertArrayEquals(new double[] {0.25, 1.0, 1.0}, e.cumulative(), 1e-12);
        assertEquals(List.of(new Op.Block(), new Op.Wake("poller-1"), new Op.Yield(), new Op.CondResched()),
            p.subList(2, 6));

        IrqSpec nic = s.irqs().get(0);
        assertEquals("nic", nic.name());
        assertArrayEquals(new int[] {0, 1}, nic.cpus());
        assertEquals(new Dist.Exponential(50_000), nic.interarrival());
        assertEquals(new Dist.Constant(2_000), nic.handler());
        assertEquals("poller-1", nic.wakeTarget(1));
        assertEquals(List.of("irq", "nic"), nic.path());
    }

    @Test
    void referenceAloneLoadsWithTheDocumentedDefaults() {
        SimSettings s = SettingsLoader.load(SettingsLoader.reference());
        assertEquals("custom", s.scenario());
        assertEquals(1, s.seed());
        assertEquals(10_000_000_000L, s.durationNs());
        assertEquals(30_000_000_000L, s.windowNs());
        assertEquals(10, s.longestSections());
        assertEquals(new TopologySettings(16, 1, 1, 700, 1_000, 1_500, null).toString(), s.topology().toString());
        assertNull(s.topology().ipiMatrix());
        assertEquals(1000, s.kernel().hz());
        assertEquals(PreemptionModel.FULL, s.kernel().preemption());
        assertEquals("baseline", s.kernel().variant());
        assertEquals(0, s.kernel().patches().length);
        assertEquals(2_000, s.kernel().contextSwitchNs());
        assertEquals(1_000, s.kernel().tickHandlerNs());
        assertEquals(1_000, s.kernel().reschedIpiHandlerNs());
        assertEquals(500, s.kernel().wakeupNs());
        assertEquals(new SchedulerSettings(4_000_000, 100_000_000, 3_000_000), s.scheduler());
        assertEquals(new EngineSettings(EngineKind.ACTORS, 0, 100), s.engine());
        assertTrue(s.tasks().isEmpty());
        assertTrue(s.irqs().isEmpty());
        SettingsLoader.fromUserLayer(ConfigFactory.empty());
    }

    @Test
    void theSeriesFormDecidesWhatPatchedAndTheUnsafeVariantsApply() {
        assertEquals(KernelSeries.V6, kernel("").series(), "v6 by default");
        assertArrayEquals(IntStream.rangeClosed(1, 12).toArray(), kernel("variant = patched").effectivePatches());
        assertArrayEquals(IntStream.rangeClosed(1, 14).toArray(), kernel("series = tip, variant = patched").effectivePatches());
        assertArrayEquals(new int[] {13, 14}, kernel("series = tip, patches = [14, 13]").effectivePatches());
        // u8 drops "Move flush_tlb_info back to the stack": v6 10, tip 12
        assertFalse(kernel("variant = unsafe-u8").has(10));
        assertTrue(kernel("series = tip, variant = unsafe-u8").has(10));
        assertFalse(kernel("series = tip, variant = unsafe-u8").has(12));
        // u9 is tip's 14 without the KVM guard 13; v6 has no KVM patch and keeps all twelve
        assertArrayEquals(IntStream.rangeClosed(1, 12).toArray(), kernel("variant = unsafe-u9").effectivePatches());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14},
            kernel("series = tip, variant = unsafe-u9").effectivePatches());
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 9, 10, 11, 12, 13, 14},
            kernel("series = tip, variant = unsafe-u7").effectivePatches());
    }

    private static KernelSettings kernel(String fields) {
        return SettingsLoader.fromUserLayer(ConfigFactory.parseString("smpemu.kernel { " + fields + " }")).kernel();
    }

    @Test
    void layeredPutsTheUserFirst() {
        var cfg = SettingsLoader.layered(ConfigFactory.parseString("smpemu.seed = 7"));
        assertEquals(7, cfg.getLong("smpemu.seed"));
        assertEquals(16, cfg.getInt("smpemu.topology.cpus"));
    }

    @Test
    void everyBundledScenarioIsValid() {
        assertFalse(ScenarioCatalog.names().isEmpty());
        for (String name : ScenarioCatalog.names()) {
            assertFalse(ScenarioCatalog.description(name).isBlank(), name);
            SimSettings s = SettingsLoader.fromUserLayer(ScenarioCatalog.load(name));
            assertEquals(name, s.scenario(), "a scenario reports its own name");
        }
    }

    @Test
    void unknownScenarioListsTheKnownOnes() {
        ConfigException e = assertThrows(ConfigException.class, () -> ScenarioCatalog.load("nope"));
        assertTrue(e.getMessage().contains("\"nope\"") && e.getMessage().contains("smoke"), e.getMessage());
    }

    @Test
    void paramsAreTheScenariosOwnKnobsReachedBySubstitution() {
        // A scenario substitutes a param into a list element; a later layer (as --set does) moves it.
        com.typesafe.config.Config scenario = ConfigFactory.parseString("smpemu { params { runner-cpu = 2, anything-goes = x },"
            + " topology.cpus = 4, workload.tasks = [{name = t, affinity = [${smpemu.params.runner-cpu}],"
            + " program = [{op = compute, duration = 1ms}]}] }");
        assertArrayEquals(new int[] {2}, SettingsLoader.fromUserLayer(scenario).tasks().get(0).affinity());
        com.typesafe.config.Config set = ConfigFactory.parseString("smpemu.params.runner-cpu = 3").withFallback(scenario);
        assertArrayEquals(new int[] {3}, SettingsLoader.fromUserLayer(set).tasks().get(0).affinity());
    }
}
