package io.bitquan.flow.operators.sequencer;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.kafka.hostile.HostileCorpus;
import io.bitquan.flow.kafka.hostile.HostileKind;
import io.bitquan.flow.kafka.serde.AvroSingleObject;
import io.bitquan.flow.kafka.serde.RecordLimits;
import io.bitquan.flow.model.avro.Block;
import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.operators.Fixtures;
import io.bitquan.flow.operators.model.AvroBinary;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.ChainInput;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** Caps before cost: a block over the caps is not split into chunks; the valid one still is. */
class SequencerCapsHarnessTest {
    private static final Fixtures CHAIN = new Fixtures(1, 6, 0);

    @Test
    void aBlockOverTheCapsIsForwardedWithItsRuleAndNoChunks() throws Exception {
        Block valid = ((BlockConnected) CHAIN.events.get(0).getEvent()).getBlock();
        HostileCorpus corpus = new HostileCorpus(RecordLimits.DEFAULT, new ChainConfig(CHAIN.genesis).maxBlockTransactions());
        ChainEvent tooMany = AvroSingleObject.CHAIN_EVENT.decode(corpus.make(HostileKind.TOO_MANY_TXS, valid, 1).value());
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new BlockSequencer(CHAIN.catalog, 4)), (ChainInput in) -> in.chainId, Types.STRING);
        h.setup();
        h.open();
        h.processElement(new StreamRecord<>(new ChainInput(CHAIN.chainId, 0, 0, AvroBinary.encode(tooMany))));
        h.processElement(new StreamRecord<>(CHAIN.input(0)));
        var units = h.extractOutputValues();
        assertThat(units).hasSize(2);
        BlockPart capped = units.get(0);
        assertThat(capped.kind).isEqualTo(BlockPart.Kind.START);
        assertThat(capped.rule).isEqualTo(Rule.BLOCK_TOO_LARGE.id());
        assertThat(capped.reason).contains("transactions, limit");
        assertThat(capped.chunkCount).isZero();
        assertThat(capped.txCount).isEqualTo(new ChainConfig(CHAIN.genesis).maxBlockTransactions() + 1);
        BlockPart next = units.get(1);
        assertThat(next.rule).isNull();
        assertThat(next.chunkCount).isEqualTo(2);
        var chunks = h.getSideOutput(BlockSequencer.CHUNKS);
        assertThat(chunks).hasSize(2).allSatisfy(c -> assertThat(c.getValue().seq).isEqualTo(next.seq));
        h.close();
    }
}
