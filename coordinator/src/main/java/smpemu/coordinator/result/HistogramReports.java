package smpemu.coordinator.result;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The histogram layouts, by the name {@code --histogram-format} takes. */
public final class HistogramReports {
    private HistogramReports() {}

    public interface Renderer {
        String render(RunResult r, HistogramLayout layout);
    }

    private static final Map<String, Renderer> BY_NAME = new LinkedHashMap<>();

    static {
        BY_NAME.put("rtla", RtlaHistogram::render);
        BY_NAME.put("cyclictest", CyclictestHistogram::render);
    }

    public static Set<String> names() { return BY_NAME.keySet(); }

    /** The renderer of that name, or null. */
    public static Renderer of(String name) { return BY_NAME.get(name); }
}
