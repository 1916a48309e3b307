package smpemu.config;

import java.util.List;

/** Everything a run needs, read once from HOCON and validated (see SettingsLoader). */
public record SimSettings(String scenario, long seed, long durationNs, long windowNs,
                          int longestSections, TopologySettings topology, KernelSettings kernel,
                          SchedulerSettings scheduler, List<TaskSpec> tasks, List<IrqSpec> irqs,
                          EngineSettings engine, TortureSettings torture, boolean checkers,
                          List<HotplugStep> hotplug) {}
