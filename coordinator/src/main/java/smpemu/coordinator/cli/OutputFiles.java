package smpemu.coordinator.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import smpemu.coordinator.result.JsonReport;

/**
 * The result files a command writes ({@code --json FILE}, {@code --histogram FILE}, ...):
 * checked before the run starts, so that a bad path costs a second and not a whole run, and
 * written after it without ever losing the text report when the write still fails.
 */
final class OutputFiles {
    /** The options whose value is a file the command writes ({@code -} = stdout). */
    static final Set<String> OPTIONS = Set.of("--json", "--histogram", "--trace", "--latency-trace");

    private final List<String> failures = new ArrayList<>();

    /** Every output option on the command line is writable, else a usage error with the OS's reason. */
    static void checkAll(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (OptionSpec o : p.matchedOptions()) {
                if (OPTIONS.contains(o.longestName())) check(p, o.longestName(), o.getValue());
            }
        }
    }

    private static void check(ParseResult p, String option, Object value) {
        if (value == null || "-".equals(value.toString())) return;
        String target = value.toString();
        String problem;
        try {
            problem = problem(Path.of(target).toAbsolutePath());
        } catch (InvalidPathException e) {
            problem = e.getReason();
        }
        if (problem != null) {
            throw new ParameterException(p.commandSpec().commandLine(), option + " " + target + ": cannot write: " + problem);
        }
    }

    /** Creates and deletes a file next to the target: the same operation the write will do. */
    private static String problem(Path abs) {
        if (Files.isDirectory(abs)) return "Is a directory";
        try {
            Files.delete(Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp"));
            return null;
        } catch (IOException e) {
            return reason(e);
        }
    }

    /** The operating system's wording: Java puts only the path in most of its messages. */
    static String reason(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        if (e instanceof NoSuchFileException) return "No such file or directory";
        if (e instanceof AccessDeniedException) return "Permission denied";
        return e.getMessage();
    }

    /**
     * Writes {@code text} to {@code target} ({@code -}: stdout). A failure is kept for
     * {@link #finish}, so the command still prints its text report.
     */
    void write(String target, String text, PrintWriter stdout) {
        if (target.equals("-")) {
            stdout.print(text);
            stdout.flush();
            return;
        }
        try {
            JsonReport.writeAtomically(Path.of(target), text);
        } catch (UncheckedIOException e) {
            failures.add("cannot write " + target + ": " + reason(e.getCause()));
        }
    }

    /** A file written by {@code writer} (streamed, not held as text); a failure is kept as {@link #write} keeps it. */
    void write(String target, Runnable writer) {
        try {
            writer.run();
        } catch (UncheckedIOException e) {
            failures.add("cannot write " + target + ": " + reason(e.getCause()));
        }
    }

    /** Reports the failed writes; the run itself succeeded, but its result is not where asked (exit 1). */
    int finish(PrintWriter err, int code) {
        for (String f : failures) err.println("smpemu: " + f + " (the text report is complete)");
        err.flush();
        return failures.isEmpty() ? code : Math.max(code, Main.FAILED);
    }
}
