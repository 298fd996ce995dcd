package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.chain.AssumeValid;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.prepare.TxPreparer;
import io.bitquan.flow.operators.sequencer.BlockSlices;
import io.bitquan.flow.operators.prepare.Witnesses;
import io.bitquan.flow.model.rules.PreparedTx;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Not a test (no assertion, never run by surefire): the CPU per transaction of each step of the
 * preparer -> executor data path, before and after witness stripping and header-only sequencing,
 * on one thread, measured as thread CPU time (moves much less than wall time on a busy machine).
 * Signature checks are left out (assume-valid): they cost the same in the job and standalone.
 *
 * <pre>
 * mvn -B -q -pl operators -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp operators/target/test-classes:operators/target/classes:$(cat /tmp/cp.txt) \
 *   io.bitquan.flow.operators.execute.DataPathCost [ml-dsa-65|ed25519] [reps]
 * </pre>
 */
public final class DataPathCost {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int CHUNKS = 4;

    public static void main(String[] args) throws Exception {
        SignatureScheme scheme = SignatureScheme.fromId(args.length > 0 ? args[0] : "ml-dsa-65");
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 40;
        ChainGenerator g = new ChainGenerator(new GeneratorOptions(1, 3, 500, Workload.MIXED, 1000, 0, scheme));
        ChainConfig config = new ChainConfig(g.genesis());
        List<byte[]> events = new ArrayList<>();
        List<Block> blocks = new ArrayList<>();
        for (ChainEvent e : g.generateAll()) {
            if (e.getEvent() instanceof BlockConnected c && c.getBlock().getHeader().getHeight() > 1) {
                events.add(AvroBinary.encode(e));
                blocks.add(c.getBlock());
            }
        }
        int txs = blocks.stream().mapToInt(b -> b.getTransactions().size()).sum();
        List<List<BlockPart>> chunks = new ArrayList<>();
        for (byte[] e : events) {
            chunks.add(splitDecoded(e));
        }
        AssumeValid all = assumeAll(blocks);
        List<List<BlockPart>> stripped = new ArrayList<>();
        List<List<BlockPart>> full = new ArrayList<>();
        for (List<BlockPart> cs : chunks) {
            List<BlockPart> s = new ArrayList<>();
            List<BlockPart> f = new ArrayList<>();
            for (BlockPart c : cs) {
                BlockPart p = TxPreparer.prepare(c, config, all);
                s.add(p);
                BlockPart u = copy(p);
                u.txs = c.txs;
                u.strippedSignatureBytes = 0;
                f.add(u);
            }
            stripped.add(s);
            full.add(f);
        }
        TypeSerializer<BlockPart> ser = TypeInformation.of(BlockPart.class).createSerializer(new SerializerConfigImpl());

        System.out.printf("%s: %d blocks, %d txs, %d reps; us of thread CPU per transaction%n", scheme.id(), blocks.size(), txs, reps);
        System.out.printf("| step | before | after | bytes/tx before | bytes/tx after |%n|---|---|---|---|---|%n");
        row("sequencer: split a block into chunks", txs, reps,
                () -> events.forEach(DataPathCost::splitDecoded), () -> events.forEach(DataPathCost::splitSliced),
                bytes(chunks, false), bytes(chunks, false));
        List<List<byte[]>> sliced = new ArrayList<>();
        for (byte[] e : events) {
            sliced.add(BlockSlices.read(e).txs());
        }
        row("  of which: full decode (before) / BlockSlices.read (after)", txs, reps,
                () -> events.forEach(e -> AvroBinary.decode(ChainEvent.getClassSchema(), e)),
                () -> events.forEach(e -> {
                    try {
                        BlockSlices.read(e);
                    } catch (java.io.IOException x) {
                        throw new IllegalStateException(x);
                    }
                }), 0, 0);
        row("  of which: packing the chunks (both)", txs, reps,
                () -> sliced.forEach(t -> chunks(null, t)), () -> sliced.forEach(t -> chunks(null, t)), 0, 0);
        row("preparer without signature checks", txs, reps,
                () -> chunks.forEach(cs -> cs.forEach(c -> TxPreparer.prepare(c, config, all, false))),
                () -> chunks.forEach(cs -> cs.forEach(c -> TxPreparer.prepare(c, config, all))),
                bytes(full, true), bytes(stripped, true));
        List<byte[]> encodedTxs = new ArrayList<>();
        chunks.forEach(cs -> cs.forEach(c -> encodedTxs.addAll(Blobs.unpack(c.txs))));
        row("  of which: Avro decode (before) / decode + ids and hashes (after)", txs, reps,
                () -> encodedTxs.forEach(b -> AvroBinary.decode(Transaction.getClassSchema(), b)),
                () -> encodedTxs.forEach(b -> PreparedTx.of(0, AvroBinary.decode(Transaction.getClassSchema(), b))), 0, 0);
        row("  of which: decode (before) / decode + strip + encode (after)", txs, reps,
                () -> encodedTxs.forEach(b -> AvroBinary.decode(Transaction.getClassSchema(), b)),
                () -> encodedTxs.forEach(b -> {
                    Transaction tx = AvroBinary.decode(Transaction.getClassSchema(), b);
                    Witnesses.strip(tx);
                    AvroBinary.encode(tx);
                }), 0, 0);
        row("PREPARED record: Flink serialize + deserialize (one hop or state write+read)", txs, reps,
                () -> full.forEach(cs -> cs.forEach(c -> roundTrip(ser, c))),
                () -> stripped.forEach(cs -> cs.forEach(c -> roundTrip(ser, c))),
                bytes(full, true), bytes(stripped, true));
        row("executor: PreparedCandidate.body()", txs, reps,
                () -> full.forEach(cs -> body(cs, config)), () -> stripped.forEach(cs -> body(cs, config)),
                bytes(full, true), bytes(stripped, true));
    }

    private static void row(String step, int txs, int reps, Runnable before, Runnable after, long bytesBefore, long bytesAfter) {
        for (int i = 0; i < reps / 2; i++) { // warm-up, interleaved so neither is compiled first
            before.run();
            after.run();
        }
        long b = 0;
        long a = 0;
        for (int i = 0; i < reps; i++) {
            b += cpu(before);
            a += cpu(after);
        }
        System.out.printf("| %s | %.2f | %.2f | %d | %d |%n", step, b / 1e3 / reps / txs, a / 1e3 / reps / txs,
                bytesBefore / txs, bytesAfter / txs);
    }

    private static long cpu(Runnable r) {
        long t0 = CPU.getCurrentThreadCpuTime();
        r.run();
        return CPU.getCurrentThreadCpuTime() - t0;
    }

    private static long bytes(List<List<BlockPart>> parts, boolean withPrepared) {
        long n = 0;
        for (List<BlockPart> cs : parts) {
            for (BlockPart c : cs) {
                n += c.txs.length + (withPrepared ? c.txIds.length + c.txHashes.length + c.predictedKeys.length : 0);
            }
        }
        return n;
    }

    /** Round 3's sequencer: the whole event decoded, every transaction re-encoded. */
    private static List<BlockPart> splitDecoded(byte[] event) {
        Block block = ((BlockConnected) AvroBinary.<ChainEvent>decode(ChainEvent.getClassSchema(), event).getEvent()).getBlock();
        List<byte[]> encoded = new ArrayList<>();
        for (Transaction tx : block.getTransactions()) {
            encoded.add(AvroBinary.encode(tx));
        }
        AvroBinary.encode(block.getHeader());
        return chunks(block, encoded);
    }

    private static List<BlockPart> splitSliced(byte[] event) {
        try {
            return chunks(null, BlockSlices.read(event).txs());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<BlockPart> chunks(Block block, List<byte[]> encoded) {
        int size = (encoded.size() + CHUNKS - 1) / CHUNKS;
        byte[] id = block == null ? null : BlockHashes.headerId(block.getHeader());
        List<BlockPart> out = new ArrayList<>();
        for (int c = 0; c * size < encoded.size(); c++) {
            BlockPart p = BlockPart.of(BlockPart.Kind.CHUNK, "bench", 1);
            p.chunkIndex = c;
            p.firstTx = c * size;
            p.blockId = id;
            p.txs = Blobs.pack(encoded.subList(c * size, Math.min(encoded.size(), (c + 1) * size)));
            out.add(p);
        }
        return out;
    }

    private static void roundTrip(TypeSerializer<BlockPart> ser, BlockPart c) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(64 * 1024);
            ser.serialize(c, out);
            ser.deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void body(List<BlockPart> chunks, ChainConfig config) {
        BlockPart start = BlockPart.of(BlockPart.Kind.START, "bench", 1);
        start.header = HEADER;
        start.txCount = chunks.stream().mapToInt(c -> Blobs.unpack(c.txIds).size()).sum();
        new PreparedCandidate(start, chunks).body();
    }

    private static byte[] HEADER;

    private static AssumeValid assumeAll(List<Block> blocks) {
        AssumeValid.Headers h = new AssumeValid.Headers();
        for (Block b : blocks) {
            h.add(b.getHeader());
        }
        HEADER = AvroBinary.encode(blocks.get(0).getHeader());
        return h.ancestorsOf(List.of(BlockHashes.headerId(blocks.get(blocks.size() - 1).getHeader())));
    }

    private static BlockPart copy(BlockPart p) {
        BlockPart c = BlockPart.of(p.kind, p.chainId, p.seq);
        c.chunkIndex = p.chunkIndex;
        c.firstTx = p.firstTx;
        c.txs = p.txs;
        c.txIds = p.txIds;
        c.txHashes = p.txHashes;
        c.predictedKeys = p.predictedKeys;
        c.sigViolationTx = p.sigViolationTx;
        c.strippedSignatureBytes = p.strippedSignatureBytes;
        c.txRootTiles = p.txRootTiles;
        return c;
    }

}
