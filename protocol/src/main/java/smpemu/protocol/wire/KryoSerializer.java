package smpemu.protocol.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.JSerializer;

/**
 * Pekko's serializer for every {@link smpemu.protocol.WireMessage} (bound in the cluster config):
 * Kryo with registration required and the ids of {@link WireRegistry}. Kryo and its buffers are
 * not thread-safe, so both are pooled; the class id Kryo writes first is the manifest.
 */
public final class KryoSerializer extends JSerializer {
    /** Pekko serializer id: fixed, and the same on every node. Pekko reserves 0-40. */
    public static final int IDENTIFIER = 0x5e3_7a1;

    private final WireRegistry registry;
    private final Pool<Kryo> kryos;
    private final Pool<Output> outputs;
    private volatile ActorRefResolver resolver;

    /** Bytes serialized and deserialized in this JVM (all remote traffic of this node): engine figures. */
    private static final java.util.concurrent.atomic.LongAdder BYTES_OUT = new java.util.concurrent.atomic.LongAdder();
    private static final java.util.concurrent.atomic.LongAdder BYTES_IN = new java.util.concurrent.atomic.LongAdder();

    public static long bytesOut() { return BYTES_OUT.sum(); }

    public static long bytesIn() { return BYTES_IN.sum(); }

    public KryoSerializer(ExtendedActorSystem system) {
        this(WireRegistry.of(registrars(system)), system);
    }

    KryoSerializer(WireRegistry registry, ExtendedActorSystem system) {
        this.registry = registry;
        WireRegistry.Context ctx = () -> {
            // Lazily: the serializer is created while the system starts, before typed refs resolve.
            ActorRefResolver r = resolver;
            if (r == null) resolver = r = ActorRefResolver.get(Adapter.toTyped(system));
            return r;
        };
        this.kryos = new Pool<>(true, false, 16) {
            @Override
            protected Kryo create() { return registry.newKryo(ctx); }
        };
        this.outputs = new Pool<>(true, false, 16) {
            @Override
            protected Output create() { return new Output(4096, -1); }
        };
    }

    private static List<String> registrars(ExtendedActorSystem system) {
        var cfg = system.settings().config();
        return cfg.hasPath(WireRegistry.REGISTRARS_KEY) ? cfg.getStringList(WireRegistry.REGISTRARS_KEY) : List.of();
    }

    public WireRegistry registry() { return registry; }

    @Override
    public int identifier() { return IDENTIFIER; }

    @Override
    public boolean includeManifest() { return false; }

    @Override
    public byte[] toBinary(Object o) {
        Kryo k = kryos.obtain();
        Output out = outputs.obtain();
        try {
            out.reset();
            k.writeClassAndObject(out, o);
            BYTES_OUT.add(out.position());
            return out.toBytes();
        } finally {
            outputs.free(out);
            kryos.free(k);
        }
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        Kryo k = kryos.obtain();
        BYTES_IN.add(bytes.length);
        try {
            return k.readClassAndObject(new Input(bytes));
        } finally {
            kryos.free(k);
        }
    }
}
