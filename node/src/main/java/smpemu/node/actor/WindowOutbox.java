package smpemu.node.actor;

import java.util.ArrayList;
import java.util.List;
import smpemu.node.model.Outbox;
import smpemu.protocol.SimMessage;

/** Collects what a CPU sends during one window; the NodeHost routes it when the window closes. */
final class WindowOutbox implements Outbox {
    private final List<SimMessage> sent = new ArrayList<>();

    @Override
    public void send(SimMessage m) { sent.add(m); }

    SimMessage[] drain() {
        if (sent.isEmpty()) return NO_MESSAGES;
        SimMessage[] a = sent.toArray(NO_MESSAGES);
        sent.clear();
        return a;
    }

    static final SimMessage[] NO_MESSAGES = new SimMessage[0];
}
