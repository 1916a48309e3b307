package smpemu.node.actor;

/** Messages the Coordinator actor accepts (its own and the NodeHosts' reports). */
public interface CoordinatorMsg {}
