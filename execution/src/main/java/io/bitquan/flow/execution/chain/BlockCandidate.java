package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.rules.PreparedTx;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * A whole Avro {@link Block} as ChainRunner offers it: decoded in memory, signatures verified
 * by the {@link BlockPreparer} only once the structure checks passed; stored as Avro binary.
 */
public final class BlockCandidate implements Candidate {
    private final Block block;
    private final BlockPreparer preparer;
    private final String chainId;
    private final io.bitquan.flow.model.crypto.SignatureScheme scheme;
    private byte[] headerId;

    public BlockCandidate(Block block, BlockPreparer preparer, io.bitquan.flow.model.chain.ChainConfig config) {
        this.block = block;
        this.preparer = preparer;
        this.chainId = config.chainId();
        this.scheme = config.scheme();
    }

    @Override
    public BlockHeader header() {
        return block.getHeader();
    }

    @Override
    public byte[] headerId() {
        if (headerId == null) {
            headerId = BlockHashes.headerId(block.getHeader());
        }
        return headerId;
    }

    @Override
    public int txCount() {
        return block.getTransactions().size();
    }

    @Override
    public PreparedBody body() {
        List<PreparedTx> txs = preparer.decodeParallel(block);
        return new PreparedBody(txs, null, () -> preparer.verifySignatures(headerId(), txs, chainId, scheme), Set.of());
    }

    @Override
    public byte[] payload() {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
            new SpecificDatumWriter<>(Block.class).write(block, encoder);
            encoder.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The decoder ChainCore uses for payloads this class stored. */
    public static Block decode(byte[] payload) {
        try {
            return new SpecificDatumReader<>(Block.class).read(null, DecoderFactory.get().binaryDecoder(payload, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
