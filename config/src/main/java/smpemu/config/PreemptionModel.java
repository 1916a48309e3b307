package smpemu.config;

/** CONFIG_PREEMPT_* model of the simulated kernel (docs/kernel-model.md#preemption-models). */
public enum PreemptionModel {
    NONE, VOLUNTARY, FULL, RT;

    /** Whether preempt_enable() / IRQ exit to kernel code may call the scheduler. */
    public boolean kernelPreemptible() { return this == FULL || this == RT; }
}
