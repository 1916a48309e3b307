package smpemu.node.actor;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.nio.ByteBuffer;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;
import smpemu.node.model.CpuStats;
import smpemu.node.model.Directory;
import smpemu.protocol.wire.WireRegistry;

/**
 * The node module's wire classes (ids 100-199): what a NodeHost exchanges with its peers and the
 * coordinator, and the model objects those messages carry. Named in the cluster config under
 * {@link WireRegistry#REGISTRARS_KEY}.
 */
public final class NodeWire implements WireRegistry.Registrar {
    @Override
    public void register(WireRegistry r) {
        r.addFields(100, Directory.class);
        r.addFields(101, CpuStats.class);
        r.add(104, Directory.Delta.class);
        r.add(102, Histogram.class, c -> new HistogramSerializer<>(Histogram::decodeFromCompressedByteBuffer));
        r.add(103, IntCountsHistogram.class, c -> new HistogramSerializer<>(IntCountsHistogram::decodeFromCompressedByteBuffer));
        r.add(110, NodeHost.Peers.class);
        r.add(111, NodeHost.OpenWindow.class);
        r.add(112, NodeHost.PeerBatch.class);
        r.add(113, NodeHost.FinishRun.class);
        r.add(114, NodeHost.WindowReport.class);
        r.add(115, NodeHost.NodeFinished.class);
        r.add(116, NodeHost.RunFailed.class);
    }

    /** HdrHistogram's own compressed encoding: exact counts, so the digest cannot change. */
    static final class HistogramSerializer<H extends AbstractHistogram> extends Serializer<H> {
        /** The class's own decoder: an IntCountsHistogram comes back with int counts. */
        interface Decoder<H> {
            H decode(ByteBuffer buffer, long minBarForHighestTrackableValue) throws DataFormatException;
        }

        private final Decoder<H> decoder;

        HistogramSerializer(Decoder<H> decoder) { this.decoder = decoder; }

        @Override
        public void write(Kryo kryo, Output out, H h) {
            ByteBuffer buf = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
            int len = h.encodeIntoCompressedByteBuffer(buf);
            out.writeVarInt(len, true);
            out.writeBytes(buf.array(), 0, len);
        }

        @Override
        public H read(Kryo kryo, Input in, Class<? extends H> type) {
            byte[] b = in.readBytes(in.readVarInt(true));
            try {
                return decoder.decode(ByteBuffer.wrap(b), 0);
            } catch (DataFormatException e) {
                throw new IllegalArgumentException("corrupt histogram on the wire", e);
            }
        }
    }
}
