package smpemu.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundled scenarios: classpath {@code scenarios/<name>.conf}, each a user layer on top of
 * reference.conf. They are listed in {@code scenarios/index.txt} (one {@code name<TAB>description}
 * per line) because a classpath directory cannot be listed reliably inside a jar.
 */
public final class ScenarioCatalog {
    private ScenarioCatalog() {}

    private static final String DIR = "scenarios/";

    private static final class IndexHolder {
        static final Map<String, String> INDEX = readIndex();
    }

    /** Names of the bundled scenarios, in index order. */
    public static List<String> names() { return List.copyOf(IndexHolder.INDEX.keySet()); }

    /** The one-line description of a bundled scenario. */
    public static String description(String name) {
        requireKnown(name);
        return IndexHolder.INDEX.get(name);
    }

    /** The parsed (unresolved, not yet layered) scenario file. */
    public static Config load(String name) {
        requireKnown(name);
        return ConfigFactory.parseResources(ScenarioCatalog.class.getClassLoader(), DIR + name + ".conf",
            ConfigParseOptions.defaults().setAllowMissing(false));
    }

    private static void requireKnown(String name) {
        if (!IndexHolder.INDEX.containsKey(name)) {
            throw new ConfigException(List.of("scenario \"" + name + "\" is not a bundled scenario (known: "
                + String.join(", ", IndexHolder.INDEX.keySet()) + ")"));
        }
    }

    /** A malformed index is a packaging bug, not a user error, hence IllegalStateException. */
    private static Map<String, String> readIndex() {
        InputStream in = ScenarioCatalog.class.getClassLoader().getResourceAsStream(DIR + "index.txt");
        if (in == null) throw new IllegalStateException(DIR + "index.txt is missing from the classpath");
        Map<String, String> index = new LinkedHashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) continue;
                String[] parts = line.split("\t", 2);
                if (parts.length != 2) throw new IllegalStateException(DIR + "index.txt: no tab in \"" + line + "\"");
                index.put(parts[0].trim(), parts[1].trim());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return index;
    }
}
