package smpemu.coordinator.cli;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import smpemu.config.ConfigException;
import smpemu.config.KernelSeries;
import smpemu.config.KernelSettings;

/**
 * One kernel of {@code compare --kernels} or {@code sweep --kernels}: a variant
 * ({@code baseline}, {@code patched}, {@code unsafe-u4}, ...) or a patch set of the series written
 * from one of its ends: {@code baseline+2+3+6} (the kernel before the series with patches 2, 3
 * and 6), {@code patched-7} (the whole series but patch 7). A patch set runs as variant
 * {@code baseline} with those patches, because only {@code baseline} reads {@code kernel.patches}.
 *
 * @param name the spelling the user gave: the report's and the JSON's name of the run
 * @param keys the settings it stands for, relative to {@code smpemu.}
 */
record KernelSpec(String name, Map<String, Object> keys) {
    private static final Pattern PATCH_SET = Pattern.compile("(baseline|patched)((?:[+-]\\d+)+)");
    private static final Pattern STEP = Pattern.compile("([+-])(\\d+)");

    /** Parses one side; a bad patch set is a configuration error naming the option. */
    static KernelSpec parse(String option, String text) {
        String name = text.trim();
        Matcher m = PATCH_SET.matcher(name);
        if (!m.matches()) {
            // baseline means the kernel before the series: it clears any patches the configuration
            // lists; other variants keep them (the loader validates the name).
            return new KernelSpec(name, name.equals("baseline")
                ? Map.of("kernel.variant", name, "kernel.patches", List.of())
                : Map.of("kernel.variant", name));
        }
        TreeSet<Integer> patches = m.group(1).equals("patched")
            ? IntStream.rangeClosed(1, KernelSettings.PATCH_COUNT).boxed().collect(Collectors.toCollection(TreeSet::new))
            : new TreeSet<>();
        Matcher step = STEP.matcher(m.group(2));
        while (step.find()) {
            int p = parsePatch(option, name, step.group(2));
            boolean add = step.group(1).equals("+");
            if (add ? !patches.add(p) : !patches.remove(p)) {
                throw new ConfigException(List.of(option + " " + name + ": patch " + p
                    + (add ? " is already in the set" : " is not in the set")));
            }
        }
        return new KernelSpec(name, Map.of("kernel.variant", "baseline", "kernel.patches", List.copyOf(patches)));
    }

    /**
     * A patch set is spelled in v6 numbers: refused for a configuration of another form, where
     * {@code patched-7} would silently lack tip's 13 and 14.
     */
    void checkSeries(String option, KernelSettings k) {
        if (PATCH_SET.matcher(name).matches() && k.series() != KernelSeries.V6) {
            throw new ConfigException(List.of(option + " " + name + ": patch sets are numbered in v6, but kernel.series = "
                + k.series().spelling() + "; give that form's patches as kernel.patches (e.g. --set 'kernel.patches=[4,6,8,14]')"));
        }
    }

    /** Splits a comma list ({@code A,B,...}) of kernels; no side may be blank. */
    static List<KernelSpec> parseList(String option, String text) {
        String[] sides = text.split(",", -1);
        for (String s : sides) {
            if (s.isBlank()) {
                throw new ConfigException(List.of(option + " " + text
                    + ": a kernel is blank; give variants or patch sets such as baseline,patched-7,baseline+2+3"));
            }
        }
        return java.util.Arrays.stream(sides).map(s -> parse(option, s)).toList();
    }

    private static int parsePatch(String option, String name, String digits) {
        int p;
        try {
            p = Integer.parseInt(digits);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 1 || p > KernelSettings.PATCH_COUNT) {
            throw new ConfigException(List.of(option + " " + name + ": patch " + digits
                + " is not in the series (1-" + KernelSettings.PATCH_COUNT + ")"));
        }
        return p;
    }
}
