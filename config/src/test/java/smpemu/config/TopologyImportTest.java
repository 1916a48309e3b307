package smpemu.config;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * topology.import on fixtures written from each format's documentation (lscpu(1), the kernel's
 * sysfs-devices-system-cpu ABI, hwloc's v1 and v2 DTDs), all describing one machine: two sockets
 * of four cores with two threads, numbered as many Intel BIOSes do (sockets interleaved: CPU 1 is
 * on socket 1; SMT siblings 8 apart: CPU 8 is CPU 0's sibling), CPU 13 offline, one NUMA node per
 * socket at SLIT distance 21.
 */
class TopologyImportTest {
    private static final Path DIR = Path.of("src/test/resources/topology");
    private static final int OFFLINE = 13;

    @TempDir
    Path tmp;

    // The machine's rules, stated once: the fixtures were written from them.
    private static int socket(int cpu) { return cpu % 2; }

    /** Cores are numbered over the machine in the order of their lowest CPU: CPUs 0..7 open them. */
    private static int core(int cpu) { return cpu % 8; }

    private static int sibling(int cpu) { return cpu ^ 8; }

    @ParameterizedTest
    @ValueSource(strings = {"lscpu-2s.txt", "sysfs-2s", "hwloc-v2-2s.xml", "hwloc-v1-2s.xml"})
    void everyFormatGivesTheMachinesOwnMap(String fixture) throws Exception {
        MachineTopology m = TopologyImport.read(DIR.resolve(fixture));
        assertEquals(16, m.cpus());
        assertEquals(2, m.sockets());
        assertEquals(2, m.threadsPerCore());
        assertArrayEquals(new int[] {0, 1}, m.nodeIds());
        assertEquals(15, m.onlineCount());
        assertFalse(m.online(OFFLINE));
        for (int c = 0; c < 16; c++) {
            if (c == OFFLINE) continue;
            assertTrue(m.online(c), "cpu " + c);
            assertEquals(socket(c), m.socket(c), "socket of cpu " + c);
            assertEquals(socket(c), m.node(c), "node of cpu " + c);
            assertEquals(core(c), m.core(c), "core of cpu " + c);
            int[] expected = c == OFFLINE - 8 && !fixture.equals("hwloc-v1-2s.xml")
                ? new int[] {c} // CPU 5's sibling is the offline CPU, which these formats do not place
                : new int[] {Math.min(c, sibling(c)), Math.max(c, sibling(c))};
            assertArrayEquals(expected, m.siblings(c), "siblings of cpu " + c);
        }
        if (fixture.equals("hwloc-v1-2s.xml")) {
            // v1 keeps the offline PU in the tree (outside online_cpuset): it keeps its place.
            assertEquals(1, m.socket(OFFLINE));
            assertEquals(core(OFFLINE), m.core(OFFLINE));
        } else {
            assertEquals(MachineTopology.UNKNOWN, m.socket(OFFLINE));
        }
        assertEquals(!fixture.startsWith("lscpu"), m.hasDistances(), "lscpu has no distances");
        if (m.hasDistances()) {
            assertEquals(10, m.distance(0, 0));
            assertEquals(21, m.distance(0, 1));
            assertEquals(21, m.distance(1, 0));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"lscpu-2s.txt", "sysfs-2s", "hwloc-v2-2s.xml", "hwloc-v1-2s.xml"})
    void theLatencyMatrixFollowsSiblingsSocketsAndDistances(String fixture) {
        TopologySettings t = load(fixture).topology();
        assertEquals(16, t.cpus());
        boolean numa = !fixture.startsWith("lscpu");
        for (int a = 0; a < 16; a++) {
            for (int b = 0; b < 16; b++) {
                if (a == b || a == OFFLINE || b == OFFLINE) continue;
                long want = socket(a) != socket(b) ? (numa ? 2_100 : 1_500) // 1us * 21 / 10, or cross-socket
                    : b == sibling(a) ? 700 : 1_000;
                assertEquals(want, t.ipiLatency(a, b), "ipi " + a + " -> " + b);
            }
        }
        assertEquals(700, t.minLatency());
        assertEquals(t.socketOf(1), t.socketOf(3));
        assertTrue(t.socketOf(0) != t.socketOf(1), "CPU 1 is on the other socket");
    }

    @Test
    void theImportedCpuCountReplacesTheScenariosAndItsSubstitutions() {
        // smoke sets topology.cpus = 4 and sizes its per-CPU families with ${smpemu.topology.cpus}.
        SimSettings s = load("lscpu-2s.txt");
        assertEquals(16, s.topology().cpus());
        assertEquals(2, s.topology().sockets());
        long perCpu = s.tasks().stream().filter(t -> t.name().equals("bg-lock")).mapToLong(TaskSpec::count).sum();
        assertEquals(16, perCpu);
    }

    @Test
    void badDescriptionsNameTheKeyThePathAndTheProblem() throws IOException {
        Path bad = tmp.resolve("bad.txt");
        Files.writeString(bad, "# CPU,Core,Socket,Node\n0,0,0,0\n1,x,0,0\n");
        assertError(bad, "topology.import: " + bad + ": line 3: core \"x\" is not a non-negative integer");
        Files.writeString(bad, "# CPU,Core,Socket,Node\n0,0,0,0\n0,1,0,0\n");
        assertError(bad, "line 3: CPU 0 is described twice");
        Files.writeString(bad, "# CPU,Node\n0,0\n");
        assertError(bad, "lacks CPU, CORE or SOCKET");
        Files.writeString(bad, "# CPU,Core,Socket,Node\n1,1,0,0\n");
        assertError(bad, "CPU 0 is offline; smpemu needs the boot CPU online");
        Path xml = tmp.resolve("bad.xml");
        Files.writeString(xml, "<topology version=\"2.0\"><object type=\"Machine\"><object type=\"PU\" os_index=\"0\"/>");
        assertError(xml, "is not well-formed XML");
        Files.writeString(xml, "<topology version=\"2.0\"><object type=\"Machine\"><object type=\"PU\" os_index=\"0\"/></object>"
            + "<distances2 type=\"NUMANode\" nbobjs=\"2\" indexing=\"os\"><indexes length=\"2\">0 1</indexes>"
            + "<u64values length=\"3\">10 21 21</u64values></distances2></topology>");
        assertError(xml, "has 2 indexes and 3 values (want 2 and 4)");
        assertError(tmp.resolve("missing"), "no such file or directory");
        assertError(tmp, "holds neither devices/system/cpu nor sys/devices/system/cpu");
    }

    @Test
    void anXmlExternalEntityIsNeverRead() throws IOException {
        Path secret = tmp.resolve("secret.txt");
        Files.writeString(secret, "1");
        Path xml = tmp.resolve("xxe.xml");
        Files.writeString(xml, "<?xml version=\"1.0\"?><!DOCTYPE topology [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
            + "<topology version=\"2.0\"><object type=\"Machine\"><object type=\"PU\" os_index=\"&x;\"/></object></topology>");
        ConfigException e = assertThrows(ConfigException.class, () -> SettingsLoader.machine(xml.toString()));
        assertTrue(e.errors().get(0).startsWith("topology.import: " + xml), e.errors().toString());
    }

    private static SimSettings load(String fixture) {
        return SettingsLoader.fromUserLayer(ConfigFactory.parseString(
            "smpemu.topology.import = \"" + DIR.resolve(fixture) + "\"").withFallback(ScenarioCatalog.load("smoke")));
    }

    private static void assertError(Path file, String part) {
        ConfigException e = assertThrows(ConfigException.class, () -> SettingsLoader.fromUserLayer(
            ConfigFactory.parseString("smpemu.topology.import = \"" + file + "\"")));
        List<String> errors = e.errors();
        assertTrue(errors.stream().anyMatch(l -> l.contains(part)), part + " not in " + errors);
    }
}
