package smpemu.node.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** kernel/trace/trace_irqsoff.c: one section from the first start to the stop; a nested start extends it. */
class TraceIrqsoffTest {
    @Test
    void aSectionRunsFromTheFirstStartToTheStop() {
        PerCpu c = new PerCpu(0, new ModelContext(ZeroCost.settings("smpemu { workload.tasks = "
            + "[{name = a, program = [{op = compute, duration = 1ms}]}] }")), m -> { });
        c.now = 100;
        c.trace.startCriticalTiming(5, 1);
        c.now = 150;
        c.trace.startCriticalTiming(6, 2); // an interrupt inside: the section goes on
        c.now = 400;
        c.trace.setCallPath(7);            // the call went on into csd_lock_wait
        c.trace.stopCriticalTiming();
        c.trace.stopCriticalTiming();      // nothing open: nothing recorded
        assertEquals(1, c.stats.sections);
        assertEquals(100, c.stats.longStart[0]);
        assertEquals(300, c.stats.longDur[0]);
        assertEquals(1, c.stats.longTask[0]);
        assertEquals(7, c.stats.longPath[0]);
    }
}
