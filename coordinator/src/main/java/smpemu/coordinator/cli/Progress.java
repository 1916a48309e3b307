package smpemu.coordinator.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A progress bar on stderr (me.tongfei:progressbar), never on stdout, so JSON there stays clean.
 * {@code --progress auto} shows it only when stderr is a terminal; {@code always} also into a
 * file or pipe; {@code never} not at all. A disabled bar ignores every call.
 */
final class Progress implements AutoCloseable {
    enum Mode { AUTO, ALWAYS, NEVER }

    private static final int WIDTH = 100;
    private final ProgressBar bar;
    private final PrintWriter err;

    private Progress(ProgressBar bar, PrintWriter err) {
        this.bar = bar;
        this.err = err;
    }

    /** A bar of {@code max} units named {@code unit}, or a disabled one. */
    static Progress open(Mode mode, PrintWriter err, String task, long max, String unit) {
        if (mode == Mode.NEVER || (mode == Mode.AUTO && !stderrIsTerminal())) return new Progress(null, err);
        ProgressBar bar = new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(max)
            .setStyle(ProgressBarStyle.ASCII)
            .setUnit(" " + unit, 1)
            .setUpdateIntervalMillis(500)
            .setConsumer(new DelegatingProgressBarConsumer(line -> {
                err.print('\r' + line);
                err.flush();
            }, WIDTH))
            .build();
        return new Progress(bar, err);
    }

    boolean enabled() { return bar != null; }

    void stepTo(long n) { if (bar != null) bar.stepTo(n); }

    void step() { if (bar != null) bar.step(); }

    void message(String extra) { if (bar != null) bar.setExtraMessage(extra); }

    @Override
    public void close() {
        if (bar == null) return;
        bar.close();
        err.println();
        err.flush();
    }

    /**
     * Java cannot ask isatty(2); on Linux, fd 2 links to a /dev/pts or /dev/tty device when it is
     * a terminal. Elsewhere, a console (stdin and stdout on a terminal) is the best guess.
     */
    private static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }
}
