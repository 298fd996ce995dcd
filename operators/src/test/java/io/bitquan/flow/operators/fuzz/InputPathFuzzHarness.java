package io.bitquan.flow.operators.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.BlockReport;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.SequentialEngine;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.kafka.hostile.HostileCorpus;
import io.bitquan.flow.kafka.hostile.HostileKind;
import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.kafka.io.SourceRecord;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Transaction;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.chain.TxCodec;
import io.bitquan.flow.model.rules.BlockRules;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.operators.Fixtures;
import io.bitquan.flow.operators.decode.EventDecoder;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.model.ChainInput;
import io.bitquan.flow.operators.prepare.TxPreparer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

/**
 * The job's input path for one fuzzed record: raw bytes -> {@link EventDecoder} (its operator
 * test harness) -> the sequencer's caps ({@link BlockRules#checkCaps}) and chunking ->
 * {@link TxPreparer#prepare} (structure, signatures, access prediction) -> the executor's core
 * ({@code ChainRunner.connect} over the chain's genesis). Checks: nothing throws anywhere; a
 * record is exactly one of a dead letter (with reason and position) or a decoded input; a
 * block the caps reject is rejected with that rule (or an earlier tip rule); a rejected block
 * leaves the state root and tip exactly as they were.
 *
 * <p>Inputs: the first byte picks how the record is made from the rest: raw bytes, byte flips of
 * a valid record (anywhere, or only in the body), a hostile-corpus kind, or a schema-valid
 * block with one bytes or long field replaced (lengths and values chosen by the input).
 */
public final class InputPathFuzzHarness {
    static final Fixtures CHAIN = new Fixtures(1, 6, 0);
    static final ChainConfig CONFIG = new ChainConfig(CHAIN.genesis);
    static final Block TEMPLATE = ((BlockConnected) CHAIN.events.get(0).getEvent()).getBlock();
    static final byte[] VALID = AvroSingleObject.CHAIN_EVENT.encode(CHAIN.events.get(0));
    private static final Set<HostileKind> HEAVY = Set.of(HostileKind.OVERSIZED_RECORD, HostileKind.OVERSIZED_BLOCK,
            HostileKind.TOO_MANY_TXS);
    private static final long[] LONGS = {Long.MIN_VALUE, -1, 0, 1, 2, 100, Integer.MAX_VALUE, 21_000_000L * 100_000_000L,
            21_000_000L * 100_000_000L + 1, Long.MAX_VALUE};
    private static OneInputStreamOperatorTestHarness<SourceRecord, ChainInput> decoder;
    private static long offset;

    private InputPathFuzzHarness() {}

    public static synchronized void run(byte[] data) {
        byte[] value = record(data);
        ChainInput input = decode(value);
        if (input == null) {
            return;
        }
        ChainEvent event = AvroBinary.decode(ChainEvent.getClassSchema(), input.body());
        ChainRunner runner = new ChainRunner(CONFIG, new InMemoryStateStore(), new SequentialEngine(new ChainVm()),
                new BlockPreparer(null));
        byte[] rootBefore = runner.stateRoot();
        if (event.getEvent() instanceof BlockDisconnected d) {
            assertThat(runner.disconnect(d).accepted()).as("nothing to disconnect at genesis").isFalse();
            assertThat(runner.stateRoot()).isEqualTo(rootBefore);
            return;
        }
        Block block = ((BlockConnected) event.getEvent()).getBlock();
        RuleViolation caps = BlockRules.checkCaps(block, CONFIG);
        if (caps == null) {
            prepareLikeTheJob(block);
        }
        BlockReport report = runner.connect(block);
        if (caps != null) {
            assertThat(report.accepted()).isFalse();
            assertThat(report.violation().rule()).isIn(caps.rule(), Rule.HEADER_HEIGHT, Rule.HEADER_PARENT);
        }
        if (!report.accepted()) {
            assertThat(runner.stateRoot()).as("a rejected block changes nothing").isEqualTo(rootBefore);
            assertThat(runner.tipHeight()).isZero();
        }
    }

    /** The sequencer's chunking (chunks of 4) and the preparer on every chunk: must not throw. */
    private static void prepareLikeTheJob(Block block) {
        List<Transaction> txs = block.getTransactions();
        for (int from = 0; from < txs.size(); from += 4) {
            List<byte[]> encoded = new ArrayList<>();
            for (int i = from; i < Math.min(txs.size(), from + 4); i++) {
                encoded.add(AvroBinary.encode(txs.get(i)));
            }
            BlockPart chunk = BlockPart.of(BlockPart.Kind.CHUNK, CHAIN.chainId, 0);
            chunk.firstTx = from;
            chunk.txs = Blobs.pack(encoded);
            BlockPart prepared = TxPreparer.prepare(chunk, CONFIG);
            assertThat(Blobs.unpack(prepared.txIds)).hasSize(encoded.size());
        }
    }

    /** The decoder operator on one record: exactly one dead letter or one input. */
    private static ChainInput decode(byte[] value) {
        try {
            if (decoder == null) {
                decoder = ProcessFunctionTestHarnesses.forProcessFunction(new EventDecoder(CHAIN.catalog));
            }
            long at = offset++;
            decoder.processElement(new StreamRecord<>(new SourceRecord("chain-events", 0, at,
                    CHAIN.chainId.getBytes(StandardCharsets.UTF_8), value)));
            List<ChainInput> out = decoder.extractOutputValues();
            var letters = decoder.getSideOutput(EventDecoder.DEAD_LETTERS);
            int dead = letters == null ? 0 : letters.size();
            assertThat(out.size() + dead).as("one record, one outcome").isEqualTo(1);
            ChainInput input = out.isEmpty() ? null : out.get(0);
            if (dead == 1) {
                FeedRecord letter = letters.poll().getValue();
                var decoded = AvroSingleObject.DEAD_LETTER.decode(letter.value);
                assertThat(decoded.getReason()).isNotBlank();
                assertThat(decoded.getSourceOffset()).isEqualTo(at);
            }
            decoder.getOutput().clear();
            return input;
        } catch (Exception e) {
            throw new AssertionError("the decoder operator threw", e);
        }
    }

    static byte[] record(byte[] data) {
        if (data.length == 0) {
            return data;
        }
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        return switch ((data[0] & 0xFF) % 5) {
            case 0 -> rest;
            case 1 -> flip(VALID, rest, 0);
            case 2 -> flip(VALID, rest, 10);
            case 3 -> corpus(rest);
            default -> edited(rest);
        };
    }

    private static byte[] flip(byte[] valid, byte[] edits, int from) {
        byte[] out = valid.clone();
        for (int i = 0; i + 2 < edits.length; i += 3) {
            int pos = from + Math.floorMod(((edits[i] & 0xFF) << 8) | (edits[i + 1] & 0xFF), out.length - from);
            out[pos] ^= edits[i + 2];
        }
        return out;
    }

    private static byte[] corpus(byte[] rest) {
        HostileKind kind = HostileKind.values()[rest.length == 0 ? 0 : (rest[0] & 0xFF) % HostileKind.values().length];
        if (HEAVY.contains(kind)) {
            kind = HostileKind.MALFORMED_FIELDS;
        }
        byte[] value = new HostileCorpus(RecordLimits.DEFAULT, CONFIG.maxBlockTransactions())
                .make(kind, TEMPLATE, Arrays.hashCode(rest)).value();
        return value == null ? new byte[0] : value;
    }

    /** One bytes or long field of a copy of the template replaced; the tx root recomputed or not. */
    private static byte[] edited(byte[] rest) {
        Block block = SpecificData.get().deepCopy(Block.getClassSchema(), TEMPLATE);
        List<Object[]> slots = new ArrayList<>();
        collect(block, slots);
        for (int i = 0; i + 2 < rest.length; i += 3) {
            Object[] slot = slots.get((rest[i] & 0xFF) % slots.size());
            SpecificRecord owner = (SpecificRecord) slot[0];
            int field = (Integer) slot[1];
            if (slot[2] == Schema.Type.BYTES) {
                ByteBuffer old = (ByteBuffer) owner.get(field);
                int length = (rest[i + 1] & 0x80) != 0 ? old.remaining() + rest[i + 1] % 3 : (rest[i + 1] & 0x7F);
                byte[] b = new byte[Math.max(0, length)];
                Arrays.fill(b, rest[i + 2]);
                owner.put(field, ByteBuffer.wrap(b));
            } else {
                owner.put(field, LONGS[(rest[i + 1] & 0xFF) % LONGS.length] + rest[i + 2] % 2);
            }
        }
        if (rest.length % 2 == 0) {
            List<byte[]> hashes = new ArrayList<>();
            for (Transaction tx : block.getTransactions()) {
                hashes.add(TxCodec.txHash(tx));
            }
            block.getHeader().setTxRoot(ByteBuffer.wrap(BlockHashes.txRoot(hashes)));
        }
        return AvroSingleObject.CHAIN_EVENT.encode(new ChainEvent(new BlockConnected(block)));
    }

    /** Every bytes and long field reachable from {@code record}: {owner, field index, type}. */
    private static void collect(Object value, List<Object[]> slots) {
        if (value instanceof SpecificRecord r) {
            for (Schema.Field f : r.getSchema().getFields()) {
                Object v = r.get(f.pos());
                Schema.Type t = f.schema().getType();
                if (t == Schema.Type.BYTES) {
                    slots.add(new Object[] {r, f.pos(), Schema.Type.BYTES});
                } else if (t == Schema.Type.LONG) {
                    slots.add(new Object[] {r, f.pos(), Schema.Type.LONG});
                } else {
                    collect(v, slots);
                }
            }
        } else if (value instanceof List<?> list) {
            for (Object o : list) {
                collect(o, slots);
            }
        }
    }
}
