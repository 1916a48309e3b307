package smpemu.protocol;

/**
 * A message between simulated CPUs (or from the coordinator, whose source id is the CPU count).
 * It arrives at {@code time}; (time, kind, src, seq) orders it totally in the receiver's queue,
 * so arrival order on the JVM never matters. {@code arg}, {@code extra} and {@code value} are
 * kind-specific (see {@link MsgKind}).
 */
public record SimMessage(long time, int kind, int src, long seq, int dst, int taskId, int arg,
                         int extra, long value, TaskState task) implements WireMessage {}
