package smpemu.config;

/** Durations on the command line ({@code --trace-window 10ms,12ms}) spelled as in the configuration. */
public final class Durations {
    private Durations() {}

    /** "250us", "1.5 ms", ... in ns; the problem (not a duration, negative, too large) as an IllegalArgumentException. */
    public static long parseNs(String text) {
        try {
            return ConfigReader.parseDurationNs(text.trim());
        } catch (ConfigReader.Invalid e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
