package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.crypto.Blake3;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The prediction's reused hash state gives BLAKE3-256 exactly, whatever it hashed before. */
class KeyHasherTest {

    @Test
    void everyLengthHashesAsBlake3AfterAnyOtherInput() {
        Random random = new Random(12);
        KeyHasher hasher = new KeyHasher();
        // lengths around the block (64) and chunk (1024) edges, in an order that makes a long
        // input precede a short one: leftover state would show
        int[] lengths = {32, 0, 1, 63, 64, 65, 1024, 31, 1025, 1952, 32, 127, 128, 129, 1023, 3, 32};
        for (int round = 0; round < 3; round++) {
            for (int length : lengths) {
                byte[] input = new byte[length];
                random.nextBytes(input);
                assertThat(hasher.hash(input)).as("length %d, round %d", length, round).isEqualTo(Blake3.hash(input));
            }
        }
        for (int length = 0; length <= 1100; length++) {
            byte[] input = new byte[length];
            random.nextBytes(input);
            assertThat(hasher.hash(input)).as("length %d", length).isEqualTo(Blake3.hash(input));
        }
    }

    @Test
    void eachHashIsANewArray() {
        KeyHasher hasher = new KeyHasher();
        byte[] first = hasher.hash(new byte[32]);
        byte[] copy = first.clone();
        hasher.hash(new byte[] {1, 2, 3});
        assertThat(first).as("a later hash does not overwrite an earlier result").isEqualTo(copy);
    }
}
