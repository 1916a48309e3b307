package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Behaviour pinned by digest: every row of {@code golden/digests.csv} (a command line: scenario
 * or test config, kernel variant or patch set, seed, duration) is replayed on both engines and
 * must give the digest recorded there. A change to the model that moves a digest is a behaviour
 * change: it goes in a commit of its own that updates only the rows it moves and says why.
 *
 * <p>To record the rows after such a change: {@code mvn -pl coordinator -am test
 * -Dtest=GoldenDigestTest -Dsurefire.failIfNoSpecifiedTests=false -Dsmpemu.golden.update=true}
 * rewrites the file from the sequential engine's digests (the actor engine must still agree).
 */
class GoldenDigestTest {
    private static final Path CSV = Path.of("src/test/resources/golden/digests.csv");
    private static final boolean UPDATE = Boolean.getBoolean("smpemu.golden.update");
    private static final List<String> updated = new ArrayList<>();

    @TempDir
    static Path dir;

    /** One row: a name, the command line (words split on blanks; "..." keeps blanks), the digest. */
    record Row(String name, String args, String digest) {
        @Override public String toString() { return name; }
    }

    static Stream<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (String line : Files.readAllLines(CSV, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\\|", -1);
            if (f.length != 3) throw new IllegalStateException("golden row needs name|args|digest: " + line);
            rows.add(new Row(f[0].trim(), f[1].trim(), f[2].trim()));
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void digestHoldsOnBothEngines(Row row) throws Exception {
        String seq = digest(row, "sequential");
        String act = digest(row, "actors");
        assertEquals(seq, act, row.name + ": actors vs sequential");
        if (UPDATE) {
            synchronized (updated) { updated.add(row.name + " | " + row.args + " | " + seq); }
            return;
        }
        assertEquals(row.digest, seq, row.name + ": digest moved (behaviour change?)");
    }

    private static String digest(Row row, String engine) throws IOException {
        Path json = dir.resolve(row.name + "-" + engine + ".json");
        List<String> args = new ArrayList<>(words(row.args));
        args.addAll(List.of("--engine", engine, "--json", json.toString()));
        Cli.Outcome o = Cli.exec(args.toArray(String[]::new));
        assertTrue(o.code() == 0 || o.code() == 1, row.name + " exit " + o.code() + ": " + o.err());
        return new ObjectMapper().readTree(Files.readString(json)).get("digest").asText();
    }

    /** Splits on blanks, keeping "double-quoted" words whole (without the quotes). */
    static List<String> words(String s) {
        List<String> w = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean quoted = false, any = false;
        for (char c : s.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (c == ' ' && !quoted) {
                if (any) w.add(b.toString());
                b.setLength(0);
                any = false;
            } else {
                b.append(c);
                any = true;
            }
        }
        if (any) w.add(b.toString());
        return w;
    }

    @AfterAll
    static void rewrite() {
        if (!UPDATE) return;
        try {
            List<String> out = new ArrayList<>();
            for (String line : Files.readAllLines(CSV, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    out.add(line);
                    continue;
                }
                String name = line.split("\\|", -1)[0].trim();
                out.add(updated.stream().filter(u -> u.startsWith(name + " |")).findFirst().orElse(line));
            }
            Files.write(CSV, out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
