package smpemu.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The table gives TopologySettings.ipiLatency's value for every pair of CPUs, self included, on every kind of machine. */
class IpiLatenciesTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "cpus = 16",
        "cpus = 16, sockets = 2",
        "cpus = 24, sockets = 2, threads-per-core = 2",
        "cpus = 16, sockets = 4, threads-per-core = 4",
        "cpus = 12, sockets = 3, threads-per-core = 2, latency { ipi-matrix = [[1us, 2us, 3us], [4us, 500ns, 6us], [7us, 8us, 900ns]] }",
        "import = \"src/test/resources/topology/lscpu-2s.txt\"",
        "import = \"src/test/resources/topology/sysfs-2s\"",
        "import = \"src/test/resources/topology/hwloc-v2-2s.xml\"",
        "import = \"src/test/resources/topology/hwloc-v1-2s.xml\"",
        "import = \"src/test/resources/topology/hwloc-v2-2s.xml\", latency { ipi-matrix = [[1us, 2us], [3us, 4us]] }",
    })
    void theTableAgreesWithTheTopologyOnEveryPair(String topology) {
        TopologySettings t = SettingsLoader.fromUserLayer(ConfigFactory.parseString("smpemu.topology { " + topology + " }")
            .withFallback(ScenarioCatalog.load("smoke"))).topology();
        IpiLatencies table = IpiLatencies.of(t);
        for (int a = 0; a < t.cpus(); a++) {
            for (int b = 0; b < t.cpus(); b++) assertEquals(t.ipiLatency(a, b), table.latency(a, b), a + " -> " + b);
        }
    }
}
