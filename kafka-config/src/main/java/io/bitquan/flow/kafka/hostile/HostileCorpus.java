package io.bitquan.flow.kafka.hostile;

import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.rules.BlockLimits;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;

/**
 * The project's hostile corpus: one record of each {@link HostileKind}, deterministic for a seed
 * (no wall clock, SplitMix random). Records that are blocks are built from the valid block that
 * will follow them (same height and parent, a different header id), so a node sees them as a
 * sibling it must reject before the valid block applies: state never changes because of them.
 * Flink-free; used by the demo's {@code --hostile-every}, the ITCase and the fuzz corpus.
 */
public final class HostileCorpus {
    private final RecordLimits limits;
    private final int maxBlockTransactions;

    /**
     * @param limits               the job's record limits (OVERSIZED_RECORD is one byte over;
     *                             OVERSIZED_BLOCK needs room above the block cap)
     * @param maxBlockTransactions the chain's limit (TOO_MANY_TXS is one over)
     */
    public HostileCorpus(RecordLimits limits, int maxBlockTransactions) {
        this.limits = limits;
        this.maxBlockTransactions = maxBlockTransactions;
    }

    /** A record of {@code kind}; {@code next} is the valid block published after it. */
    public HostileRecord make(HostileKind kind, Block next, long seed) {
        String key = next.getHeader().getChainId();
        byte[] valid = AvroSingleObject.CHAIN_EVENT.encode(event(next));
        byte[] header = Arrays.copyOf(valid, 10);
        SplittableRandom random = new SplittableRandom(seed);
        byte[] value = switch (kind) {
            case RANDOM_BYTES -> {
                byte[] b = new byte[1 + random.nextInt(4096)];
                random.nextBytes(b);
                yield b;
            }
            case TRUNCATED -> Arrays.copyOf(valid, valid.length / 2);
            case WRONG_FINGERPRINT -> {
                byte[] b = valid.clone();
                b[2 + random.nextInt(8)] ^= (byte) (1 + random.nextInt(255));
                yield b;
            }
            case HUGE_STRING_LENGTH -> concat(header, avro(e -> {
                e.writeIndex(1); // BlockDisconnected
                e.writeLong(Integer.MAX_VALUE - 8L); // chainId length at Avro's VM limit
                e.writeFixed(new byte[16]);
            }));
            case HUGE_BYTES_LENGTH -> concat(header, avro(e -> {
                e.writeIndex(1);
                e.writeString(key);
                e.writeLong(next.getHeader().getHeight());
                e.writeLong(Integer.MAX_VALUE - 9L); // blockId length just below the VM limit
                e.writeFixed(new byte[16]);
            }));
            case HUGE_ARRAY_LENGTH -> concat(header, avro(e -> {
                BlockHeader h = next.getHeader();
                e.writeIndex(0); // BlockConnected
                e.writeString(h.getChainId());
                e.writeLong(h.getHeight());
                e.writeBytes(h.getParentHash().duplicate());
                e.writeLong(h.getTimestamp());
                e.writeBytes(h.getTxRoot().duplicate());
                e.writeIndex(0); // no expected state root
                e.writeLong(Integer.MAX_VALUE - 9L); // transaction count
                e.writeIndex(0);
            }));
            case EMPTY_VALUE -> new byte[0];
            case TOMBSTONE -> null;
            case TRAILING_BYTES -> concat(valid, new byte[] {0, 1, 2, 3});
            case OVERSIZED_RECORD -> {
                byte[] b = new byte[limits.maxRecordBytes() + 1];
                System.arraycopy(header, 0, b, 0, header.length);
                yield b;
            }
            case MALFORMED_FIELDS -> AvroSingleObject.CHAIN_EVENT.encode(event(malformed(next)));
            case TOO_MANY_TXS -> AvroSingleObject.CHAIN_EVENT.encode(event(tooManyTxs(next)));
            case OVERSIZED_BLOCK -> AvroSingleObject.CHAIN_EVENT.encode(event(oversized(next)));
        };
        return new HostileRecord(kind, key, value);
    }

    /** Every kind in declaration order, each from {@code next}, seeds {@code seed}, {@code seed + 1}, ... */
    public List<HostileRecord> all(Block next, long seed) {
        List<HostileRecord> out = new ArrayList<>();
        for (HostileKind kind : HostileKind.values()) {
            out.add(make(kind, next, seed + kind.ordinal()));
        }
        return out;
    }

    /** The first UTXO input's prevTxId (else the coinbase's first lock) cut to 5 bytes; tx root recomputed. */
    static Block malformed(Block next) {
        Block b = copy(next);
        boolean done = false;
        for (Transaction tx : b.getTransactions()) {
            if (tx.getBody() instanceof UtxoTransfer t && !t.getInputs().isEmpty()) {
                t.getInputs().get(0).setPrevTxId(ByteBuffer.wrap(new byte[5]));
                done = true;
                break;
            }
        }
        if (!done) {
            Coinbase cb = (Coinbase) b.getTransactions().get(0).getBody();
            List<TxOutput> outputs = new ArrayList<>(cb.getOutputs());
            outputs.add(0, TxOutput.newBuilder().setAmount(1).setLock(ByteBuffer.wrap(new byte[5])).build());
            cb.setOutputs(outputs);
        }
        List<byte[]> hashes = new ArrayList<>();
        for (Transaction tx : b.getTransactions()) {
            hashes.add(TxCodec.txHash(tx));
        }
        b.getHeader().setTxRoot(ByteBuffer.wrap(BlockHashes.txRoot(hashes)));
        return b;
    }

    private Block tooManyTxs(Block next) {
        Block b = copy(next);
        List<Transaction> txs = new ArrayList<>(maxBlockTransactions + 1);
        txs.addAll(b.getTransactions());
        Transaction filler = b.getTransactions().get(0);
        while (txs.size() <= maxBlockTransactions) {
            txs.add(filler);
        }
        b.setTransactions(txs);
        mark(b, "too-many-txs");
        return b;
    }

    private Block oversized(Block next) {
        if (limits.maxRecordBytes() < BlockLimits.MAX_BLOCK_BYTES + 64 * 1024) {
            throw new IllegalArgumentException("an oversized block needs a record limit above the block cap");
        }
        Block b = copy(next);
        long size = BlockLimits.encodedSize(b);
        int code = (int) (BlockLimits.MAX_BLOCK_BYTES - size + 1024);
        ByteBuffer key = ByteBuffer.wrap(new byte[32]);
        List<Transaction> txs = new ArrayList<>(b.getTransactions());
        txs.add(new Transaction(ContractDeploy.newBuilder().setSender(key).setPublicKey(key.duplicate())
                .setCode(ByteBuffer.wrap(new byte[Math.max(code, 1)])).setConstructorArgs(ByteBuffer.allocate(0))
                .setGasLimit(1).setFee(0).setNonce(0).setSignature(key.duplicate()).build()));
        b.setTransactions(txs);
        mark(b, "oversized-block");
        return b;
    }

    /** A distinct tx root, so the block's header id differs from the valid block it imitates. */
    private static void mark(Block b, String what) {
        b.getHeader().setTxRoot(ByteBuffer.wrap(Blake3.hash(("bitquan/hostile/" + what).getBytes(StandardCharsets.US_ASCII))));
    }

    private static Block copy(Block block) {
        return SpecificData.get().deepCopy(Block.getClassSchema(), block);
    }

    private static ChainEvent event(Block block) {
        return new ChainEvent(new BlockConnected(block));
    }

    private interface Body {
        void write(BinaryEncoder e) throws IOException;
    }

    private static byte[] avro(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(out, null);
            body.write(e);
            e.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
