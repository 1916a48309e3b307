package smpemu.coordinator.cli;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import smpemu.config.ConfigException;

/**
 * Kernel command-line parameters as smpemu keys: scftorture's module parameters under their
 * kernel names and units (kernel/scftorture.c's torture_param list), and the boot words that
 * name something smpemu models. Keys are relative to {@code smpemu.}.
 */
final class KernelParams {
    private KernelParams() {}

    /** A key and its HOCON value. */
    record Setting(String key, String value) {}

    private static final String SCF = "scftorture.";
    private static final Set<String> BOOLS = Set.of("scftorture.use-cpus-read-lock", "scftorture.shutdown");

    /** Whether {@code bare} is one of scftorture's parameters' spellings (kernel or HOCON). */
    static boolean isScftorture(String bare) { return bare.startsWith(SCF); }

    /** Whether the value needs the run's HZ (onoff_interval is in jiffies). */
    static boolean needsHz(String bare, String value) {
        return bare.replace('_', '-').equals(SCF + "onoff-interval") && isInteger(value);
    }

    /**
     * scftorture.PARAM=VALUE with the kernel's meaning. A plain integer is in the kernel's unit:
     * holdoff, onoff_holdoff, stat_interval and shutdown_secs in seconds, onoff_interval in
     * jiffies of {@code hz}, stutter in jiffies (the model's unit too), booleans 0/1 or y/n;
     * anything else is a HOCON value and passes as it is. shutdown_secs > 0 is the run's
     * duration; <= 0 (the kernel: no shutdown) gives null, nothing to set.
     */
    static Setting scftorture(String bare, String value, int hz) {
        String key = bare.replace('_', '-');
        if (BOOLS.contains(key) && bool(value) != null) return new Setting(key, bool(value));
        if (!isInteger(value)) return new Setting(key, value);
        long n = Long.parseLong(value);
        return switch (key) {
            case SCF + "onoff-interval" -> new Setting(key, n * 1_000_000_000L / hz + "ns");
            case SCF + "onoff-holdoff", SCF + "holdoff", SCF + "stat-interval" -> new Setting(key, n + "s");
            case SCF + "shutdown-secs" -> n > 0 ? new Setting("duration", n + "s") : null;
            default -> new Setting(key, value);
        };
    }

    /** The kernel's kstrtobool: 1/y/on true, 0/n/off false; null when it is none of these. */
    private static String bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "y", "yes", "on", "true" -> "true";
            case "0", "n", "no", "off", "false" -> "false";
            default -> null;
        };
    }

    private static boolean isInteger(String v) { return v.matches("-?\\d+"); }

    /**
     * One word of a kernel command line: the --set it stands for, or null when smpemu does not
     * model it (the caller lists those). scftorture words pass as they are (see
     * {@link #scftorture}); {@code preempt=} is the preemption model, {@code csdlock_debug=}
     * the debug wait, {@code smp.csd_lock_timeout=} (ms) its report threshold.
     */
    static String bootWord(String word) {
        int eq = word.indexOf('=');
        String name = eq < 0 ? word : word.substring(0, eq), value = eq < 0 ? null : word.substring(eq + 1);
        if (name.startsWith(SCF)) {
            if (value == null || value.isEmpty()) throw bad(word, "expects scftorture.PARAM=VALUE");
            return word;
        }
        switch (name) {
            case "preempt" -> {
                if (value != null && List.of("none", "voluntary", "full").contains(value)) return "kernel.preemption=" + value;
                throw bad(word, "smpemu models preempt=none, voluntary and full (PREEMPT_RT is kernel.preemption = rt)");
            }
            case "csdlock_debug" -> {
                // kernel/smp.c reads an integer: 0 off, anything else on.
                if (value != null && isInteger(value)) return "kernel.smp.csdlock-debug=" + (Long.parseLong(value) != 0);
                throw bad(word, "expects csdlock_debug=0 or 1");
            }
            case "smp.csd_lock_timeout" -> {
                if (value != null && value.matches("\\d+")) return "kernel.smp.csd-lock-timeout=" + value + "ms";
                throw bad(word, "expects milliseconds, e.g. smp.csd_lock_timeout=5000");
            }
            default -> {
                return null;
            }
        }
    }

    private static ConfigException bad(String word, String problem) {
        return new ConfigException(List.of("--bootargs " + word + ": " + problem));
    }
}
