package smpemu.config;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.BitSet;
import java.util.stream.IntStream;

/**
 * CPU lists in Linux's cpulist format ({@code "0-3,8,10-11"}, as in taskset -c and
 * /sys/devices/system/cpu/online) or as a HOCON list of integers. The result is sorted and
 * distinct, so repeated or overlapping entries are harmless.
 */
final class CpuListParser {
    private CpuListParser() {}

    private static final String FORMAT = "is not a CPU list (like \"0-3,8,10-11\" or [0, 1, 2])";

    /** Every CPU of a machine with {@code cpus} CPUs. */
    static int[] all(int cpus) { return IntStream.range(0, cpus).toArray(); }

    /** A non-empty CPU list whose CPUs are all below {@code cpus}. */
    static ConfigReader.Conv<int[]> cpuList(int cpus) {
        return v -> {
            BitSet set = v.valueType() == ConfigValueType.LIST ? fromList(v, cpus) : fromString(v, cpus);
            if (set.isEmpty()) throw new ConfigReader.Invalid("is empty (name at least one CPU)");
            return set.stream().toArray();
        };
    }

    private static BitSet fromList(ConfigValue v, int cpus) throws ConfigReader.Invalid {
        BitSet set = new BitSet();
        for (ConfigValue e : ConfigReader.asList(v)) {
            if (!(e.unwrapped() instanceof Integer cpu) || cpu < 0) throw new ConfigReader.Invalid(FORMAT);
            set.set(checked(cpu, cpus));
        }
        return set;
    }

    private static BitSet fromString(ConfigValue v, int cpus) throws ConfigReader.Invalid {
        if (v.valueType() != ConfigValueType.STRING && v.valueType() != ConfigValueType.NUMBER) {
            throw new ConfigReader.Invalid(FORMAT);
        }
        return parse(v.unwrapped().toString(), cpus);
    }

    /** A cpulist string ("0-3,8"; empty = no CPU) whose CPUs are all below {@code cpus}. */
    static BitSet parse(String cpulist, int cpus) throws ConfigReader.Invalid {
        String text = cpulist.trim();
        BitSet set = new BitSet();
        if (text.isEmpty()) return set;
        for (String part : text.split(",", -1)) {
            String[] ends = part.trim().split("-", -1);
            if (ends.length > 2) throw new ConfigReader.Invalid(FORMAT);
            int lo = number(ends[0]);
            int hi = ends.length == 2 ? number(ends[1]) : lo;
            if (lo > hi) throw new ConfigReader.Invalid(FORMAT);
            // Check the bound before expanding, so "0-2000000000" fails fast instead of filling memory.
            set.set(lo, checked(hi, cpus) + 1);
        }
        return set;
    }

    private static int number(String s) throws ConfigReader.Invalid {
        if (!s.matches("\\d{1,9}")) throw new ConfigReader.Invalid(FORMAT);
        return Integer.parseInt(s);
    }

    private static int checked(int cpu, int cpus) throws ConfigReader.Invalid {
        if (cpu >= cpus) {
            throw new ConfigReader.Invalid("names CPU " + cpu + ", but topology.cpus is " + cpus
                + " (CPUs 0.." + (cpus - 1) + ")");
        }
        return cpu;
    }
}
