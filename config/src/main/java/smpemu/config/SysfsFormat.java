package smpemu.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A copied sysfs: a directory holding {@code devices/system/cpu} or {@code sys/devices/system/cpu}
 * (Documentation/ABI/stable/sysfs-devices-system-cpu and sysfs-devices-node). Per CPU
 * {@code cpuN/topology/physical_package_id}, {@code die_id} (optional), {@code core_id} and
 * {@code thread_siblings_list} (optional; when present it decides the core: SMT siblings are the
 * CPUs listed together); {@code cpuN/online} ({@code 0} or {@code 1}; absent for a CPU that
 * cannot be offlined, else the top-level {@code online} list decides). A CPU directory without
 * {@code topology} is an offline CPU without a place. NUMA nodes from
 * {@code node/nodeN/cpulist}, and distances from {@code node/nodeN/distance} (one row per node,
 * columns in node order) when every node has one.
 */
final class SysfsFormat {
    private SysfsFormat() {}

    private static final Pattern CPU_DIR = Pattern.compile("cpu(\\d+)");
    private static final Pattern NODE_DIR = Pattern.compile("node(\\d+)");
    private static final int LIMIT = 65536;

    static MachineTopology read(Path root) throws ConfigReader.Invalid, IOException {
        Path system = root.resolve("devices/system");
        if (!Files.isDirectory(system.resolve("cpu"))) system = root.resolve("sys/devices/system");
        Path cpuDir = system.resolve("cpu");
        if (!Files.isDirectory(cpuDir)) {
            throw new ConfigReader.Invalid("holds neither devices/system/cpu nor sys/devices/system/cpu");
        }
        Map<Integer, Path> cpus = numbered(cpuDir, CPU_DIR);
        Map<Integer, Path> nodes = numbered(system.resolve("node"), NODE_DIR);
        Map<Integer, Integer> nodeOf = new HashMap<>();
        for (Map.Entry<Integer, Path> n : nodes.entrySet()) {
            Path list = n.getValue().resolve("cpulist");
            if (!Files.exists(list)) continue;
            BitSet set = cpulist(list);
            for (int c = set.nextSetBit(0); c >= 0; c = set.nextSetBit(c + 1)) nodeOf.put(c, n.getKey());
        }
        BitSet onlineList = Files.exists(cpuDir.resolve("online")) ? cpulist(cpuDir.resolve("online")) : null;

        MachineTopology.Builder b = new MachineTopology.Builder("sysfs");
        for (Map.Entry<Integer, Path> e : cpus.entrySet()) {
            int cpu = e.getKey();
            Path dir = e.getValue();
            Path onlineFile = dir.resolve("online");
            boolean online = Files.exists(onlineFile) ? text(onlineFile).equals("1")
                : onlineList == null || onlineList.get(cpu);
            Path topo = dir.resolve("topology");
            if (!Files.isDirectory(topo)) {
                if (online) throw new ConfigReader.Invalid("cpu" + cpu + " is online but has no topology directory");
                b.offline(cpu);
                continue;
            }
            int pkg = Math.max(0, signed(topo.resolve("physical_package_id"), "physical_package_id"));
            Path dieFile = topo.resolve("die_id");
            int die = Files.exists(dieFile) ? Math.max(0, signed(dieFile, "die_id")) : 0;
            Path siblings = topo.resolve("thread_siblings_list");
            String core = Files.exists(siblings)
                ? "siblings " + cpulist(siblings).nextSetBit(0)
                : pkg + "/" + die + "/" + signed(topo.resolve("core_id"), "core_id");
            b.cpu(cpu, pkg, die, core, nodeOf.getOrDefault(cpu, 0), online);
        }
        distances(b, nodes);
        return b.build();
    }

    /** The SLIT from node/nodeN/distance, when every node has one. */
    private static void distances(MachineTopology.Builder b, Map<Integer, Path> nodes) throws ConfigReader.Invalid, IOException {
        if (nodes.isEmpty()) return;
        int[] ids = nodes.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        int[][] d = new int[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            Path f = nodes.get(ids[i]).resolve("distance");
            if (!Files.exists(f)) return;
            String[] cells = text(f).split("\\s+");
            if (cells.length != ids.length) {
                throw new ConfigReader.Invalid("node" + ids[i] + "/distance has " + cells.length + " values for "
                    + ids.length + " nodes");
            }
            d[i] = new int[ids.length];
            for (int j = 0; j < ids.length; j++) d[i][j] = TopologyImport.id(cells[j], "node" + ids[i] + "/distance value");
        }
        b.distances(ids, d);
    }

    /** Sub-directories named prefix + number, by number. */
    private static Map<Integer, Path> numbered(Path dir, Pattern name) throws IOException {
        Map<Integer, Path> m = new java.util.TreeMap<>();
        if (!Files.isDirectory(dir)) return m;
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Matcher x = name.matcher(p.getFileName().toString());
                if (x.matches() && x.group(1).length() <= 9 && Files.isDirectory(p)) m.put(Integer.parseInt(x.group(1)), p);
            }
        }
        return m;
    }

    private static BitSet cpulist(Path f) throws ConfigReader.Invalid, IOException {
        try {
            return CpuListParser.parse(text(f), LIMIT);
        } catch (ConfigReader.Invalid e) {
            throw new ConfigReader.Invalid(rel(f) + ": \"" + text(f) + "\" " + e.getMessage());
        }
    }

    private static int signed(Path f, String what) throws ConfigReader.Invalid, IOException {
        if (!Files.exists(f)) throw new ConfigReader.Invalid(rel(f) + " is missing");
        String t = text(f);
        if (!t.matches("-?\\d{1,9}")) throw new ConfigReader.Invalid(rel(f) + ": " + what + " \"" + t + "\" is not an integer");
        return Integer.parseInt(t);
    }

    private static String rel(Path f) {
        List<String> parts = new ArrayList<>();
        for (int i = Math.max(0, f.getNameCount() - 3); i < f.getNameCount(); i++) parts.add(f.getName(i).toString());
        return String.join("/", parts);
    }

    private static String text(Path f) throws IOException { return Files.readString(f, StandardCharsets.UTF_8).trim(); }
}
