package smpemu.coordinator.engine;

import smpemu.node.model.ModelContext;

/** A host of the CPU model: runs one simulation to its end. */
public interface Engine {
    RunOutcome run(ModelContext ctx);
}
