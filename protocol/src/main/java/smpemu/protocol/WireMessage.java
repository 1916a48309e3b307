package smpemu.protocol;

/** Marker of every class that may cross cluster nodes; all are registered with Kryo. */
public interface WireMessage {}
