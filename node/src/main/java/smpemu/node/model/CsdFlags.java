package smpemu.node.model;

/**
 * The {@code arg} word of a CSD_PUSH message: the CSD's type, where it lives, and for TLB
 * shootdowns which kind of flush_tlb_func() request it carries.
 */
final class CsdFlags {
    private CsdFlags() {}

    static final int SYNC = 1;                       // CSD_TYPE_SYNC: someone waits on it
    static final int STORAGE_SHIFT = 1, STORAGE_MASK = 3 << STORAGE_SHIFT;
    static final int CFD = 0, STACK = 1, DATA = 2, OWNED = 3;
    static final int FLUSH_SHIFT = 3, FLUSH_MASK = 7 << FLUSH_SHIFT;
    /** Not a flush; user mm range, checked by should_flush_tlb(); user mm with freed tables
     *  (every CPU, lazy included); kernel flush checked by should_flush_tlb() (a reclaim batch);
     *  kernel range on every CPU (flush_tlb_kernel_range). */
    static final int NO_FLUSH = 0, FLUSH_USER_COND = 1, FLUSH_USER_ALL = 2, FLUSH_KERNEL_COND = 3,
        FLUSH_KERNEL_ALL = 4;
    static final int FULL = 1 << 6;
    /** scftorture's single_rpc: the handler completes the caller; extra = the caller's task id. */
    static final int RPC = 1 << 7;
    /** KVM's PV flush: not a CSD but the KVM_VCPU_FLUSH_TLB store to a preempted vCPU's steal_time. */
    static final int PV_DEFERRED = 1 << 8;

    static int make(boolean sync, int storage, int flush, boolean full) {
        return (sync ? SYNC : 0) | storage << STORAGE_SHIFT | flush << FLUSH_SHIFT | (full ? FULL : 0);
    }

    static boolean sync(int f) { return (f & SYNC) != 0; }

    static int storage(int f) { return (f & STORAGE_MASK) >>> STORAGE_SHIFT; }

    static int flush(int f) { return (f & FLUSH_MASK) >>> FLUSH_SHIFT; }

    static boolean full(int f) { return (f & FULL) != 0; }
}
