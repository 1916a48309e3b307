package smpemu.node.model;

import smpemu.protocol.SimMessage;

/** Where a CPU model puts the messages it sends; each engine routes them its own way. */
public interface Outbox {
    void send(SimMessage m);
}
