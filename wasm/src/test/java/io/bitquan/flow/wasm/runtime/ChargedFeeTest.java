package io.bitquan.flow.wasm.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.chain.ChainConfig;
import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ChargedFeeTest {
    @Test
    void knownAnswers() {
        assertThat(WasmContractRuntime.chargedFee(7, 1, 3)).isEqualTo(3);
        assertThat(WasmContractRuntime.chargedFee(10, 0, 3)).isZero();
        assertThat(WasmContractRuntime.chargedFee(ChainConfig.MAX_MONEY, 1_000_000_000L, 1_000_000_000L)).isEqualTo(ChainConfig.MAX_MONEY);
        assertThat(WasmContractRuntime.chargedFee(ChainConfig.MAX_MONEY, 999_999_999L, 1_000_000_000L)).isEqualTo(2_099_999_997_900_000L);
    }

    /** ceil(fee * used / limit), exactly, on both the fast and the 128-bit path. */
    @Property
    void matchesBigIntegerCeiling(@ForAll @LongRange(min = 0, max = ChainConfig.MAX_MONEY) long fee,
                                  @ForAll @LongRange(min = 1, max = 1_000_000_000L) long limit,
                                  @ForAll @LongRange(min = 0, max = 1_000_000_000L) long usedRaw) {
        long used = usedRaw % (limit + 1);
        BigInteger[] qr = BigInteger.valueOf(fee).multiply(BigInteger.valueOf(used)).divideAndRemainder(BigInteger.valueOf(limit));
        long expected = qr[0].longValueExact() + (qr[1].signum() == 0 ? 0 : 1);
        assertThat(WasmContractRuntime.chargedFee(fee, used, limit)).isEqualTo(expected).isBetween(0L, fee);
    }
}
