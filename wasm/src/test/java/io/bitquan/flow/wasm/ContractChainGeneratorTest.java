package io.bitquan.flow.wasm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.crypto.SignatureScheme;
import io.bitquan.flow.wasm.workload.ContractChainGenerator;
import io.bitquan.flow.wasm.workload.ContractGeneratorOptions;
import io.bitquan.flow.wasm.workload.ContractWorkload;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ContractChainGeneratorTest {

    private static byte[] encode(List<ChainEvent> events) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(out, null);
        SpecificDatumWriter<ChainEvent> writer = new SpecificDatumWriter<>(ChainEvent.class);
        for (ChainEvent e : events) {
            writer.write(e, enc);
        }
        enc.flush();
        return out.toByteArray();
    }

    @ParameterizedTest
    @EnumSource(ContractWorkload.class)
    void sameOptionsGiveTheByteIdenticalChain(ContractWorkload workload) throws IOException {
        ContractGeneratorOptions options = ContractGeneratorOptions.of(3, 3, 40, workload, 30);
        byte[] first = encode(new ContractChainGenerator(options).generateAll());
        byte[] second = encode(new ContractChainGenerator(options).generateAll());
        assertThat(second).isEqualTo(first);
        byte[] otherSeed = encode(new ContractChainGenerator(ContractGeneratorOptions.of(4, 3, 40, workload, 30)).generateAll());
        assertThat(otherSeed).isNotEqualTo(first);
    }

    @ParameterizedTest
    @EnumSource(ContractWorkload.class)
    void postQuantumSignaturesWork(ContractWorkload workload) {
        ContractGeneratorOptions options = ContractGeneratorOptions.of(3, 2, 6, workload, 4).withScheme(SignatureScheme.ML_DSA_65);
        ContractChainGenerator gen = new ContractChainGenerator(options);
        assertThat(ContractDifferentialTest.run(gen.generateAll(), gen, "sequential", 1, io.bitquan.flow.wasm.runtime.ExecutionMode.COMPILED))
                .allSatisfy(line -> assertThat(line).doesNotContain("rejected").doesNotContain("revert"));
    }
}
