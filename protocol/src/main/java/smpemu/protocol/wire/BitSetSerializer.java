package smpemu.protocol.wire;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.BitSet;

/** BitSet as its long words (Kryo's field serializer would reach into JDK internals). */
final class BitSetSerializer extends Serializer<BitSet> {
    @Override
    public void write(Kryo kryo, Output out, BitSet b) {
        long[] words = b.toLongArray();
        out.writeVarInt(words.length, true);
        out.writeLongs(words, 0, words.length);
    }

    @Override
    public BitSet read(Kryo kryo, Input in, Class<? extends BitSet> type) {
        int n = in.readVarInt(true);
        return BitSet.valueOf(in.readLongs(n));
    }
}
