package io.bitquan.flow.operators.execute;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.StateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** A block's predicted keys from its chunks' runs: the same set, in the same order, as sorting the union. */
class SortedKeysTest {

    /** Keys from a small space (duplicates across and within runs), UTXO keys of few txIds (shared 33-byte prefixes). */
    @Provide
    Arbitrary<List<List<StateKey>>> runs() {
        Arbitrary<StateKey> key = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 5).flatMap(tx -> Arbitraries.integers().between(0, 7)
                        .map(i -> StateKey.utxo(id(tx), i))),
                Arbitraries.integers().between(0, 20).map(a -> StateKey.account(id(a))));
        Arbitrary<List<StateKey>> run = key.list().ofMaxSize(30)
                .flatMap(l -> Arbitraries.of(true, false).map(sorted -> {
                    List<StateKey> copy = new ArrayList<>(l);
                    if (sorted) {
                        copy.sort(null); // as decoded by PreparedCandidate.decode
                    }
                    return copy;
                }));
        return run.list().ofMaxSize(8);
    }

    private static byte[] id(int n) {
        byte[] b = new byte[32];
        b[31] = (byte) n;
        b[0] = (byte) (n * 37);
        return b;
    }

    @Property(tries = 300)
    void isTheSortedUnionOfItsRuns(@ForAll("runs") List<List<StateKey>> runs) {
        TreeSet<StateKey> expected = new TreeSet<>();
        runs.forEach(expected::addAll);
        SortedKeys keys = SortedKeys.union(runs);
        List<StateKey> given = new ArrayList<>();
        runs.forEach(given::addAll);
        assertThat(SortedKeys.union(runs, runs).inTxOrder()).containsExactlyElementsOf(given);
        assertThat(SortedKeys.union(runs, runs).sorted()).containsExactlyElementsOf(expected);
        assertThat(keys.inTxOrder()).isNull();
        assertThat(keys.sorted()).containsExactlyElementsOf(expected);
        assertThat(keys).hasSameSizeAs(expected).containsExactlyElementsOf(expected);
        for (List<StateKey> r : runs) {
            for (StateKey k : r) {
                assertThat(keys.contains(StateKey.decode(k.encoded()))).isTrue();
            }
        }
        assertThat(keys.contains(StateKey.account(id(99)))).isFalse();
    }
}
