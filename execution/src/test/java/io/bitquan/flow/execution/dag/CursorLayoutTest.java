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
 * The cursor layout (round 19): each access's predecessor transactions, recorded by its key's
 * linker in block order. They are the release layout's edges read the other way (t is on s's
 * successor stacks exactly as often as s is among t's predecessors), with one linker or several,
 * and give the same critical path; the release layout's own arrays are absent, and the other way
 * round.
 */
class CursorLayoutTest {

    @Test
    void thePredecessorListsHoldTheReleaseLayoutsEdges() {
        for (GeneratorOptions options : new GeneratorOptions[] {
                GeneratorOptions.of(181, 1, 2500, Workload.TRANSFER).withAccounts(4),
                GeneratorOptions.of(182, 1, 1500, Workload.UTXO_CHAINED),
                GeneratorOptions.of(183, 1, 2500, Workload.MIXED).withAccounts(60),
                GeneratorOptions.of(184, 1, 2500, Workload.UTXO)}) {
            List<PreparedTx> txs = BlockFixtures.firstBlock(options).txs();
            AccessDag release = AccessDag.build(txs, 1, false);
            List<List<Integer>> expected = predecessorsFromSuccessors(release);
            for (int linkers : new int[] {1, 2, 3, 8}) {
                String what = options.workload().id() + " with " + linkers + " linkers";
                AccessDag cursor = AccessDag.build(txs, linkers, true);
                assertThat(cursor.cursor).isTrue();
                assertThat(cursor.successors).as(what).isNull();
                assertThat(cursor.pending).as(what).isNull();
                for (int t = 0; t < txs.size(); t++) {
                    assertThat(predecessors(cursor, t)).as("%s tx %d", what, t).isEqualTo(expected.get(t));
                }
                assertThat(cursor.criticalPath()).as(what).isEqualTo(release.criticalPath());
            }
            assertThat(release.predFrom).isNull();
        }
    }

    /** t0 writes K, t1 and t2 read it, t3 writes it, t4 reads it (as {@link AccessDagTest}'s). */
    @Test
    void aWriterFollowsTheReadsSinceTheLastWrite() {
        StateKey k = StateKey.account(new byte[32]);
        AccessDag dag = AccessDag.of(new AccessDag.Prediction[] {
            AccessDagTest.write(k), AccessDagTest.read(k), AccessDagTest.read(k), AccessDagTest.write(k), AccessDagTest.read(k)},
                Shards.one(), true);
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

    /** Per transaction, sorted: the transactions whose successor stacks (in a graph nothing ran on) hold it. */
    private static List<List<Integer>> predecessorsFromSuccessors(AccessDag dag) {
        List<List<Integer>> out = new ArrayList<>();
        for (int t = 0; t < dag.txCount; t++) {
            out.add(new ArrayList<>());
        }
        for (int s = 0; s < dag.txCount; s++) {
            for (int a = dag.accessStart[s]; a < dag.accessStart[s + 1]; a++) {
                for (int node = dag.successors.get(a); node > AccessDag.EMPTY; node = dag.nodeNext[node]) {
                    out.get(dag.nodeTx[node]).add(s);
                }
            }
        }
        out.forEach(Collections::sort);
        return out;
    }
}
