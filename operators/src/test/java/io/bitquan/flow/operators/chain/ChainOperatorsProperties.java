package io.bitquan.flow.operators.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.chain.AssumeValid;
import io.bitquan.flow.execution.chain.BlockPreparer;
import io.bitquan.flow.execution.chain.ChainRunner;
import io.bitquan.flow.execution.engine.Engines;
import io.bitquan.flow.execution.generator.ChainGenerator;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.kafka.io.FeedRecord;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.topics.Topic;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.BlockResult;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.model.state.InMemoryStateStore;
import io.bitquan.flow.operators.Fixtures;
import io.bitquan.flow.operators.commit.BlockCommitter;
import io.bitquan.flow.operators.model.FeedBatch;
import io.bitquan.flow.operators.commit.CommitmentPartition;
import io.bitquan.flow.operators.execute.BlockExecutor;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.ChainInput;
import io.bitquan.flow.operators.model.CommitPart;
import io.bitquan.flow.operators.prepare.TxPreparer;
import io.bitquan.flow.operators.sequencer.BlockSequencer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

/**
 * The operators (sequencer, preparers, executor, commitment partitions, committer in harnesses)
 * against ChainRunner on what a node relays: generated chains with reorgs and invalid variants,
 * plus random malleated bodies, gaps (a child before its parent), repeats and non-tip
 * disconnects; units reach the executor and committer shuffled, and both are snapshotted and
 * restored at a random point. Results equal ChainRunner's one for one, the feed sequence has no
 * gap or repeat, and the final root is the clean chain's (none of this changes the canonical chain).
 * With and without witness stripping (the preparers' choice for large signatures), which changes nothing.
 */
class ChainOperatorsProperties {
    private static final int BUCKETS = 3;

    @Property(tries = 8)
    void theOperatorsFollowWhatANodeRelaysLikeChainRunner(@ForAll @LongRange(min = 0, max = 1_000_000) long seed,
                                                          @ForAll @IntRange(min = 0, max = 3) int invalidEvery,
                                                          @ForAll @IntRange(min = 1, max = 3) int reorgEvery,
                                                          @ForAll @IntRange(min = 1, max = 2) int reorgDepth,
                                                          @ForAll boolean stripWitnesses) throws Exception {
        GeneratorOptions clean = new GeneratorOptions(seed, 5, 6, Workload.MIXED, 12, 0, SignatureScheme.ED25519);
        ChainGenerator generator = new ChainGenerator(clean.withInvalidEvery(invalidEvery).withReorgs(reorgEvery, reorgDepth));
        Random random = new Random(seed);
        List<ChainEvent> events = mutate(generator.generateAll(), random);
        Fixtures chain = new Fixtures(generator.genesis(), events);

        List<FeedRecord> feeds = runOperators(chain, random, stripWitnesses);
        List<BlockResult> results = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        for (FeedRecord f : feeds) {
            switch (f.topic) {
                case BLOCK_RESULTS -> {
                    BlockResult r = AvroSingleObject.BLOCK_RESULT.decode(f.value);
                    results.add(r);
                    sequences.add(r.getSequence());
                }
                case STATE_DIFFS -> sequences.add(AvroSingleObject.STATE_DIFF.decode(f.value).getSequence());
                case RECEIPTS -> sequences.add(AvroSingleObject.RECEIPT.decode(f.value).getSequence());
                default -> { }
            }
        }
        assertThat(results).containsExactlyElementsOf(chain.reference);
        Collections.sort(sequences);
        assertThat(sequences).containsExactlyElementsOf(java.util.stream.LongStream.range(0, sequences.size()).boxed().toList());
        ChainGenerator plain = new ChainGenerator(clean);
        assertThat(Bytes.hex(Bytes.of(results.get(results.size() - 1).getStateRoot()))).isEqualTo(root(plain));
    }

    private static String root(ChainGenerator g) {
        ChainRunner runner = new ChainRunner(new ChainConfig(g.genesis()), new InMemoryStateStore(),
                Engines.create("sequential", 1, new ChainVm()), new BlockPreparer(null));
        for (ChainEvent e : g.generateAll()) {
            runner.process(e);
        }
        return Bytes.hex(runner.stateRoot());
    }

    /** What unreliable relays add: malleated bodies first, children before parents, repeats, stray disconnects. */
    private static List<ChainEvent> mutate(List<ChainEvent> events, Random random) {
        List<ChainEvent> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            ChainEvent e = events.get(i);
            Block block = e.getEvent() instanceof BlockConnected c ? c.getBlock() : null;
            int roll = random.nextInt(10);
            if (block != null && roll == 0 && block.getTransactions().size() > 1) {
                List<io.bitquan.flow.model.avro.Transaction> txs = new ArrayList<>(block.getTransactions());
                txs.remove(txs.size() - 1);
                out.add(connected(Block.newBuilder(block).setTransactions(txs).build()));
                out.add(e);
            } else if (block != null && roll == 1 && i + 1 < events.size()
                    && events.get(i + 1).getEvent() instanceof BlockConnected next
                    && java.util.Arrays.equals(Bytes.of(next.getBlock().getHeader().getParentHash()),
                            BlockHashes.headerId(block.getHeader()))) {
                out.add(events.get(i + 1));
                out.add(e);
                i++;
            } else if (roll == 2) {
                out.add(e);
                out.add(e);
            } else if (roll == 3) {
                byte[] stray = new byte[32];
                random.nextBytes(stray);
                out.add(e);
                out.add(ChainEvent.newBuilder().setEvent(BlockDisconnected.newBuilder().setChainId(ChainGenerator.CHAIN_ID)
                        .setHeight(1 + random.nextInt(5)).setBlockId(Bytes.wrap(stray)).build()).build());
            } else {
                out.add(e);
            }
        }
        return out;
    }

    private static ChainEvent connected(Block block) {
        return ChainEvent.newBuilder().setEvent(BlockConnected.newBuilder().setBlock(block).build()).build();
    }

    private static List<FeedRecord> runOperators(Fixtures chain, Random random, boolean stripWitnesses) throws Exception {
        var seq = new KeyedOneInputStreamOperatorTestHarness<String, ChainInput, BlockPart>(
                new KeyedProcessOperator<>(new BlockSequencer(chain.catalog, 3)), in -> in.chainId, Types.STRING);
        seq.open();
        for (int i = 0; i < chain.events.size(); i++) {
            seq.processElement(new StreamRecord<>(chain.input(i)));
        }
        List<BlockPart> parts = new ArrayList<>(seq.extractOutputValues());
        for (StreamRecord<BlockPart> chunk : seq.getSideOutput(BlockSequencer.CHUNKS)) {
            parts.add(TxPreparer.prepare(chunk.getValue(), chain.catalog.config(chain.chainId), AssumeValid.NONE, stripWitnesses));
        }
        seq.close();
        Collections.shuffle(parts, random);

        int cut = random.nextInt(parts.size() + 1);
        var first = executor(chain);
        first.open();
        for (BlockPart p : parts.subList(0, cut)) {
            first.processElement(new StreamRecord<>(p));
        }
        List<CommitPart> committerIn = committerInput(first);
        OperatorSubtaskState snapshot = first.snapshot(1, 1);
        first.close();
        var second = executor(chain);
        second.initializeState(snapshot);
        second.open();
        for (BlockPart p : parts.subList(cut, parts.size())) {
            second.processElement(new StreamRecord<>(p));
        }
        committerIn.addAll(committerInput(second));
        second.close();
        Collections.shuffle(committerIn, random);

        int cut2 = random.nextInt(committerIn.size() + 1);
        var c1 = committer(chain);
        c1.open();
        for (CommitPart p : committerIn.subList(0, cut2)) {
            c1.processElement(new StreamRecord<>(p));
        }
        List<FeedRecord> feeds = new ArrayList<>(FeedBatch.records(c1.extractOutputValues()));
        OperatorSubtaskState committerSnapshot = c1.snapshot(2, 2);
        c1.close();
        var c2 = committer(chain);
        c2.initializeState(committerSnapshot);
        c2.open();
        for (CommitPart p : committerIn.subList(cut2, committerIn.size())) {
            c2.processElement(new StreamRecord<>(p));
        }
        feeds.addAll(FeedBatch.records(c2.extractOutputValues()));
        c2.close();
        return feeds;
    }

    private static List<CommitPart> committerInput(KeyedOneInputStreamOperatorTestHarness<String, BlockPart, CommitPart> exec) {
        List<CommitPart> in = new ArrayList<>(exec.extractOutputValues());
        if (exec.getSideOutput(BlockExecutor.KEY_BATCHES) != null) {
            for (StreamRecord<CommitPart> keys : exec.getSideOutput(BlockExecutor.KEY_BATCHES)) {
                in.add(CommitmentPartition.delta(keys.getValue()));
            }
        }
        return in;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, BlockPart, CommitPart> executor(Fixtures chain) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new BlockExecutor(chain.catalog, "block-stm", 2, ChainVm::new, BUCKETS, 100)), (BlockPart p) -> p.chainId, Types.STRING);
        h.setup();
        return h;
    }

    private static KeyedOneInputStreamOperatorTestHarness<String, CommitPart, FeedBatch> committer(Fixtures chain) throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(new BlockCommitter(chain.catalog, BUCKETS)),
                (CommitPart p) -> p.chainId, Types.STRING);
        h.setup();
        return h;
    }
}
