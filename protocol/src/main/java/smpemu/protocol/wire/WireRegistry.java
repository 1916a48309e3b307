package smpemu.protocol.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.objenesis.strategy.StdInstantiatorStrategy;
import smpemu.protocol.CpuSnapshot;
import smpemu.protocol.CrossCallState;
import smpemu.protocol.SimMessage;
import smpemu.protocol.TaskState;

/**
 * Every class that may cross cluster nodes, with its Kryo id: the ONE list (the protocol's own
 * classes here; node and coordinator add theirs through {@link Registrar}s named in the actor
 * system config, since this module cannot see their classes). Ids are explicit, so every node
 * agrees on them whatever the registration order; {@link #fingerprint()} lets nodes check it.
 * Registration is required: nothing unregistered is ever instantiated from the wire.
 *
 * <p>Id ranges: protocol 20-99, node 100-199, coordinator 200-299.
 */
public final class WireRegistry {
    /** Config key (in the actor system config) listing the registrar classes to add. */
    public static final String REGISTRARS_KEY = "smpemu.wire.registrars";

    /** A module's contribution: adds its wire classes with their ids. Needs a public no-arg constructor. */
    public interface Registrar {
        void register(WireRegistry registry);
    }

    /** What a serializer may need from the running system (the resolver of actor refs). */
    public interface Context {
        ActorRefResolver resolver();
    }

    private record Entry(int id, Class<?> type, Function<Context, Serializer<?>> serializer) {}

    private final TreeMap<Integer, Entry> byId = new TreeMap<>();
    private final Map<Class<?>, Integer> byClass = new HashMap<>();

    private WireRegistry() {}

    /** The protocol's classes plus those of the named registrars. */
    public static WireRegistry of(List<String> registrarClasses) {
        WireRegistry r = new WireRegistry();
        r.protocolClasses();
        for (String name : registrarClasses) {
            try {
                Object o = Class.forName(name, true, WireRegistry.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
                ((Registrar) o).register(r);
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new IllegalArgumentException("wire registrar " + name + " cannot be loaded: " + e, e);
            }
        }
        return r;
    }

    private void protocolClasses() {
        add(20, SimMessage.class);
        add(21, SimMessage[].class);
        add(22, TaskState.class);
        add(23, CrossCallState.class);
        add(24, CpuSnapshot.class);
        add(25, CpuSnapshot[].class);
        add(26, int[].class);
        add(27, long[].class);
        add(28, boolean[].class);
        add(29, BitSet.class, c -> new BitSetSerializer());
        add(30, BitSet[].class);
        add(31, ArrayList.class);
        add(32, HashMap.class);
        add(33, String[].class);
        add(34, int[][].class);
        add(35, long[][].class);
        // Typed ActorRefs travel as their serialization format (resolved on the receiving node).
        add(36, ActorRefKryo.adapterClass(), c -> new ActorRefKryo(c));
        add(37, Object[].class);
    }

    /** Registers {@code type} under {@code id} with Kryo's default serializer for it. */
    public WireRegistry add(int id, Class<?> type) { return add(id, type, null); }

    public WireRegistry add(int id, Class<?> type, Function<Context, Serializer<?>> serializer) {
        if (byId.containsKey(id)) {
            throw new IllegalArgumentException("wire id " + id + " used twice: " + byId.get(id).type().getName()
                + " and " + type.getName());
        }
        if (byClass.containsKey(type)) throw new IllegalArgumentException(type.getName() + " registered twice");
        byId.put(id, new Entry(id, type, serializer));
        byClass.put(type, id);
        return this;
    }

    /**
     * Registers a class that has no no-arg constructor (immutable model objects) with a field
     * serializer that instantiates it without running a constructor.
     */
    public WireRegistry addFields(int id, Class<?> type) {
        return add(id, type, c -> null);
    }

    public boolean isRegistered(Class<?> type) { return byClass.containsKey(type); }

    public Map<Class<?>, Integer> classes() { return Collections.unmodifiableMap(byClass); }

    /** SHA-256 over "id class" lines: equal on two nodes iff they agree on the wire format. */
    public String fingerprint() {
        StringBuilder b = new StringBuilder();
        for (Entry e : byId.values()) b.append(e.id()).append(' ').append(e.type().getName()).append('\n');
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(b.toString().getBytes(StandardCharsets.UTF_8))).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** A Kryo set up with exactly this registry (Kryo is not thread-safe: one per thread or pool). */
    public Kryo newKryo(Context context) {
        Kryo k = new Kryo();
        k.setRegistrationRequired(true);
        k.setReferences(false); // messages are trees; no shared or cyclic references
        // Classes with a no-arg constructor use it; immutable model classes are created without one.
        k.setInstantiatorStrategy(new com.esotericsoftware.kryo.util.DefaultInstantiatorStrategy(
            new StdInstantiatorStrategy()));
        for (Entry e : byId.values()) {
            Serializer<?> s = e.serializer() == null ? null : e.serializer().apply(context);
            if (s == null && e.serializer() != null) s = new FieldSerializer<>(k, e.type());
            if (s == null) k.register(e.type(), e.id()); else k.register(e.type(), s, e.id());
        }
        return k;
    }
}
