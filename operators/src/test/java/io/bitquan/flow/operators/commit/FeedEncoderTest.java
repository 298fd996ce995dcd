package io.bitquan.flow.operators.commit;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.Receipts;
import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.model.avro.Receipt;
import io.bitquan.flow.model.avro.StateDiff;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.commit.MerkleRoot;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.operators.model.FeedBatch;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The committer's direct feed encoding gives byte for byte what encoding the records with Avro gives. */
class FeedEncoderTest {

    private static byte[] bytes(Random random, int max) {
        byte[] b = new byte[random.nextInt(max + 1)];
        random.nextBytes(b);
        return b;
    }

    private static AccountState value(Random random) {
        return random.nextInt(4) == 0 ? null : new AccountState(random.nextLong() >>> random.nextInt(64), random.nextInt(1000));
    }

    @Test
    void diffsAndReceiptsAreTheAvroRecordsBytes() {
        Random random = new Random(12);
        FeedEncoder encoder = new FeedEncoder();
        for (int round = 0; round < 200; round++) {
            String chain = "chain-" + round + (round % 7 == 0 ? "-é" : "");
            long height = random.nextInt(3) == 0 ? random.nextLong() >>> 1 : random.nextInt(100);
            byte[] blockHash = bytes(random, 40);
            boolean reverted = random.nextBoolean();
            long resultSequence = random.nextInt(2) == 0 ? random.nextInt(200) : random.nextLong() >>> 2;
            List<StateChange> changes = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                byte[] address = new byte[StateKey.ADDRESS_BYTES];
                random.nextBytes(address);
                changes.add(new StateChange(StateKey.account(address), value(random), value(random)));
            }
            List<Receipt> receipts = new ArrayList<>();
            for (int i = random.nextInt(4); i > 0; i--) {
                List<ByteBuffer> events = new ArrayList<>();
                for (int e = random.nextInt(3); e > 0; e--) {
                    events.add(ByteBuffer.wrap(bytes(random, 20)));
                }
                receipts.add(Receipt.newBuilder().setChainId(chain).setHeight(height).setTxIndex(random.nextInt(600))
                        .setTxId(ByteBuffer.wrap(bytes(random, 32))).setSuccess(random.nextBoolean()).setStatus("ok" + i)
                        .setFee(random.nextLong() >>> random.nextInt(64)).setGasUsed(random.nextInt(100_000)).setEvents(events)
                        .build());
            }

            FeedBatch.Builder batch = new FeedBatch.Builder(chain, 16);
            long next = encoder.diffs(batch, chain, height, blockHash, changes, reverted, resultSequence + 1, resultSequence);
            List<byte[]> bodies = new ArrayList<>();
            for (Receipt r : receipts) {
                bodies.add(FeedEncoder.receiptBody(Receipt.newBuilder(r).build()));
            }
            for (byte[] body : bodies) {
                encoder.receipt(batch, body, next++, resultSequence);
            }
            List<FeedRecord> got = batch.build().records();

            List<FeedRecord> expected = new ArrayList<>();
            long seq = resultSequence + 1;
            for (StateChange c : changes) {
                StateDiff diff = StateDiff.newBuilder().setChainId(chain).setHeight(height).setBlockHash(ByteBuffer.wrap(blockHash))
                        .setKey(ByteBuffer.wrap(c.key().encoded()))
                        .setOldValue(c.oldValue() == null ? null : ByteBuffer.wrap(c.oldValue().encode()))
                        .setNewValue(c.newValue() == null ? null : ByteBuffer.wrap(c.newValue().encode()))
                        .setReverted(reverted).setSequence(seq++).setResultSequence(resultSequence).build();
                expected.add(new FeedRecord(Topic.STATE_DIFFS, chain, AvroSingleObject.STATE_DIFF.encode(diff)));
            }
            for (Receipt r : receipts) {
                Receipt numbered = Receipt.newBuilder(r).setSequence(seq++).setResultSequence(resultSequence).build();
                expected.add(new FeedRecord(Topic.RECEIPTS, chain, AvroSingleObject.RECEIPT.encode(numbered)));
            }
            assertThat(next).isEqualTo(seq);
            assertThat(got).hasSameSizeAs(expected);
            for (int i = 0; i < got.size(); i++) {
                assertThat(got.get(i).topic).isEqualTo(expected.get(i).topic);
                assertThat(got.get(i).key).isEqualTo(expected.get(i).key);
                assertThat(got.get(i).value).as("round %d record %d", round, i).isEqualTo(expected.get(i).value);
            }
        }
    }

    /**
     * The executor ships receipts as receipts-root leaves: each leaf is the receipt's canonical
     * encoding (so their Merkle root is the receipts root), and the committer's feed record written
     * from it is the Avro record's bytes.
     */
    @Test
    void receiptsFromLeavesAreTheAvroRecordsBytesAndHashToTheReceiptsRoot() {
        Random random = new Random(34);
        FeedEncoder encoder = new FeedEncoder();
        String[] statuses = {TxOutcome.OK, "revert", "out-of-gas", "trap: é ü", ""};
        for (int round = 0; round < 100; round++) {
            String chain = "chain-" + round + (round % 5 == 0 ? "-ß" : "");
            long height = random.nextInt(3) == 0 ? random.nextLong() >>> 1 : random.nextInt(100);
            long resultSequence = random.nextInt(1000);
            List<Receipt> receipts = new ArrayList<>();
            List<byte[]> leaves = new ArrayList<>();
            int count = random.nextInt(7);
            for (int i = 0; i < count; i++) {
                List<byte[]> events = new ArrayList<>();
                for (int e = random.nextInt(4); e > 0; e--) {
                    events.add(bytes(random, 30));
                }
                byte[] txId = bytes(random, 32);
                TxOutcome o = new TxOutcome(random.nextLong() >>> random.nextInt(64), random.nextInt(100_000),
                        random.nextBoolean(), statuses[random.nextInt(statuses.length)], events);
                leaves.add(Receipts.leaf(i, txId, o));
                receipts.add(Receipt.newBuilder().setChainId(chain).setHeight(height).setTxIndex(i)
                        .setTxId(ByteBuffer.wrap(txId)).setSuccess(o.success()).setStatus(o.status()).setFee(o.fee())
                        .setGasUsed(o.gasUsed()).setEvents(events.stream().map(ByteBuffer::wrap).toList()).build());
            }
            assertThat(MerkleRoot.of(leaves)).isEqualTo(BlockHashes.receiptsRoot(receipts));
            FeedBatch.Builder batch = new FeedBatch.Builder(chain, 16);
            long seq = resultSequence + 1;
            for (byte[] leaf : leaves) {
                encoder.receiptFromLeaf(batch, chain, height, leaf, seq++, resultSequence);
            }
            List<FeedRecord> got = batch.build().records();
            assertThat(got).hasSameSizeAs(receipts);
            for (int i = 0; i < receipts.size(); i++) {
                assertThat(leaves.get(i)).isEqualTo(BlockHashes.encodeReceipt(receipts.get(i)));
                Receipt numbered = Receipt.newBuilder(receipts.get(i)).setSequence(resultSequence + 1 + i)
                        .setResultSequence(resultSequence).build();
                assertThat(got.get(i).topic).isEqualTo(Topic.RECEIPTS);
                assertThat(got.get(i).key).isEqualTo(chain);
                assertThat(got.get(i).value).as("round %d receipt %d", round, i).isEqualTo(AvroSingleObject.RECEIPT.encode(numbered));
            }
        }
    }

    @Test
    void aBatchKeepsItsRecordsInOrder() {
        FeedBatch batch = new FeedBatch.Builder("c", 1).add(Topic.BLOCK_RESULTS, new byte[] {1})
                .add(Topic.STATE_DIFFS, new byte[0]).add(Topic.RECEIPTS, new byte[] {2, 3}).build();
        assertThat(batch.records()).usingRecursiveFieldByFieldElementComparator().containsExactly(
                new FeedRecord(Topic.BLOCK_RESULTS, "c", new byte[] {1}), new FeedRecord(Topic.STATE_DIFFS, "c", new byte[0]),
                new FeedRecord(Topic.RECEIPTS, "c", new byte[] {2, 3}));
    }
}
