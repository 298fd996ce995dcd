package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** TxSlots is an AtomicReferenceArray indexed by transaction: every index its own slot, for every size. */
class TxSlotsTest {
    @Test
    void everyTransactionHasItsOwnSlotAtEverySize() {
        for (int size : new int[] {0, 1, 15, 16, 17, 31, 33, 128, 1000, 10_007}) {
            TxSlots<Integer> slots = new TxSlots<>(size);
            for (int i = 0; i < size; i++) {
                assertThat(slots.get(i)).isNull();
                slots.set(i, i);
            }
            for (int i = 0; i < size; i++) {
                assertThat(slots.get(i)).isEqualTo(i);
            }
            if (size > 0) {
                Integer stored = slots.get(size - 1); // compareAndSet compares references
                assertThat(slots.compareAndSet(size - 1, Integer.valueOf(-2), -1)).isFalse();
                assertThat(slots.compareAndSet(size - 1, stored, -1)).isTrue();
                assertThat(slots.getAndSet(size - 1, 7)).isEqualTo(-1);
                assertThat(slots.get(size - 1)).isEqualTo(7);
            }
        }
    }
}
