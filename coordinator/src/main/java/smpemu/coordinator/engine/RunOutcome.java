package smpemu.coordinator.engine;

import java.util.List;
import smpemu.node.model.CpuStats;
import smpemu.node.model.ModelContext;

/** What an engine hands back: every CPU's measurements, in CPU order, and engine figures. */
public record RunOutcome(ModelContext context, List<CpuStats> cpus, String engine, int nodes,
                         EngineStats engineStats) {}
