package smpemu.config;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

/**
 * hwloc's XML ({@code lstopo --of xml}), read with the JDK's DOM parser. v2 ({@code <topology
 * version="2.0">}): NUMA nodes are memory children and PUs carry a {@code nodeset}; distances in
 * {@code <distances2 type="NUMANode">} ({@code indexes} then the row-major {@code u64values}).
 * v1 (no version): {@code Socket} or {@code Package} objects, NUMA nodes in the CPU tree,
 * distances in {@code <distances latency_base=...>} as relative {@code latency} values over the
 * NUMA nodes in document order. A PU's {@code os_index} is the CPU number; its socket is the
 * {@code os_index} of the enclosing Package/Socket, its core the enclosing Core object. CPUs of the
 * root's {@code complete_cpuset} that no PU stands for are offline without a place; in v1, PUs
 * outside the root's {@code online_cpuset} are offline.
 */
final class HwlocFormat {
    private HwlocFormat() {}

    static MachineTopology read(String xml) throws ConfigReader.Invalid {
        Document doc = parse(xml);
        Element top = doc.getDocumentElement();
        if (!top.getTagName().equals("topology")) {
            throw new ConfigReader.Invalid("is XML but not an hwloc topology (root element <" + top.getTagName() + ">)");
        }
        boolean v2 = top.getAttribute("version").startsWith("2");
        Element root = firstChild(top, "object");
        if (root == null) throw new ConfigReader.Invalid("hwloc topology without a root object");
        MachineTopology.Builder b = new MachineTopology.Builder(v2 ? "hwloc v2" : "hwloc v1");
        BitSet onlineSet = v2 || root.getAttribute("online_cpuset").isEmpty() ? null : cpuset(root.getAttribute("online_cpuset"));
        Walk w = new Walk(b, onlineSet);
        w.visit(root, -1, 0, null, 0);
        BitSet complete = root.getAttribute("complete_cpuset").isEmpty() ? new BitSet() : cpuset(root.getAttribute("complete_cpuset"));
        for (int c = complete.nextSetBit(0); c >= 0; c = complete.nextSetBit(c + 1)) if (!b.has(c)) b.offline(c);
        if (v2) distances2(b, top, w.numaGp); else distances1(b, root, w.numaOrder);
        return b.build();
    }

    /** The tree walk: the enclosing package, die, core and (v1) NUMA node of each PU. */
    private static final class Walk {
        final MachineTopology.Builder b;
        final BitSet onlineSet;
        final List<Integer> numaOrder = new ArrayList<>();
        final Map<Long, Integer> numaGp = new HashMap<>();
        int cores;

        Walk(MachineTopology.Builder b, BitSet onlineSet) {
            this.b = b;
            this.onlineSet = onlineSet;
        }

        void visit(Element o, int pkg, int die, String core, int node) throws ConfigReader.Invalid {
            String type = o.getAttribute("type");
            int os = intAttr(o, "os_index", -1);
            switch (type) {
                case "Package", "Socket" -> pkg = os;
                case "Die" -> die = os;
                case "Core" -> core = "core " + cores++;
                case "NUMANode" -> {
                    numaOrder.add(os);
                    numaGp.put((long) intAttr(o, "gp_index", -1), os);
                    node = os;
                }
                case "PU" -> {
                    if (os < 0) throw new ConfigReader.Invalid("a PU has no os_index");
                    String nodeset = o.getAttribute("nodeset");
                    int n = nodeset.isEmpty() ? node : Math.max(0, cpuset(nodeset).nextSetBit(0));
                    boolean online = onlineSet == null || onlineSet.get(os);
                    b.cpu(os, Math.max(0, pkg), Math.max(0, die), core != null ? core : "pu " + os, Math.max(0, n), online);
                }
                default -> { }
            }
            for (Node c = o.getFirstChild(); c != null; c = c.getNextSibling()) {
                if (c instanceof Element e && e.getTagName().equals("object")) visit(e, pkg, die, core, node);
            }
        }
    }

    /** v2: the first NUMANode distance matrix, indexed by os or gp index. */
    private static void distances2(MachineTopology.Builder b, Element top, Map<Long, Integer> numaGp) throws ConfigReader.Invalid {
        for (Node c = top.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (!(c instanceof Element d) || !d.getTagName().equals("distances2") || !d.getAttribute("type").equals("NUMANode")) continue;
            int n = intAttr(d, "nbobjs", -1);
            long[] idx = numbers(d, "indexes"), values = numbers(d, "u64values");
            if (n <= 0 || idx.length != n || values.length != (long) n * n) {
                throw new ConfigReader.Invalid("<distances2> with nbobjs " + n + " has " + idx.length + " indexes and "
                    + values.length + " values (want " + n + " and " + (long) n * n + ")");
            }
            boolean gp = d.getAttribute("indexing").equals("gp");
            int[] nodes = new int[n];
            for (int i = 0; i < n; i++) {
                Integer os = gp ? numaGp.get(idx[i]) : Integer.valueOf((int) idx[i]);
                if (os == null) throw new ConfigReader.Invalid("<distances2> names gp_index " + idx[i] + ", no NUMANode has it");
                nodes[i] = os;
            }
            b.distances(nodes, matrix(n, values));
            return;
        }
    }

    /** v1: relative latencies times latency_base over the NUMA nodes in document order. */
    private static void distances1(MachineTopology.Builder b, Element root, List<Integer> numa) throws ConfigReader.Invalid {
        for (Node c = root.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (!(c instanceof Element d) || !d.getTagName().equals("distances")) continue;
            int n = intAttr(d, "nbobjs", -1);
            if (n != numa.size()) continue; // distances between other objects than the NUMA nodes
            List<Element> lat = children(d, "latency");
            if (lat.size() != n * n) {
                throw new ConfigReader.Invalid("<distances nbobjs=\"" + n + "\"> has " + lat.size() + " latency values (want " + n * n + ")");
            }
            double base = doubleAttr(d, "latency_base", 1.0);
            long[] values = new long[n * n];
            for (int i = 0; i < values.length; i++) values[i] = Math.round(doubleAttr(lat.get(i), "value", -1) * (base > 0 ? base : 1.0));
            b.distances(numa.stream().mapToInt(Integer::intValue).toArray(), matrix(n, values));
            return;
        }
    }

    private static int[][] matrix(int n, long[] values) {
        int[][] m = new int[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) m[i][j] = (int) Math.min(Integer.MAX_VALUE, values[i * n + j]);
        return m;
    }

    /** hwloc bitmaps: comma-separated 32-bit hex words, most significant first ("0x000000ff,0xffffffff"). */
    static BitSet cpuset(String text) throws ConfigReader.Invalid {
        BitSet set = new BitSet();
        String t = text.trim();
        if (t.contains("f...f")) throw new ConfigReader.Invalid("cpuset \"" + t + "\" is infinite");
        String[] words = t.split(",");
        for (int w = 0; w < words.length; w++) {
            String hex = words[words.length - 1 - w].trim();
            if (hex.startsWith("0x") || hex.startsWith("0X")) hex = hex.substring(2);
            if (!hex.matches("[0-9a-fA-F]{1,8}")) throw new ConfigReader.Invalid("cpuset \"" + t + "\" is not an hwloc bitmap");
            long bits = Long.parseLong(hex, 16);
            for (int i = 0; i < 32; i++) if ((bits >>> i & 1) != 0) set.set(w * 32 + i);
        }
        return set;
    }

    private static Document parse(String xml) throws ConfigReader.Invalid {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            // lstopo writes <!DOCTYPE topology SYSTEM "hwloc.dtd">: never fetch it, expand nothing external.
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            DocumentBuilder db = f.newDocumentBuilder();
            db.setErrorHandler(null);
            return db.parse(new InputSource(new StringReader(xml)));
        } catch (SAXException e) {
            throw new ConfigReader.Invalid("is not well-formed XML: " + e.getMessage());
        } catch (ParserConfigurationException | IOException e) {
            throw new ConfigReader.Invalid("cannot be parsed: " + e.getMessage());
        }
    }

    private static long[] numbers(Element d, String tag) throws ConfigReader.Invalid {
        List<Long> out = new ArrayList<>();
        for (Element e : children(d, tag)) {
            for (String s : e.getTextContent().trim().split("\\s+")) {
                if (s.isEmpty()) continue;
                if (!s.matches("\\d{1,18}")) throw new ConfigReader.Invalid("<" + tag + "> value \"" + s + "\" is not a number");
                out.add(Long.parseLong(s));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node c = parent.getFirstChild(); c != null; c = c.getNextSibling()) {
            if (c instanceof Element e && e.getTagName().equals(tag)) out.add(e);
        }
        return out;
    }

    private static Element firstChild(Element parent, String tag) {
        List<Element> c = children(parent, tag);
        return c.isEmpty() ? null : c.get(0);
    }

    private static int intAttr(Element e, String name, int dflt) throws ConfigReader.Invalid {
        String v = e.getAttribute(name);
        if (v.isEmpty()) return dflt;
        if (!v.matches("-?\\d{1,9}")) throw new ConfigReader.Invalid("<" + e.getTagName() + " " + name + "=\"" + v + "\"> is not an integer");
        return Integer.parseInt(v);
    }

    private static double doubleAttr(Element e, String name, double dflt) throws ConfigReader.Invalid {
        String v = e.getAttribute(name);
        if (v.isEmpty()) return dflt;
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException x) {
            throw new ConfigReader.Invalid("<" + e.getTagName() + " " + name + "=\"" + v + "\"> is not a number");
        }
    }
}
