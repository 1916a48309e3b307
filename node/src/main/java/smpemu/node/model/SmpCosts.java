package smpemu.node.model;

import smpemu.config.SmpSettings;

/** The cross-call and flush costs as plain fields, for the hot paths. */
final class SmpCosts {
    final long entry;
    final long ipiSend;
    final long cond;
    final long handler;
    final long onePage;
    final long extraPage;
    final long flushFull;
    final long flushSkip;
    final int ceiling;
    final boolean idlePoll;
    final boolean invlpgb;
    final boolean pvFlush;
    final long broadcast;

    /** {@code hintsRealtime}: KVM_HINTS_REALTIME; pv_tlb_flush_supported() then refuses the PV flush. */
    SmpCosts(SmpSettings s, boolean hintsRealtime) {
        entry = s.callEntryNs();
        ipiSend = s.ipiSendNs();
        cond = s.condFuncNs();
        handler = s.callHandlerNs();
        onePage = s.flushOnePageNs();
        extraPage = s.flushExtraPageNs();
        flushFull = s.flushFullNs();
        flushSkip = s.flushOnePageNs() / 4; // a compare and a cpumask clear
        ceiling = s.flushCeiling();
        idlePoll = s.idlePollShortcut();
        invlpgb = s.invlpgb();
        pvFlush = s.pvTlbFlush() && !hintsRealtime;
        broadcast = s.flushBroadcastNs();
    }

    long flushPages(int pages) { return onePage + extraPage * (pages - 1); }
}
