package smpemu.node.model;

import smpemu.config.IpiLatencies;
import smpemu.config.PreemptionModel;
import smpemu.config.SimSettings;
import smpemu.config.TopologySettings;

/** The immutable facts every CPU model of a run shares: settings, task table, costs. */
public final class ModelContext {
    public final SimSettings settings;
    public final Workload workload;
    public final TopologySettings topology;
    public final PreemptionModel preemption;
    public final long durationNs;
    public final long contextSwitchNs;
    public final long tickPeriodNs;
    public final long tickHandlerNs;
    public final long reschedIpiHandlerNs;
    public final long wakeupNs;
    public final long rrSliceNs;
    public final long otherSliceNs;
    /**
     * The engine's window lookahead: the smallest latency any message of this run can have, the
     * IPI latencies' and, when an op takes a named lock, the cache-line transfers between a
     * lock's home and the other CPUs (docs/architecture.md#lookahead).
     */
    public final long lookaheadNs;
    /** The topology's IPI latencies as a table (the model reads one per message). */
    public final IpiLatencies ipi;

    /**
     * Recorders asked for by the command line ({@code run --trace}, ...), attached to every CPU
     * when set before the run; null: none. Outside the settings and the digest: a listener
     * only reads the model.
     */
    public volatile TraceRecording trace;
    public volatile LatencyRecording latency;
    public volatile TaskRecording tasks;

    public ModelContext(SimSettings s) {
        this.settings = s;
        this.workload = new Workload(s);
        this.topology = s.topology();
        this.preemption = s.kernel().preemption();
        this.durationNs = s.durationNs();
        this.contextSwitchNs = s.kernel().contextSwitchNs();
        this.tickPeriodNs = s.kernel().tickPeriodNs();
        this.tickHandlerNs = s.kernel().tickHandlerNs();
        this.reschedIpiHandlerNs = s.kernel().reschedIpiHandlerNs();
        this.wakeupNs = s.kernel().wakeupNs();
        this.rrSliceNs = s.scheduler().rrTimesliceNs();
        this.otherSliceNs = s.scheduler().otherTimesliceNs();
        this.ipi = IpiLatencies.of(topology);
        this.lookaheadNs = Math.min(topology.minLatency(), s.locks().minTransferNs(topology, workload.usedLocks()));
    }

    /** Stream ids for per-entity generators, so CPU and task generators never coincide. */
    public static final long CPU_STREAM = 1, TASK_STREAM = 2;
}
