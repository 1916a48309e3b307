package smpemu.coordinator.cli;

import java.io.PrintWriter;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import smpemu.config.ConfigException;
import smpemu.coordinator.result.RunResult;

/** The {@code smpemu} command line. Exit codes: 0 success, 1 the run failed, 2 bad usage or config. */
@Command(name = "smpemu", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true,
    version = {"smpemu 0.1.0", "result schema v" + RunResult.SCHEMA_VERSION},
    description = "Deterministic emulator of many-core Linux machines: preemption-off and RT latency.",
    subcommands = {RunCommand.class, CompareCommand.class, TortureCommand.class, CheckCommand.class, ScenariosCommand.class, BenchCommand.class, NodeCommand.class, TopologyCommand.class, SweepCommand.class})
public final class Main implements Runnable {
    static final int FAILED = 1;
    static final int BAD_USAGE = 2;

    static {
        // Bind SLF4J on this thread before Pekko's threads race to do it (SLF4J then prints
        // "replayed logging calls" warnings on stderr).
        LoggerFactory.getILoggerFactory();
    }

    @Spec
    CommandSpec spec;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "Print stack traces of unexpected errors.")
    boolean debug;

    @Override
    public void run() { throw new ParameterException(spec.commandLine(), "Missing command"); }

    public static void main(String[] args) { System.exit(execute(args)); }

    /** Runs a command line and returns its exit code (no System.exit: tests call this). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main())
            .setCaseInsensitiveEnumValuesAllowed(true)
            .setOut(out)
            .setErr(err)
            .setExecutionExceptionHandler(Main::failed)
            .setParameterExceptionHandler(Main::badUsage)
            // Output paths are checked before any command runs: a typo must not cost a whole run.
            .setExecutionStrategy(parsed -> {
                OutputFiles.checkAll(parsed);
                return new CommandLine.RunLast().execute(parsed);
            });
        try {
            return cl.execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /**
     * A usage error is one line and a pointer to the help: the whole usage text would bury the
     * message (picocli's default prints both).
     */
    private static int badUsage(ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        String hint = "";
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            hint = " (did you mean " + String.join(" or ", u.getSuggestions()) + "?)";
        }
        err.println("smpemu: " + e.getMessage() + hint);
        err.println("smpemu: see '" + cl.getCommandSpec().qualifiedName() + " --help'");
        return BAD_USAGE;
    }

    /** Config errors are the user's (2, one line each, no trace); anything else is a failed run (1). */
    private static int failed(Exception e, CommandLine cl, ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (e instanceof ConfigException ce) {
            ce.errors().forEach(line -> err.println("smpemu: " + line));
            return BAD_USAGE;
        }
        err.println("smpemu: " + (e.getMessage() != null ? e.getMessage() : e.toString()));
        if (debugRequested(parsed)) {
            e.printStackTrace(err);
        } else {
            err.println("smpemu: (--debug shows the stack trace)");
        }
        return FAILED;
    }

    /** --debug is inherited: it may have been given at any level of the command line. */
    private static boolean debugRequested(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--debug")) return true;
        }
        return false;
    }
}
