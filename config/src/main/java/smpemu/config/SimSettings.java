package smpemu.config;

import java.util.List;

/**
 * Everything a run needs, read once from HOCON and validated (see SettingsLoader).
 * {@code effectiveConfig}: the resolved {@code smpemu} tree the settings were read from, as
 * concise JSON (results carry its SHA-256; it never enters the digest). {@code host}: the host
 * under a KVM guest (smpemu.host). {@code calibration}: what the scenario was calibrated to,
 * checked by compare (never read by the model).
 */
public record SimSettings(String scenario, long seed, long durationNs, long windowNs,
                          int longestSections, Tracer tracer, TopologySettings topology, KernelSettings kernel,
                          SchedulerSettings scheduler, List<TaskSpec> tasks, List<IrqSpec> irqs, LockSettings locks,
                          EngineSettings engine, TortureSettings torture, boolean checkers,
                          List<HotplugStep> hotplug, HostSettings host, Calibration calibration, String effectiveConfig) {

    /** Whether some vCPU shares its pCPU with host tasks (steal time, docs/kernel-model.md#steal). */
    public boolean hostPreempts() { return host.any() && !kernel.kvmHintsRealtime(); }
}
