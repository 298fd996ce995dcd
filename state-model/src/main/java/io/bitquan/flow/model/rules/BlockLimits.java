package io.bitquan.flow.model.rules;

import io.bitquan.flow.model.avro.Block;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Consensus size limits of blocks and of the fields inside them. They bound what one block can
 * cost before any of it is hashed, verified or stored, so they are checked first (the job checks
 * the block-level caps in the sequencer, before the block is split and prepared; see
 * {@link BlockRules#checkCaps}). Changing any of them is a hard fork.
 */
public final class BlockLimits {
    /**
     * Largest Avro binary encoding of a {@code Block} record: 16 MiB, about 3,000 single-input
     * ML-DSA-65 spends (~5.4 kB each; a 500-transaction block is ~3 MB). Decoded Avro objects
     * take up to ~40x the bytes of tiny items, so this also bounds what one hostile record can
     * make a decoder allocate. The transport adds a few bytes (event union tag, single-object
     * header): {@code RecordLimits} in kafka-config sizes records, topics and clients from it.
     */
    public static final int MAX_BLOCK_BYTES = 16 * 1024 * 1024;
    /** Inputs or outputs of one transaction. */
    public static final int MAX_TX_INPUTS = 10_000;
    public static final int MAX_TX_OUTPUTS = 10_000;
    /** Entries of a contract call's declared access list (a scheduling hint). */
    public static final int MAX_ACCESS_LIST = 1_024;
    /** UTF-16 chars of a contract method name (an export name; receipts may echo it). */
    public static final int MAX_METHOD_CHARS = 256;
    /** Chars of a chain id (compared with the chain's; bounded so error texts stay small). */
    public static final int MAX_CHAIN_ID_CHARS = 64;
    /** Header hashes: parent hash, tx root, expected state root. */
    public static final int HASH_BYTES = 32;

    private BlockLimits() {}

    /** Size of the block's Avro binary encoding, counted without buffering the bytes. */
    public static long encodedSize(Block block) {
        Counter counter = new Counter();
        try {
            BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(counter, null);
            new SpecificDatumWriter<Block>(Block.class).write(block, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return counter.count;
    }

    private static final class Counter extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
