package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static smpemu.coordinator.cli.Cli.exec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An imported machine through the whole model: offline CPUs go down at boot; `smpemu topology`. */
class TopologyImportRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("../config/src/test/resources/topology");

    @TempDir
    Path tmp;

    @Test
    void offlineCpusGoDownOneAfterTheOtherOnBothEngines() throws Exception {
        // lscpu -p lists online CPUs only: 5 and 13 are missing, so offline.
        StringBuilder b = new StringBuilder("# CPU,Core,Socket,Node\n");
        for (int c = 0; c < 16; c++) if (c != 5 && c != 13) b.append(c).append(',').append(c % 8).append(',').append(c % 2).append(',').append(c % 2).append('\n');
        Path lscpu = tmp.resolve("lscpu.txt");
        Files.writeString(lscpu, b);
        JsonNode seq = run(lscpu, "sequential"), act = run(lscpu, "actors");
        assertEquals(seq.get("digest"), act.get("digest"));
        assertEquals(16, seq.get("cpus_count").asInt());
        JsonNode h = seq.get("hotplug");
        assertEquals(2, h.get("offline_attempts").asInt(), h.toString());
        assertEquals(2, h.get("offline_successes").asInt(), "the second waits for the first instead of failing: " + h);
    }

    @Test
    void topologyPrintsWhatItUnderstood() throws Exception {
        Path sysfs = FIXTURES.resolve("sysfs-2s");
        Cli.Outcome o = exec("topology", sysfs.toString(), "--json", "-");
        assertEquals(0, o.code(), o.err());
        JsonNode t = JSON.readTree(o.out());
        assertEquals(16, t.get("cpus_count").asInt());
        assertEquals(2, t.get("sockets").asInt());
        assertEquals(2, t.get("numa_nodes").asInt());
        JsonNode cpu1 = t.get("cpus").get(1), cpu8 = t.get("cpus").get(8), cpu13 = t.get("cpus").get(13);
        assertEquals(1, cpu1.get("socket").asInt(), "CPU 1 is on socket 1");
        assertEquals(1, cpu1.get("node").asInt());
        assertEquals("[0,8]", cpu8.get("siblings").toString(), "CPU 8 is CPU 0's sibling");
        assertEquals(cpu8.get("core"), t.get("cpus").get(0).get("core"));
        assertTrue(cpu1.get("online").asBoolean());
        assertEquals(false, cpu13.get("online").asBoolean());
        assertEquals("[[10,21],[21,10]]", t.get("numa_distances").toString());
        assertEquals(2_100, t.get("ipi_latency_ns").get(0).get(1).asLong());
        assertEquals(700, t.get("ipi_latency_ns").get(0).get(8).asLong());

        Cli.Outcome text = exec("topology", sysfs.toString(), "--set", "topology.latency.ipi-same-socket=2us");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("16 CPUs, 15 online (offline: 13); 2 sockets, 2 dies, 8 cores"), text.out());
        assertTrue(text.out().contains("same socket and node 2000"), text.out());

        // A machine smaller than any bundled scenario is still shown.
        Path small = tmp.resolve("two.lscpu");
        Files.writeString(small, "# CPU,Core,Socket,Node\n0,0,0,0\n1,0,0,0\n");
        Cli.Outcome two = exec("topology", small.toString());
        assertEquals(0, two.code(), two.err());
        assertTrue(two.out().contains("2 CPUs, 2 online; 1 sockets, 1 dies, 1 cores, up to 2 threads per core"), two.out());

        Cli.Outcome bad = exec("topology", tmp.resolve("nothing").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("smpemu: topology.import: " + tmp.resolve("nothing") + ": no such file or directory"), bad.err());
    }

    private JsonNode run(Path machine, String engine) throws Exception {
        Cli.Outcome o = exec("run", "--engine", engine, "--duration", "300ms", "--set",
            "topology.import=\"" + machine + "\"", "--json", "-");
        assertEquals(0, o.code(), o.err());
        return JSON.readTree(o.out());
    }
}
