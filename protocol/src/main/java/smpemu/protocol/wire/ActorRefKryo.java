package smpemu.protocol.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A typed ActorRef on the wire: its serialization format (a path with the node's address),
 * resolved again on the receiving node.
 */
final class ActorRefKryo extends Serializer<ActorRef<?>> {
    /**
     * Pekko's internal class of every typed ActorRef of a classic-backed system. Internal, so it
     * is named here only, and a unit test checks that refs really have this class.
     */
    static final String ADAPTER_CLASS = "org.apache.pekko.actor.typed.internal.adapter.ActorRefAdapter";

    private final WireRegistry.Context context;

    ActorRefKryo(WireRegistry.Context context) { this.context = context; }

    static Class<?> adapterClass() {
        try {
            return Class.forName(ADAPTER_CLASS);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Pekko moved " + ADAPTER_CLASS + "; update ActorRefKryo", e);
        }
    }

    @Override
    public void write(Kryo kryo, Output out, ActorRef<?> ref) {
        out.writeString(resolver().toSerializationFormat(ref));
    }

    @Override
    public ActorRef<?> read(Kryo kryo, Input in, Class<? extends ActorRef<?>> type) {
        return resolver().resolveActorRef(in.readString());
    }

    private org.apache.pekko.actor.typed.ActorRefResolver resolver() {
        if (context == null) throw new IllegalStateException("actor refs need an actor system to (de)serialize");
        return context.resolver();
    }
}
