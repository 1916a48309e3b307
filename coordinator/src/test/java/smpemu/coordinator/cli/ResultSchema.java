package smpemu.coordinator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/** Test helper: the schema of a run's JSON object (docs/architecture.md#contract), shared by run and compare. */
final class ResultSchema {
    private ResultSchema() {}

    /** Checks the fields and types of one run object ({@code run --json}, each run of {@code compare --json}). */
    static void assertRun(JsonNode r) {
        assertShape(r, "", "schema_version:int scenario:text kernel:text patches:array seed:int engine:text"
            + " nodes:int cpus_count:int sim_duration_ns:int window_ns:int measurement_windows:int"
            + " coarse_percentiles:boolean preemption:text hz:int tracer:text series:text config_sha256:text"
            + " digest:text summary:object cpus:array"
            + " longest:array counters:object engine_stats:object");
        assertEquals(1, r.get("schema_version").asInt());
        assertTrue(r.get("digest").asText().matches("[0-9a-f]{64}"), r.get("digest").asText());
        assertTrue(r.get("config_sha256").asText().matches("[0-9a-f]{64}"), r.get("config_sha256").asText());
        assertEquals("preemptoff", r.get("tracer").asText());
        assertEquals("v6", r.get("series").asText());
        r.get("patches").forEach(p -> assertTrue(p.isIntegralNumber(), "patch " + p));

        assertShape(r.get("summary"), "summary.", "preemptoff_p50_ns:int preemptoff_p99_ns:int preemptoff_max_ns:int"
            + " over_1ms:object rt_wakeup_p50_ns:int rt_wakeup_p99_ns:int rt_wakeup_max_ns:int rt_wakeups:int"
            + " shootdowns:int ipis_sent:int csd_lock_wait_max_ns:int flush_total_p50_ns:int flush_total_p99_ns:int"
            + " flush_total_max_ns:int flush_pinned_p99_ns:int flush_pinned_max_ns:int cross_calls:int"
            + " csd_lock_reports:int");
        assertOver1ms(r.get("summary").get("over_1ms"), "summary.over_1ms.");

        assertEquals(r.get("cpus_count").asInt(), r.get("cpus").size());
        for (JsonNode c : r.get("cpus")) {
            assertShape(c, "cpus[].", "cpu:int preemptoff_p50_ns:int preemptoff_p99_ns:int preemptoff_max_ns:int"
                + " over_1ms:object rt_wakeups:int steal_ns:int");
            // null exactly where no RT task woke: 0 would read as a zero-latency wake-up
            JsonNode rt = c.get("rt_wakeup_max_ns");
            assertTrue(c.get("rt_wakeups").asLong() == 0 ? rt.isNull() : rt.isIntegralNumber(), "cpus[].rt_wakeup_max_ns " + rt);
            assertOver1ms(c.get("over_1ms"), "cpus[].over_1ms.");
        }

        assertTrue(r.get("longest").size() >= 1, "no longest sections");
        assertTrue(r.get("csd_lock_reports").isArray(), "csd_lock_reports is not an array");
        for (JsonNode s : r.get("longest")) {
            assertShape(s, "longest[].", "cpu:int start_ns:int duration_ns:int task:text path:array blame:array");
            for (JsonNode h : s.get("blame")) {
                assertShape(h, "longest[].blame[].", "cpu:int what:text path:array since_ns:int duration_ns:int");
            }
            assertTrue(s.get("path").size() >= 1, "empty path");
            s.get("path").forEach(f -> assertTrue(f.isTextual(), "path element " + f));
        }

        assertShape(r.get("counters"), "counters.", "sections:int context_switches:int wakeups:int migrations:int interrupts:int");
        assertShape(r.get("engine_stats"), "engine_stats.", "events:int windows:int wall_ms:int events_per_sec:int peak_heap_bytes:int");
    }

    private static void assertOver1ms(JsonNode n, String where) {
        assertShape(n, where, "1-10ms:int 10-50ms:int 50-100ms:int >=100ms:int");
    }

    /** {@code spec}: space-separated {@code name:type}, type one of int, text, array, object, boolean. */
    static void assertShape(JsonNode node, String where, String spec) {
        assertTrue(node != null && node.isObject(), where + " is not an object");
        for (String field : spec.split(" ")) {
            String name = field.substring(0, field.lastIndexOf(':'));
            String type = field.substring(field.lastIndexOf(':') + 1);
            JsonNode v = node.get(name);
            assertTrue(v != null, "missing " + where + name);
            Predicate<JsonNode> ok = switch (type) {
                case "int" -> JsonNode::isIntegralNumber;
                case "text" -> JsonNode::isTextual;
                case "array" -> JsonNode::isArray;
                case "object" -> JsonNode::isObject;
                case "boolean" -> JsonNode::isBoolean;
                default -> throw new IllegalArgumentException(type);
            };
            assertTrue(ok.test(v), where + name + " is not " + type + ": " + v);
        }
    }
}
