package io.bitquan.flow.model.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.avro.AccountTransfer;
import io.bitquan.flow.model.avro.Coinbase;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.avro.TxInput;
import io.bitquan.flow.model.avro.TxOutput;
import io.bitquan.flow.model.avro.UtxoTransfer;
import io.bitquan.flow.model.rules.PreparedTx;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * {@link TxCodec#idAndHash} (one encoding, the id's prefix hashed once) gives exactly BLAKE3 of
 * the encoding without and with signatures, for every variant, at Ed25519 and ML-DSA-65 sizes and
 * random ones (so the signature starts on and off the block and chunk edges); checked against
 * BouncyCastle's digest, independent of the project's hashers.
 */
class TxCodecIdAndHashTest {

    private static byte[] bc(byte[] input) {
        Blake3Digest d = new Blake3Digest(256);
        d.update(input, 0, input.length);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    private static ByteBuffer bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return ByteBuffer.wrap(b);
    }

    private static Transaction tx(int variant, int keyBytes, int sigBytes, int extra, Random r) {
        List<TxOutput> outputs = new ArrayList<>();
        for (int i = 0; i <= r.nextInt(3); i++) {
            outputs.add(TxOutput.newBuilder().setAmount(r.nextLong()).setLock(bytes(r, 32)).build());
        }
        switch (variant) {
            case 0:
                return new Transaction(Coinbase.newBuilder().setHeight(r.nextInt(1000)).setOutputs(outputs).build());
            case 1: {
                List<TxInput> inputs = new ArrayList<>();
                for (int i = 0; i <= r.nextInt(3); i++) {
                    inputs.add(TxInput.newBuilder().setPrevTxId(bytes(r, 32)).setPrevIndex(i)
                            .setPublicKey(bytes(r, keyBytes)).setSignature(bytes(r, sigBytes)).build());
                }
                return new Transaction(UtxoTransfer.newBuilder().setInputs(inputs).setOutputs(outputs).build());
            }
            case 2:
                return new Transaction(AccountTransfer.newBuilder().setSender(bytes(r, 32)).setPublicKey(bytes(r, keyBytes))
                        .setRecipient(bytes(r, 32)).setAmount(r.nextLong()).setFee(1).setNonce(r.nextInt(100))
                        .setSignature(bytes(r, sigBytes)).build());
            case 3:
                return new Transaction(ContractDeploy.newBuilder().setSender(bytes(r, 32)).setPublicKey(bytes(r, keyBytes))
                        .setCode(bytes(r, extra)).setConstructorArgs(bytes(r, r.nextInt(40))).setGasLimit(1000).setFee(1)
                        .setNonce(0).setSignature(bytes(r, sigBytes)).build());
            default: {
                List<ByteBuffer> access = r.nextBoolean() ? null : List.of(bytes(r, 33), bytes(r, extra % 100));
                return new Transaction(ContractCall.newBuilder().setSender(bytes(r, 32)).setPublicKey(bytes(r, keyBytes))
                        .setContract(bytes(r, 32)).setMethod("transfer").setArgs(bytes(r, extra)).setValue(0)
                        .setGasLimit(1000).setFee(1).setNonce(0).setAccessList(access).setSignature(bytes(r, sigBytes)).build());
            }
        }
    }

    /** The encoding as it was written before the writer took ByteBuffers: every field copied out with Bytes.of. */
    private static byte[] reference(Transaction tx, boolean withSignatures) {
        io.bitquan.flow.model.codec.CanonicalWriter w = new io.bitquan.flow.model.codec.CanonicalWriter(0);
        Object body = tx.getBody();
        if (body instanceof Coinbase cb) {
            w.u8(0).i64(cb.getHeight());
            outputs(w, cb.getOutputs());
        } else if (body instanceof UtxoTransfer t) {
            w.u8(1).i32(t.getInputs().size());
            for (TxInput in : t.getInputs()) {
                w.bytes(b(in.getPrevTxId())).i32(in.getPrevIndex()).bytes(b(in.getPublicKey()));
                if (withSignatures) {
                    w.bytes(b(in.getSignature()));
                }
            }
            outputs(w, t.getOutputs());
        } else if (body instanceof AccountTransfer t) {
            w.u8(2).bytes(b(t.getSender())).bytes(b(t.getPublicKey())).bytes(b(t.getRecipient()))
                    .i64(t.getAmount()).i64(t.getFee()).i64(t.getNonce());
            if (withSignatures) {
                w.bytes(b(t.getSignature()));
            }
        } else if (body instanceof ContractDeploy t) {
            w.u8(3).bytes(b(t.getSender())).bytes(b(t.getPublicKey())).bytes(b(t.getCode()))
                    .bytes(b(t.getConstructorArgs())).i64(t.getGasLimit()).i64(t.getFee()).i64(t.getNonce());
            if (withSignatures) {
                w.bytes(b(t.getSignature()));
            }
        } else {
            ContractCall t = (ContractCall) body;
            w.u8(4).bytes(b(t.getSender())).bytes(b(t.getPublicKey())).bytes(b(t.getContract()))
                    .string(t.getMethod()).bytes(b(t.getArgs())).i64(t.getValue()).i64(t.getGasLimit())
                    .i64(t.getFee()).i64(t.getNonce());
            w.bool(t.getAccessList() != null);
            if (t.getAccessList() != null) {
                w.i32(t.getAccessList().size());
                for (ByteBuffer key : t.getAccessList()) {
                    w.bytes(b(key));
                }
            }
            if (withSignatures) {
                w.bytes(b(t.getSignature()));
            }
        }
        return w.toByteArray();
    }

    private static void outputs(io.bitquan.flow.model.codec.CanonicalWriter w, List<TxOutput> outputs) {
        w.i32(outputs.size());
        for (TxOutput out : outputs) {
            w.i64(out.getAmount()).bytes(b(out.getLock()));
        }
    }

    private static byte[] b(ByteBuffer buffer) {
        return io.bitquan.flow.model.codec.Bytes.of(buffer);
    }

    private static void check(Transaction tx) {
        assertThat(TxCodec.encode(tx, false)).as("encoding without signatures").isEqualTo(reference(tx, false));
        assertThat(TxCodec.encode(tx, true)).as("encoding").isEqualTo(reference(tx, true));
        byte[][] both = TxCodec.idAndHash(tx);
        assertThat(both[0]).as("id").isEqualTo(bc(reference(tx, false))).isEqualTo(TxCodec.txId(tx));
        assertThat(both[1]).as("hash").isEqualTo(bc(reference(tx, true))).isEqualTo(TxCodec.txHash(tx));
        PreparedTx p = PreparedTx.of(7, tx);
        assertThat(p.txId()).isEqualTo(both[0]);
        assertThat(p.txHash()).isEqualTo(both[1]);
    }

    @Property(tries = 300)
    void schemeSizes(@ForAll @IntRange(min = 0, max = 4) int variant, @ForAll boolean mlDsa,
                     @ForAll @IntRange(min = 0, max = 3000) int extra, @ForAll long seed) {
        check(tx(variant, mlDsa ? 1952 : 32, mlDsa ? 3309 : 64, extra, new Random(seed)));
    }

    /**
     * One thread's scratch writer and hasher reused across transactions of every size, including one
     * bigger than the writer keeps (a large deploy), in a random order: each id and hash as if computed fresh.
     */
    @Property(tries = 100)
    void scratchReusedAcrossSizes(@ForAll long seed) {
        Random r = new Random(seed);
        for (int i = 0; i < 12; i++) {
            int variant = r.nextInt(5);
            int extra = r.nextInt(10) == 0 ? 70_000 + r.nextInt(5000) : r.nextInt(3000);
            check(tx(variant, r.nextBoolean() ? 1952 : 32, r.nextBoolean() ? 3309 : 64, extra, r));
        }
    }

    /**
     * Threads sharing the same transactions (as the standalone runner's pool and the preparers do),
     * each with its own scratch: every id and hash equals the single-threaded reference, at 1, 2,
     * 3, 8 and 16 threads.
     */
    @net.jqwik.api.Example
    void threadsSharingTransactionsGetTheReferenceIdsAndHashes() throws Exception {
        Random r = new Random(15);
        List<Transaction> txs = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            txs.add(tx(r.nextInt(5), r.nextBoolean() ? 1952 : 32, r.nextBoolean() ? 3309 : 64,
                    r.nextInt(20) == 0 ? 70_000 : r.nextInt(3000), r));
        }
        List<byte[]> ids = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        for (Transaction tx : txs) {
            ids.add(bc(reference(tx, false)));
            hashes.add(bc(reference(tx, true)));
        }
        for (int threads : new int[] {1, 2, 3, 8, 16}) {
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
            try {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    int offset = t * 37;
                    done.add(pool.submit(() -> {
                        for (int round = 0; round < 3; round++) {
                            for (int k = 0; k < txs.size(); k++) {
                                int i = (k + offset) % txs.size();
                                byte[][] both = TxCodec.idAndHash(txs.get(i));
                                assertThat(both[0]).as("id of tx %d", i).isEqualTo(ids.get(i));
                                assertThat(both[1]).as("hash of tx %d", i).isEqualTo(hashes.get(i));
                                assertThat(TxCodec.txId(txs.get(i))).isEqualTo(ids.get(i));
                            }
                        }
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Property(tries = 300)
    void randomSizes(@ForAll @IntRange(min = 0, max = 4) int variant, @ForAll @IntRange(min = 0, max = 2500) int keyBytes,
                     @ForAll @IntRange(min = 0, max = 4200) int sigBytes, @ForAll @IntRange(min = 0, max = 1500) int extra,
                     @ForAll long seed) {
        check(tx(variant, keyBytes, sigBytes, extra, new Random(seed)));
    }
}
