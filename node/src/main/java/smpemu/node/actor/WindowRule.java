package smpemu.node.actor;

import smpemu.node.model.Program;

/**
 * Where the next conservative window ends (docs/architecture.md#windows), from the bounds the
 * last one left: pure, so the coordinator and a NodeHost that runs windows on by itself apply
 * the same rule, and a rule can be tested (or replaced) without actors.
 */
public interface WindowRule {
    /**
     * The end of the next window, when no CPU can send before {@code minSend} and no message in
     * flight can make its receiver send before {@code minMessage}; never beyond {@code limit}.
     */
    long nextEnd(long minSend, long minMessage, long limit);

    /** The global rule: min(earliest send, earliest message effect) + the run's lookahead. */
    static WindowRule lookahead(long lookaheadNs) {
        return (minSend, minMessage, limit) -> Math.min(Program.sat(Math.min(minSend, minMessage), lookaheadNs), limit);
    }
}
