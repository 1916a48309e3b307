package smpemu.coordinator.result;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import smpemu.config.MachineTopology;
import smpemu.config.TopologySettings;

/** What {@code smpemu topology PATH} understood of a real machine: counts, CPU map, latencies. */
public final class TopologyReport {
    private TopologyReport() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** Above this the CPU x CPU latency matrix is left out of the text (the JSON keeps it to 1024). */
    private static final int TEXT_MATRIX_CPUS = 32, JSON_MATRIX_CPUS = 1024;

    public static String render(String path, TopologySettings t) {
        MachineTopology m = t.machine();
        StringBuilder b = new StringBuilder();
        String offline = Arrays.stream(range(m.cpus())).filter(c -> !m.online(c)).mapToObj(Integer::toString)
            .collect(Collectors.joining(","));
        b.append(String.format(Locale.ROOT, "topology: %s (%s)%n", path, m.source()));
        b.append(String.format(Locale.ROOT, "  %d CPUs, %d online%s; %d sockets, %d dies, %d cores, up to %d threads per core; %d NUMA nodes%n",
            m.cpus(), m.onlineCount(), offline.isEmpty() ? "" : " (offline: " + offline + ")", m.sockets(), m.dies(),
            m.cores(), m.threadsPerCore(), m.nodeIds().length));
        int[] nodes = m.nodeIds();
        b.append(m.hasDistances() ? String.format(Locale.ROOT, "%nNUMA distances (SLIT, 10 = local)%n")
            : String.format(Locale.ROOT, "%nno NUMA distances: latencies by socket only%n"));
        if (m.hasDistances()) matrix(b, "node", nodes, nodes.length, (i, j) -> m.distance(i, j));
        b.append(String.format(Locale.ROOT, "%n  %4s  %6s  %4s  %4s  %4s  %-10s  %s%n", "cpu", "socket", "die", "core", "node", "siblings", "online"));
        for (int c = 0; c < m.cpus(); c++) {
            b.append(String.format(Locale.ROOT, "  %4d  %6s  %4s  %4s  %4s  %-10s  %s%n", c, id(m.socket(c)), id(m.die(c)),
                id(m.core(c)), id(m.node(c)), list(m.siblings(c)), m.online(c) ? "yes" : "no"));
        }
        b.append(String.format(Locale.ROOT, "%nIPI latency (ns): SMT sibling %d, same socket and node %d, other socket %d%s; lookahead %d%n",
            t.ipiSmtNs(), t.ipiSameSocketNs(), t.ipiCrossSocketNs(),
            t.ipiMatrix() != null ? "; topology.latency.ipi-matrix overrides them by socket"
                : m.hasDistances() ? "; between nodes same-socket x distance / local distance" : "",
            t.minLatency()));
        if (m.hasDistances() && t.ipiMatrix() == null) {
            b.append(String.format(Locale.ROOT, "between NUMA nodes (ns), row = sender%n"));
            matrix(b, "node", nodes, nodes.length, (i, j) -> i == j ? t.ipiSameSocketNs() : t.numaLatency(i, j));
        }
        if (m.cpus() <= TEXT_MATRIX_CPUS) {
            b.append(String.format(Locale.ROOT, "per CPU pair (ns), row = sender%n"));
            matrix(b, "cpu", range(m.cpus()), m.cpus(), (i, j) -> i == j ? 0 : t.ipiLatency(i, j));
        }
        return b.toString();
    }

    /**
     * {@code cpus_count}, {@code sockets}, {@code dies}, {@code cores}, {@code numa_nodes},
     * {@code numa_distances} (null without), {@code cpus[]} ({@code cpu}, {@code socket},
     * {@code die}, {@code core}, {@code node}, {@code siblings}, {@code online}; -1 = unknown) and
     * {@code ipi_latency_ns} (CPU x CPU, row = sender, up to 1024 CPUs).
     */
    public static ObjectNode tree(String path, TopologySettings t) {
        MachineTopology m = t.machine();
        ObjectNode o = MAPPER.createObjectNode();
        o.put("path", path);
        o.put("source", m.source());
        o.put("cpus_count", m.cpus());
        o.put("online_count", m.onlineCount());
        o.put("sockets", m.sockets());
        o.put("dies", m.dies());
        o.put("cores", m.cores());
        o.put("threads_per_core", m.threadsPerCore());
        o.put("numa_nodes", m.nodeIds().length);
        if (m.hasDistances()) {
            ArrayNode d = o.putArray("numa_distances");
            int n = m.nodeIds().length;
            for (int i = 0; i < n; i++) {
                ArrayNode row = d.addArray();
                for (int j = 0; j < n; j++) row.add(m.distance(i, j));
            }
        } else {
            o.putNull("numa_distances");
        }
        ArrayNode cpus = o.putArray("cpus");
        for (int c = 0; c < m.cpus(); c++) {
            ObjectNode x = cpus.addObject();
            x.put("cpu", c);
            x.put("socket", m.socket(c));
            x.put("die", m.die(c));
            x.put("core", m.core(c));
            x.put("node", m.node(c));
            ArrayNode s = x.putArray("siblings");
            for (int sib : m.siblings(c)) s.add(sib);
            x.put("online", m.online(c));
        }
        o.put("min_latency_ns", t.minLatency());
        if (m.cpus() <= JSON_MATRIX_CPUS) {
            ArrayNode lat = o.putArray("ipi_latency_ns");
            for (int a = 0; a < m.cpus(); a++) {
                ArrayNode row = lat.addArray();
                for (int c = 0; c < m.cpus(); c++) row.add(a == c ? 0 : t.ipiLatency(a, c));
            }
        }
        return o;
    }

    private interface Cell { long at(int i, int j); }

    private static void matrix(StringBuilder b, String label, int[] ids, int n, Cell cell) {
        int w = 6;
        b.append(String.format(Locale.ROOT, "  %" + (label.length() + 4) + "s", ""));
        for (int j = 0; j < n; j++) b.append(String.format(Locale.ROOT, "%" + w + "s", label + ids[j]));
        b.append(String.format(Locale.ROOT, "%n"));
        for (int i = 0; i < n; i++) {
            b.append(String.format(Locale.ROOT, "  %" + (label.length() + 4) + "s", label + ids[i]));
            for (int j = 0; j < n; j++) b.append(String.format(Locale.ROOT, "%" + w + "d", cell.at(i, j)));
            b.append(String.format(Locale.ROOT, "%n"));
        }
    }

    private static int[] range(int n) { return java.util.stream.IntStream.range(0, n).toArray(); }

    private static String id(int v) { return v < 0 ? "?" : Integer.toString(v); }

    private static String list(int[] cpus) { return Arrays.stream(cpus).mapToObj(Integer::toString).collect(Collectors.joining(",")); }
}
