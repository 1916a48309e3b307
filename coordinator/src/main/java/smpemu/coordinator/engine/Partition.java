package smpemu.coordinator.engine;

import java.util.List;

/**
 * Which cluster member hosted which CPUs in a multi-node run: reported with the result, never
 * part of the digest (the partition does not change what is simulated).
 */
public record Partition(String partitioner, List<String> addresses, int[] nodeOfCpu) {}
