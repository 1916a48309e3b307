package smpemu.config;

/**
 * One named spinlock of {@code workload.locks} (docs/kernel-model.md#qspinlock): tasks on any CPU
 * take it with a {@code spin-lock} or {@code spin-lock-irqsave} op. {@code home}: the CPU whose
 * model keeps the lock's state (its queue), as the lock word's cache line has a home; every
 * acquisition and release travels to it. {@code raw}: a raw_spinlock_t, which stays a spinning
 * lock under PREEMPT_RT; an ordinary spinlock_t becomes a sleeping lock there.
 */
public record LockSpec(String name, int home, boolean raw) {}
