package smpemu.coordinator.engine;

import smpemu.node.model.ModelContext;

/** A host of the CPU model: runs one simulation to its end. */
public interface Engine {
    default RunOutcome run(ModelContext ctx) { return run(ctx, RunProgress.IGNORED); }

    /** As {@link #run(ModelContext)}, publishing how far it has got to {@code progress}. */
    RunOutcome run(ModelContext ctx, RunProgress progress);
}
