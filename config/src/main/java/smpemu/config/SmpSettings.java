package smpemu.config;

/**
 * The cross-call and TLB-flush machinery's switches and costs (kernel.smp, kernel.costs;
 * kernel-model.md §1.4, §3; cost-model.md rows P4, P10-P13, P15).
 */
public record SmpSettings(boolean csdlockDebug, long csdLockTimeoutNs, boolean idlePollShortcut,
                          int flushCeiling, long ipiSendNs, long callEntryNs, long condFuncNs,
                          long callHandlerNs, long flushOnePageNs, long flushExtraPageNs,
                          long flushFullNs, long flushBroadcastNs, boolean invlpgb,
                          boolean pvTlbFlush) {}
