package smpemu.config;

/**
 * The cross-call and TLB-flush machinery's switches and costs (kernel.smp, kernel.costs;
 * docs/kernel-model.md#csd_lock_wait_toolong, #tlb; docs/costs.md#smp-costs).
 */
public record SmpSettings(boolean csdlockDebug, long csdLockTimeoutNs, boolean idlePollShortcut,
                          int flushCeiling, long ipiSendNs, long callEntryNs, long condFuncNs,
                          long callHandlerNs, long flushOnePageNs, long flushExtraPageNs,
                          long flushFullNs, long flushBroadcastNs, boolean invlpgb,
                          boolean pvTlbFlush) {}
