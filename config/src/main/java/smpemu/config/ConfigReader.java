package smpemu.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A view of one HOCON object at a user-visible path ({@code ""} for {@code smpemu} itself,
 * {@code workload.tasks[2]} for a list element) that converts its values without ever throwing:
 * each problem becomes one line {@code path: value message} in a list shared by all views, so a
 * whole config is checked in one pass and the user sees every mistake at once.
 *
 * <p>Readers return {@code null} when they recorded an error; composite parsers compare
 * {@link #mark()} before and after to know whether anything they read was bad.
 */
final class ConfigReader {

    /** Converts one value or explains, as the tail of an error line, why it cannot. */
    @FunctionalInterface
    interface Conv<T> {
        T apply(ConfigValue v) throws Invalid;
    }

    /** A conversion failure; the message follows the rendered value ("is not an integer"). */
    static final class Invalid extends Exception {
        Invalid(String message) { super(message, null, false, false); }
    }

    private static final String NOT_A_DURATION = "is not a duration (use a number with ns, us, ms or s)";
    private static final Pattern DURATION =
        Pattern.compile("\\s*([-+]?(?:\\d+(?:\\.\\d*)?|\\.\\d+))\\s*(ns|us|ms|s)\\s*");
    private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final ConfigRenderOptions CONCISE = ConfigRenderOptions.concise();
    private static final int MAX_RENDERED = 80;

    private final ConfigObject obj;
    private final String path;
    private final List<String> errors;

    private ConfigReader(ConfigObject obj, String path, List<String> errors) {
        this.obj = obj;
        this.path = path;
        this.errors = errors;
    }

    /** The {@code smpemu} object of {@code cfg}; an empty one (and an error) if there is none. */
    static ConfigReader root(Config cfg, List<String> errors) {
        ConfigValue v = cfg.root().get("smpemu");
        if (isObject(v)) return new ConfigReader((ConfigObject) v, "", errors);
        errors.add("smpemu: " + (v == null ? "missing" : render(v) + " is not an object"));
        return new ConfigReader(ConfigFactory.empty().root(), "", errors);
    }

    String path() { return path; }

    String pathOf(String key) { return path.isEmpty() ? key : path + "." + key; }

    /** Error count so far; pass it to {@link #cleanSince} to learn whether later reads failed. */
    int mark() { return errors.size(); }

    boolean cleanSince(int mark) { return errors.size() == mark; }

    /** The value at {@code key}, or null when absent or HOCON null. */
    ConfigValue value(String key) {
        ConfigValue v = obj.get(key);
        return v == null || v.valueType() == ConfigValueType.NULL ? null : v;
    }

    boolean has(String key) { return value(key) != null; }

    boolean isObject(String key) { return isObject(obj.get(key)); }

    /** Records {@code path.key: message}. */
    void error(String key, String message) { errors.add(pathOf(key) + ": " + message); }

    /** Records {@code path.key: <value> message}, for checks that span several keys. */
    void reject(String key, String message) { errors.add(pathOf(key) + ": " + render(obj.get(key)) + " " + message); }

    /**
     * Reports every key not in {@code allowed}. The full path (with {@code smpemu.}) is given
     * because an unknown key is a spelling problem in the file, where that is what the user wrote.
     */
    void checkKeys(Collection<String> allowed) {
        for (String key : new TreeSet<>(obj.keySet())) {
            if (allowed.contains(key)) continue;
            String hint = closest(key, allowed)
                .map(k -> "did you mean " + k + "?")
                .orElse("allowed: " + String.join(", ", new TreeSet<>(allowed)));
            errors.add("smpemu." + pathOf(key) + ": unknown key (" + hint + ")");
        }
    }

    /** The required value at {@code key}; null (and an error) when missing or invalid. */
    <T> T get(String key, Conv<T> conv) {
        ConfigValue v = value(key);
        if (v == null) {
            error(key, "missing (required)");
            return null;
        }
        return convert(v, pathOf(key), conv);
    }

    /** The value at {@code key}, {@code dflt} when absent; null (and an error) when invalid. */
    <T> T get(String key, Conv<T> conv, T dflt) {
        ConfigValue v = value(key);
        return v == null ? dflt : convert(v, pathOf(key), conv);
    }

    /** The required list at {@code key}, each element converted; null if it or any element is bad. */
    <T> List<T> list(String key, Conv<T> conv) {
        ConfigList list = get(key, ConfigReader::asList);
        if (list == null) return null;
        int mark = mark();
        List<T> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) out.add(convert(list.get(i), pathOf(key) + "[" + i + "]", conv));
        return cleanSince(mark) ? out : null;
    }

    /** The required object at {@code key}; null (and an error) when missing or not an object. */
    ConfigReader object(String key) {
        ConfigObject o = get(key, v -> {
            if (!isObject(v)) throw new Invalid("is not an object");
            return (ConfigObject) v;
        });
        return o == null ? null : new ConfigReader(o, pathOf(key), errors);
    }

    /** The required list of objects at {@code key}, each a view at {@code key[i]}; null when bad. */
    List<ConfigReader> objects(String key) {
        String at = pathOf(key);
        List<ConfigObject> list = list(key, v -> {
            if (!isObject(v)) throw new Invalid("is not an object");
            return (ConfigObject) v;
        });
        if (list == null) return null;
        List<ConfigReader> out = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) out.add(new ConfigReader(list.get(i), at + "[" + i + "]", errors));
        return out;
    }

    /** Converts a value found by the caller (e.g. inside a nested list) at the given path. */
    <T> T convert(ConfigValue v, String at, Conv<T> conv) {
        try {
            return conv.apply(v);
        } catch (Invalid e) {
            errors.add(at + ": " + render(v) + " " + e.getMessage());
            return null;
        }
    }

    // ---- conversions ------------------------------------------------------------------------

    static ConfigList asList(ConfigValue v) throws Invalid {
        if (v.valueType() != ConfigValueType.LIST) throw new Invalid("is not a list");
        return (ConfigList) v;
    }

    /** A whole number in lo..hi; numeric strings count, as in Typesafe's own getters. */
    static Conv<Long> longIn(long lo, long hi) {
        return v -> {
            long x = integer(v);
            if (x < lo || x > hi) {
                throw new Invalid(hi >= Integer.MAX_VALUE ? "must be >= " + lo : "is out of range " + lo + ".." + hi);
            }
            return x;
        };
    }

    static Conv<Integer> intIn(int lo, int hi) {
        Conv<Long> conv = longIn(lo, hi);
        return v -> conv.apply(v).intValue();
    }

    /** A whole number from a fixed set, e.g. the allowed tick rates. */
    static Conv<Integer> intOneOf(int... allowed) {
        return v -> {
            long x = integer(v);
            for (int a : allowed) if (a == x) return a;
            throw new Invalid("is not one of " + Arrays.stream(allowed).mapToObj(Integer::toString)
                .collect(Collectors.joining(", ")));
        };
    }

    private static long integer(ConfigValue v) throws Invalid {
        Object u = v.unwrapped();
        if (u instanceof Integer || u instanceof Long) return ((Number) u).longValue();
        if (u instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                // reported below like any other non-integer
            }
        }
        throw new Invalid("is not an integer");
    }

    /** A finite real number, > 0 or (when {@code zeroAllowed}) >= 0. */
    static Conv<Double> number(boolean zeroAllowed) {
        return v -> {
            double x = FINITE.apply(v);
            if (zeroAllowed ? x < 0 : x <= 0) throw new Invalid(zeroAllowed ? "must be >= 0" : "must be > 0");
            return x;
        };
    }

    /** Any finite number, negative ones included. */
    static final Conv<Double> FINITE = v -> {
        Object u = v.unwrapped();
        double x;
        if (u instanceof Number n) {
            x = n.doubleValue();
        } else if (u instanceof String s) {
            try {
                x = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new Invalid("is not a number");
            }
        } else {
            throw new Invalid("is not a number");
        }
        if (!Double.isFinite(x)) throw new Invalid("is not a finite number");
        return x;
    };

    /** true / false (and Typesafe's yes / no / on / off). */
    static final Conv<Boolean> BOOLEAN = v -> {
        Object u = v.unwrapped();
        if (u instanceof Boolean b) return b;
        if (u instanceof String s) {
            switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on": return true;
                case "false", "no", "off": return false;
                default: break;
            }
        }
        throw new Invalid("is not a boolean (true or false)");
    };

    /** A non-empty string; numbers and booleans count, as in Typesafe's getString. */
    static final Conv<String> STRING = v -> {
        String s = switch (v.valueType()) {
            case STRING -> (String) v.unwrapped();
            case NUMBER, BOOLEAN -> v.render(CONCISE);
            default -> throw new Invalid("is not a string");
        };
        if (s.isEmpty()) throw new Invalid("is empty");
        return s;
    };

    /** A task or IRQ name: it appears in instance names, paths and reports. */
    static final Conv<String> NAME = v -> {
        String s = STRING.apply(v);
        if (!NAME_PATTERN.matcher(s).matches()) throw new Invalid("is not a valid name (use letters, digits, _, . and -)");
        return s;
    };

    static Conv<String> oneOf(List<String> allowed) {
        return v -> {
            String s = STRING.apply(v);
            if (!allowed.contains(s)) throw new Invalid("is not one of " + String.join(", ", allowed));
            return s;
        };
    }

    /** An enum constant spelled in lower case with '-' for '_' (FIFO -> fifo, COND_RESCHED -> cond-resched). */
    static <E extends Enum<E>> Conv<E> choice(Class<E> type) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(ConfigReader::spelling).toList();
        Conv<String> conv = oneOf(names);
        return v -> type.getEnumConstants()[names.indexOf(conv.apply(v))];
    }

    private static String spelling(Enum<?> e) { return e.name().toLowerCase(Locale.ROOT).replace('_', '-'); }

    /** A duration string in ns, >= 0, or > 0 when {@code positive}; a bare number has no unit and is refused. */
    static Conv<Long> duration(boolean positive) {
        return v -> {
            if (v.valueType() != ConfigValueType.STRING) throw new Invalid(NOT_A_DURATION);
            long ns = parseDurationNs((String) v.unwrapped());
            if (positive && ns == 0) throw new Invalid("must be > 0");
            return ns;
        };
    }

    /** Parses "250us", "1.5 ms", ... to ns (rounded to the nearest ns). */
    static long parseDurationNs(String text) throws Invalid {
        Matcher m = DURATION.matcher(text);
        if (!m.matches()) throw new Invalid(NOT_A_DURATION);
        long unit = switch (m.group(2)) {
            case "ns" -> 1L;
            case "us" -> 1_000L;
            case "ms" -> 1_000_000L;
            default -> 1_000_000_000L;
        };
        BigDecimal ns = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(unit));
        if (ns.signum() < 0) throw new Invalid("is negative (durations must be >= 0)");
        try {
            return ns.setScale(0, RoundingMode.HALF_UP).longValueExact();
        } catch (ArithmeticException e) {
            throw new Invalid("is too large (at most about 292 years)");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    /** The value as the user would recognise it: strings quoted, numbers as written. */
    static String render(ConfigValue v) {
        if (v == null) return "null";
        String s = v.render(CONCISE);
        return s.length() <= MAX_RENDERED ? s : s.substring(0, MAX_RENDERED - 3) + "...";
    }

    /** Unresolved substitutions (possible in a raw user layer) have no type yet: not an object. */
    static boolean isObject(ConfigValue v) {
        try {
            return v != null && v.valueType() == ConfigValueType.OBJECT;
        } catch (com.typesafe.config.ConfigException.NotResolved e) {
            return false;
        }
    }

    /**
     * The candidate within a small edit distance of {@code word}, else one it abbreviates
     * ("prio" -> priority), for "did you mean" hints.
     */
    static Optional<String> closest(String word, Collection<String> candidates) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(candidates)); // ties resolve the same every run
        String best = null;
        int bestDistance = Math.max(1, word.length() / 3) + 1;
        for (String c : sorted) {
            int d = editDistance(word, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null && word.length() >= 3) {
            best = sorted.stream().filter(c -> c.startsWith(word)).findFirst().orElse(null);
        }
        return Optional.ofNullable(best);
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
