package io.bitquan.flow.operators.monitor;

import io.bitquan.flow.operators.model.ChainInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

/**
 * A chain event read from chain-events, reduced to what the monitor needs: chain and height.
 * Made next to the decoder (chained, no network) so only these few bytes travel to the
 * {@link FeedMonitor}, never the block. A Flink POJO.
 */
public class SourceTip {
    public String chainId;
    public long height;

    public SourceTip() {}

    public SourceTip(String chainId, long height) {
        this.chainId = chainId;
        this.height = height;
    }

    /**
     * Reads only the prefix of the event's Avro binary: the union branch, then chainId and height,
     * which are the first two fields of both branches (BlockConnected's block header and
     * BlockDisconnected). Constant time whatever the block's size; the rest is never read.
     */
    public static SourceTip of(ChainInput input) {
        BinaryDecoder in = DecoderFactory.get().binaryDecoder(input.event, input.eventOffset, input.eventLength(), null);
        try {
            int branch = in.readIndex();
            if (branch != 0 && branch != 1) {
                throw new IllegalArgumentException("ChainEvent union branch " + branch);
            }
            String chainId = in.readString();
            return new SourceTip(chainId, in.readLong());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the height of a decoded chain event", e);
        }
    }
}
