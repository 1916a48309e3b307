package smpemu.config;

import java.util.List;

/**
 * The softirq vectors of include/linux/interrupt.h, in their priority order (__do_softirq() runs
 * the pending ones lowest number first), named as softirq_to_name[] names them, with the action
 * function each runs (kernel/softirq.c, net/core/dev.c, block/blk-mq.c, kernel/time/timer.c, ...),
 * which names the call path.
 */
public enum SoftirqVector {
    HI("tasklet_hi_action"), TIMER("run_timer_softirq"), NET_TX("net_tx_action"), NET_RX("net_rx_action"),
    BLOCK("blk_done_softirq"), IRQ_POLL("irq_poll_softirq"), TASKLET("tasklet_action"),
    SCHED("sched_balance_softirq"), HRTIMER("hrtimer_run_softirq"), RCU("rcu_core_si");

    /** The vector's action function. */
    public final String action;

    SoftirqVector(String action) { this.action = action; }

    public static final List<SoftirqVector> ALL = List.of(values());
}
