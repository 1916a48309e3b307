package smpemu.node.model;

import smpemu.config.Dist;
import smpemu.config.Op;

/**
 * A compiled cross-call or TLB-shootdown op. {@code cpus}: the op's CPU list (null = all);
 * paths: the section's call path while dispatching, while waiting pinned, and for a local-only
 * flush. {@code flush} is null for a direct cross-call. {@code rpc}: scftorture's single_rpc, the
 * caller sleeps until the handler completes it.
 */
record XCallSpec(Op.CallKind call, Op.FlushKind flush, boolean waits, int[] cpus, Dist func,
                 int pages, boolean underLock, int pathDispatch, int pathWait, int pathLocal,
                 boolean rpc) {

    boolean isFlush() { return flush != null; }
}
