package smpemu.coordinator.sweep;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One simulation of a sweep: its number (1-based, in the sweep's order), the kernel as the user
 * named it (null: the configured kernel), the seed (null: the configured seed) and the swept
 * parameters with their values as given (HOCON text).
 */
public record SweepPoint(int id, String kernel, Long seed, Map<String, String> params) {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public SweepPoint {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** "0007": the name of its files in the output directory. */
    public String file() { return String.format("%04d", id); }

    /** What the point is, as JSON; also its identity when resuming. */
    public ObjectNode json() {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("id", id);
        if (kernel == null) o.putNull("kernel"); else o.put("kernel", kernel);
        if (seed == null) o.putNull("seed"); else o.put("seed", seed);
        ObjectNode p = o.putObject("params");
        params.forEach(p::put);
        return o;
    }

    /** "kernel.patches=[2] kernel=patched seed=3": for messages. */
    public String label() {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> b.append(k).append('=').append(v).append(' '));
        if (kernel != null) b.append("kernel=").append(kernel).append(' ');
        if (seed != null) b.append("seed=").append(seed).append(' ');
        return b.length() == 0 ? "the configuration" : b.toString().trim();
    }
}
