package smpemu.config;

/**
 * kernel/softirq.c's and net/core/dev.c's budgets (kernel.softirq, docs/costs.md#softirq):
 * __do_softirq() restarts while time is left (MAX_SOFTIRQ_TIME) and restarts remain
 * (MAX_SOFTIRQ_RESTART), then wakes ksoftirqd; net_rx_action() stops after
 * net.core.netdev_budget packets or net.core.netdev_budget_usecs.
 */
public record SoftirqSettings(long maxTimeNs, int maxRestart, int netdevBudget, long netdevBudgetNs) {}
