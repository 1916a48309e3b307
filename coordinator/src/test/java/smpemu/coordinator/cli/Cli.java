package smpemu.coordinator.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Test helper: the command line in-process, with its exit code, stdout and stderr. */
final class Cli {
    private Cli() {}

    record Outcome(int code, String out, String err) {}

    static Outcome exec(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new Outcome(code, out.toString(), err.toString());
    }
}
