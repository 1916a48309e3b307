package smpemu.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The parsable output of {@code lscpu -p=CPU,CORE,SOCKET,NODE} (util-linux): comment lines
 * starting with {@code #}, the last of which names the columns ({@code # CPU,Core,Socket,Node}),
 * then one line per CPU. Core, socket and node are lscpu's logical ids (unique over the machine);
 * an unknown value is empty or {@code -}. Other columns (BOOK, CACHE, ...) are skipped; an
 * {@code ONLINE} column ({@code Y}/{@code N}, from {@code -p=...,ONLINE -a}) is honoured.
 * Plain {@code -p} lists online CPUs only, so a CPU number missing below the highest is taken as
 * offline, as is a CPU listed without core or socket. lscpu gives no NUMA distances.
 */
final class LscpuFormat {
    private LscpuFormat() {}

    static MachineTopology read(String text) throws ConfigReader.Invalid {
        List<String> columns = List.of("cpu", "core", "socket", "node");
        MachineTopology.Builder b = new MachineTopology.Builder("lscpu");
        int lineNo = 0;
        boolean data = false;
        for (String raw : text.split("\r?\n", -1)) {
            lineNo++;
            String line = raw.trim();
            if (line.isEmpty()) continue;
            if (line.startsWith("#")) {
                List<String> named = header(line.substring(1));
                if (named != null && !data) columns = named;
                continue;
            }
            if (!data && (!columns.contains("cpu") || !columns.contains("core") || !columns.contains("socket"))) {
                throw new ConfigReader.Invalid("the column header " + String.join(",", columns)
                    + " lacks CPU, CORE or SOCKET (use lscpu -p=CPU,CORE,SOCKET,NODE)");
            }
            data = true;
            try {
                row(b, columns, line.split(",", -1));
            } catch (ConfigReader.Invalid e) {
                throw new ConfigReader.Invalid("line " + lineNo + ": " + e.getMessage());
            }
        }
        return b.build();
    }

    /** The column names of a comment line like " CPU,Core,Socket,Node", or null for prose. */
    private static List<String> header(String comment) {
        List<String> names = new ArrayList<>();
        for (String n : comment.trim().split(",", -1)) names.add(n.trim().toLowerCase(Locale.ROOT));
        return names.get(0).equals("cpu") ? names : null;
    }

    private static void row(MachineTopology.Builder b, List<String> columns, String[] cells) throws ConfigReader.Invalid {
        if (cells.length < columns.size()) {
            throw new ConfigReader.Invalid("has " + cells.length + " columns, the header names " + columns.size());
        }
        int cpu = TopologyImport.id(cell(cells, columns, "cpu"), "CPU");
        String core = cell(cells, columns, "core"), socket = cell(cells, columns, "socket"), node = cell(cells, columns, "node");
        String online = cell(cells, columns, "online");
        boolean on = online == null || online.isEmpty() || online.equalsIgnoreCase("y") || online.equalsIgnoreCase("yes");
        if (unknown(core) || unknown(socket)) {
            if (on && online != null && !online.isEmpty()) {
                throw new ConfigReader.Invalid("CPU " + cpu + " is online but its core or socket is unknown");
            }
            b.offline(cpu);
            return;
        }
        int s = TopologyImport.id(socket, "socket");
        int n = unknown(node) ? 0 : TopologyImport.id(node, "node");
        b.cpu(cpu, s, 0, s + "/" + TopologyImport.id(core, "core"), n, on);
    }

    private static String cell(String[] cells, List<String> columns, String name) {
        int i = columns.indexOf(name);
        return i < 0 ? null : cells[i].trim();
    }

    private static boolean unknown(String v) { return v == null || v.isEmpty() || v.equals("-"); }
}
