package smpemu.coordinator.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import smpemu.config.ConfigException;

/**
 * The points of a sweep: the cartesian product of the swept parameters (in the order given, the
 * first outermost), the kernels and the seeds (innermost). Parsing of --param and --seeds.
 */
public final class SweepPlan {
    private SweepPlan() {}

    /** One --param: a key (relative to smpemu.) and its values as HOCON text. */
    public record Param(String key, List<String> values) {}

    public static List<SweepPoint> points(List<Param> params, List<String> kernels, List<Long> seeds) {
        List<SweepPoint> out = new ArrayList<>();
        List<String> ks = kernels.isEmpty() ? java.util.Collections.singletonList(null) : kernels;
        List<Long> ss = seeds.isEmpty() ? java.util.Collections.singletonList(null) : seeds;
        product(params, 0, new LinkedHashMap<>(), ks, ss, out);
        return out;
    }

    private static void product(List<Param> params, int i, Map<String, String> chosen, List<String> kernels,
                                List<Long> seeds, List<SweepPoint> out) {
        if (i == params.size()) {
            for (String k : kernels) for (Long s : seeds) out.add(new SweepPoint(out.size() + 1, k, s, chosen));
            return;
        }
        for (String v : params.get(i).values()) {
            chosen.put(params.get(i).key(), v);
            product(params, i + 1, chosen, kernels, seeds, out);
        }
        chosen.remove(params.get(i).key());
    }

    /**
     * "KEY=V1,V2,...": values are HOCON, split at the commas outside brackets, braces and quotes,
     * so {@code kernel.patches=[],[2],[2,3]} has three values.
     */
    public static Param param(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) throw new ConfigException(List.of("--param " + text + ": expected KEY=V1,V2,..."));
        String key = text.substring(0, eq).trim();
        if (key.startsWith("smpemu.")) key = key.substring("smpemu.".length());
        List<String> values = new ArrayList<>();
        int depth = 0, start = eq + 1;
        boolean quoted = false;
        for (int i = eq + 1; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ',';
            if (quoted) {
                if (c == '\\') i++;
                else if (c == '"') quoted = false;
                continue;
            }
            switch (c) {
                case '"' -> quoted = true;
                case '[', '{' -> depth++;
                case ']', '}' -> depth--;
                case ',' -> {
                    if (depth == 0) {
                        String v = text.substring(start, Math.min(i, text.length())).trim();
                        if (v.isEmpty()) throw new ConfigException(List.of("--param " + text + ": an empty value"));
                        values.add(v);
                        start = i + 1;
                    }
                }
                default -> { }
            }
        }
        if (quoted || depth != 0) throw new ConfigException(List.of("--param " + text + ": unbalanced quotes or brackets"));
        return new Param(key, values);
    }

    /** "1-5", "1,3,9", "1-3,7": seeds in the order given, each once. */
    public static List<Long> seeds(String text) {
        List<Long> out = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String p = part.trim();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(-?\\d{1,18})(?:-(-?\\d{1,18}))?").matcher(p);
            if (!m.matches()) {
                throw new ConfigException(List.of("--seeds " + text + ": \"" + p + "\" is not a seed or a range like 1-5"));
            }
            long lo = Long.parseLong(m.group(1)), hi = m.group(2) == null ? lo : Long.parseLong(m.group(2));
            if (hi < lo || hi - lo >= 100_000) {
                throw new ConfigException(List.of("--seeds " + text + ": range " + p + " is empty or longer than 100000"));
            }
            for (long s = lo; s <= hi; s++) if (!out.contains(s)) out.add(s);
        }
        return out;
    }
}
