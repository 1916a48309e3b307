package smpemu.coordinator.result;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import smpemu.node.model.TraceRecording;
import smpemu.node.model.TraceRecording.Event;

/**
 * {@code run --trace}: the recorded window in the Trace Event Format (the JSON object form,
 * {@code traceEvents}), which ui.perfetto.dev and chrome://tracing open. pid 1 is the machine;
 * each CPU has four tracks: the running task (tid = the CPU), tracer sections, hard-IRQ
 * handlers and csd_lock_wait (tid = track * 100000 + CPU), named by 'M' metadata events and
 * sorted by CPU. Slices are complete events (ph X, ts and dur in us with ns precision),
 * hotplug steps and wake-up IPIs instants (i), call-function IPIs flows (s on the sender, f
 * with bp e on the receiver, the same id). Events are merged from the CPUs' buffers in time
 * order and streamed to a temporary file renamed over the target.
 */
public final class ChromeTrace {
    private ChromeTrace() {}

    static final int PID = 1;
    static final int LANE_STRIDE = 100_000;

    public static int tid(int cpu, int lane) { return lane * LANE_STRIDE + cpu; }

    /** Writes the trace; returns its size in bytes. */
    public static long write(Path target, String machine, List<List<Event>> perCpu) {
        List<Event> all = new ArrayList<>();
        for (List<Event> e : perCpu) all.addAll(e);
        // Stable: equal times keep each CPU's own order; CPUs in order, so both engines write the same bytes.
        all.sort(Comparator.comparingLong(Event::ts).thenComparingInt(Event::cpu));
        Path abs = target.toAbsolutePath();
        try {
            Path tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try {
                try (JsonGenerator g = new JsonFactory().createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
                    g.writeStartObject();
                    g.writeStringField("displayTimeUnit", "ns");
                    g.writeArrayFieldStart("traceEvents");
                    metadata(g, "process_name", 0, "name", machine);
                    for (int cpu = 0; cpu < perCpu.size(); cpu++) {
                        for (int lane = 0; lane < TraceRecording.LANES; lane++) {
                            metadata(g, "thread_name", tid(cpu, lane), "name", "CPU " + cpu + TraceRecording.LANE_NAMES[lane]);
                            g.writeStartObject();
                            g.writeStringField("ph", "M");
                            g.writeStringField("name", "thread_sort_index");
                            g.writeNumberField("pid", PID);
                            g.writeNumberField("tid", tid(cpu, lane));
                            g.writeObjectFieldStart("args");
                            g.writeNumberField("sort_index", cpu * TraceRecording.LANES + lane);
                            g.writeEndObject();
                            g.writeEndObject();
                        }
                    }
                    for (Event e : all) event(g, e);
                    g.writeEndArray();
                    g.writeEndObject();
                }
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return Files.size(abs);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static void metadata(JsonGenerator g, String name, int tid, String key, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", "M");
        g.writeStringField("name", name);
        g.writeNumberField("pid", PID);
        g.writeNumberField("tid", tid);
        g.writeObjectFieldStart("args");
        g.writeStringField(key, value);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void event(JsonGenerator g, Event e) throws IOException {
        g.writeStartObject();
        g.writeStringField("ph", String.valueOf(e.ph()));
        g.writeStringField("name", e.name());
        g.writeStringField("cat", e.cat());
        g.writeNumberField("pid", PID);
        g.writeNumberField("tid", tid(e.cpu(), e.lane()));
        g.writeFieldName("ts");
        g.writeNumber(us(e.ts()));
        switch (e.ph()) {
            case 'X' -> {
                g.writeFieldName("dur");
                g.writeNumber(us(e.dur()));
            }
            case 'i' -> g.writeStringField("s", "t");
            case 's' -> g.writeNumberField("id", e.id());
            case 'f' -> {
                g.writeNumberField("id", e.id());
                g.writeStringField("bp", "e");
            }
            default -> throw new IllegalStateException("event phase " + e.ph());
        }
        g.writeEndObject();
    }

    /** ns as us with three decimals, exactly. */
    private static BigDecimal us(long ns) { return BigDecimal.valueOf(ns, 3); }
}
