package io.bitquan.flow.execution.dag;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.state.StateKey;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The graph's predecessor lists (round 19): each access's predecessor transactions, recorded by its
 * key's linker in block order, are exactly what the rule says, computed here independently from the
 * predictions by a plain walk (a write waits for the key's last writer and every read since, a read
 * for the last writer), with one linker or several; the critical path is the longest chain through
 * them. Until round 20 this was checked against the release layout's successor stacks, since deleted.
 */
class CursorLayoutTest {

    @Test
    void thePredecessorListsFollowTheRule() {
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(181, 1, 2500, Workload.TRANSFER).withAccounts(4),
                GeneratorOptions.of(182, 1, 1500, Workload.UTXO_CHAINED),
                GeneratorOptions.of(183, 1, 2500, Workload.MIXED).withAccounts(60),
                GeneratorOptions.of(184, 1, 2500, Workload.UTXO)}) {
            List<PreparedTx> txs = BlockFixtures.firstBlock(options).txs();
            AccessDag.Prediction[] predicted = new AccessDag.Prediction[txs.size()];
            assertThat(AccessDag.predict(txs, predicted, 0, txs.size())).isTrue();
            List<List<Integer>> expected = byTheRule(predicted);
            int critical = longestChain(expected);
            for (int linkers : new int[] {1, 2, 3, 8}) {
                String what = options.workload().id() + " with " + linkers + " linkers";
                AccessDag dag = AccessDag.build(txs, linkers);
                for (int t = 0; t < txs.size(); t++) {
                    assertThat(predecessors(dag, t)).as("%s tx %d", what, t).isEqualTo(expected.get(t));
                }
                assertThat(dag.criticalPath()).as(what).isEqualTo(critical);
            }
        }
    }

    /** t0 writes K, t1 and t2 read it, t3 writes it, t4 reads it (as {@link AccessDagTest}'s). */
    @Test
    void aWriterFollowsTheReadsSinceTheLastWrite() {
        StateKey k = StateKey.account(new byte[32]);
        AccessDag dag = AccessDag.of(new AccessDag.Prediction[] {
            AccessDagTest.write(k), AccessDagTest.read(k), AccessDagTest.read(k), AccessDagTest.write(k), AccessDagTest.read(k)},
                Shards.one());
        dag.link(5);
        assertThat(predecessors(dag, 0)).isEmpty();
        assertThat(predecessors(dag, 1)).containsExactly(0);
        assertThat(predecessors(dag, 2)).containsExactly(0);
        assertThat(predecessors(dag, 3)).containsExactly(0, 1, 2);
        assertThat(predecessors(dag, 4)).containsExactly(3);
        assertThat(dag.criticalPath()).isEqualTo(4);
    }

    /** t's predecessors in the cursor layout, sorted. */
    static List<Integer> predecessors(AccessDag dag, int t) {
        List<Integer> out = new ArrayList<>();
        for (int a = dag.accessStart[t]; a < dag.accessStart[t + 1]; a++) {
            for (int j = dag.predFrom[a]; j < dag.predTo[a]; j++) {
                out.add(dag.nodeTx[j]);
            }
        }
        Collections.sort(out);
        return out;
    }

    /** Per transaction, sorted: its predecessors by the rule, walking the predictions in block order with a map per key. */
    private static List<List<Integer>> byTheRule(AccessDag.Prediction[] predicted) {
        java.util.Map<StateKey, Integer> lastWriter = new java.util.HashMap<>();
        java.util.Map<StateKey, List<Integer>> readsSince = new java.util.HashMap<>();
        List<List<Integer>> out = new ArrayList<>();
        for (int t = 0; t < predicted.length; t++) {
            List<Integer> mine = new ArrayList<>();
            StateKey[] keys = predicted[t].keys();
            for (int i = 0; i < keys.length; i++) {
                Integer writer = lastWriter.get(keys[i]);
                if (writer != null) {
                    mine.add(writer);
                }
                if (predicted[t].writes()[i]) {
                    mine.addAll(readsSince.getOrDefault(keys[i], List.of()));
                    readsSince.remove(keys[i]);
                    lastWriter.put(keys[i], t);
                } else {
                    readsSince.computeIfAbsent(keys[i], k -> new ArrayList<>()).add(t);
                }
            }
            Collections.sort(mine);
            out.add(mine);
        }
        return out;
    }

    /** The longest chain through the lists (1 for a transaction with no predecessor). */
    private static int longestChain(List<List<Integer>> predecessors) {
        int[] depth = new int[predecessors.size()];
        int critical = 0;
        for (int t = 0; t < depth.length; t++) {
            depth[t] = 1;
            for (int p : predecessors.get(t)) {
                depth[t] = Math.max(depth[t], depth[p] + 1);
            }
            critical = Math.max(critical, depth[t]);
        }
        return critical;
    }
}
