package smpemu.config;

/** One step of hotplug.schedule: at simulated time {@code atNs}, take CPU {@code cpu} down or up. */
public record HotplugStep(long atNs, int cpu, boolean online) {}
