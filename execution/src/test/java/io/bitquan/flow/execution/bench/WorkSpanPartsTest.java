package io.bitquan.flow.execution.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.bitquan.flow.execution.blockstm.BlockFixtures;
import io.bitquan.flow.execution.generator.GeneratorOptions;
import io.bitquan.flow.execution.generator.Workload;
import io.bitquan.flow.execution.vm.ChainVm;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model's measured parts (round 18) on a real block's graph with made-up costs and parts, so
 * every figure is arithmetic: serial parts counted once, spread parts divided by the workers, the
 * 2-worker fit reproduced exactly beside them, and an 8-worker figure that moves by exactly what
 * a smaller link span at 8 workers takes off.
 */
class WorkSpanPartsTest {
    private static final List<WorkSpanModel.Access> SPENDS = graph();
    private static final int N = SPENDS.size();
    private static final double[] COSTS = uniform(N);
    private static final double WORK = N; // 1 us per transaction

    private static List<WorkSpanModel.Access> graph() {
        BlockFixtures b = BlockFixtures.firstBlock(GeneratorOptions.of(3, 1, 400, Workload.UTXO));
        return WorkSpanModel.record(b.context(), b.txs(), b.base(), new ChainVm());
    }

    private static double[] uniform(int n) {
        double[] costs = new double[n];
        Arrays.fill(costs, 1.0);
        return costs;
    }

    /**
     * A prediction pass of {@code spread} and an allocation of {@code serial} (shares of the work)
     * at every worker count, except {@code overrides}: nothing runs beside them, so their
     * simulation is their sum plus the bare schedule, in series or not.
     */
    private static WorkSpanModel.Parts parts(double spread, double serial, Map<Integer, WorkSpanModel.Charge> overrides) {
        Map<Integer, WorkSpanModel.Charge> byWorkers = new HashMap<>();
        for (int p : WorkSpanModel.WORKERS) {
            byWorkers.put(p, overrides.getOrDefault(p, charge(spread, serial)));
        }
        return new WorkSpanModel.Parts(byWorkers);
    }

    private static WorkSpanModel.Charge charge(double predict, double alloc) {
        return new WorkSpanModel.Charge(predict, alloc, 0, 0, 0, 1);
    }

    private static double bare(int workers) {
        return WorkSpanModel.schedule(SPENDS, COSTS, 0, workers);
    }

    @Test
    void serialPartsAreChargedOnceAndSpreadPartsAreDividedByTheWorkers() {
        WorkSpanModel.Parts parts = parts(0.2, 0.05, Map.of());
        WorkSpanModel.Result r = WorkSpanModel.model(SPENDS, COSTS, new WorkSpanModel.Calibration(0, Double.NaN, Double.NaN), parts);
        for (int p : WorkSpanModel.WORKERS) {
            assertThat(r.simulated().get(p)).as("%d workers", p).isCloseTo(WORK / (WORK * (0.2 / p + 0.05) + bare(p)), within(1e-9));
            assertThat(r.inSeries().get(p)).isCloseTo(r.simulated().get(p), within(1e-9));
        }
        // however many workers, the serial 5 % stays: below 1 / 0.05 = 20x
        assertThat(r.simulated().get(32)).isLessThan(20);
        // nothing fitted: the fit-only columns are the bare schedule
        assertThat(r.fitOnly().get(8)).isCloseTo(WORK / bare(8), within(1e-9));
    }

    @Test
    void theTwoWorkerFitIsReproducedAndASmallerLinkSpanAtEightMovesEightByItsShare() {
        WorkSpanModel.Calibration measured = new WorkSpanModel.Calibration(0, 1.3, 2.0);
        // A: the serial link (10 % of the block) charged at every worker count; B: the same at 2
        // workers, and at 8 a link span of 3 % (four linkers)
        WorkSpanModel.Result a = WorkSpanModel.model(SPENDS, COSTS, measured, parts(0.1, 0.1, Map.of()));
        WorkSpanModel.Result b = WorkSpanModel.model(SPENDS, COSTS, measured,
                parts(0.1, 0.1, Map.of(8, charge(0.1, 0.03))));
        assertThat(a.simulated().get(2)).isCloseTo(1.3, within(1e-6));
        assertThat(b.simulated().get(2)).isCloseTo(1.3, within(1e-6));
        // the fit reads only the 2-worker parts: the same overhead for both
        assertThat(b.overheadShare()).isEqualTo(a.overheadShare());
        assertThat(a.overheadShare()).isPositive();
        // e x work / sim = time: B's 8-worker time is A's less 7 % of the work
        double e = a.efficiency();
        assertThat(e / b.simulated().get(8)).isCloseTo(e / a.simulated().get(8) - 0.07, within(1e-9));
        assertThat(b.simulated().get(8)).isGreaterThan(a.simulated().get(8));
        for (int p : new int[] {4, 16, 32}) {
            assertThat(b.simulated().get(p)).isEqualTo(a.simulated().get(p));
        }
        // the serial residual beside the parts: 2 workers reproduced, and charged at every count
        assertThat(a.simulatedSerial().get(2)).isCloseTo(1.3, within(1e-6));
        assertThat(e / a.simulatedSerial().get(8)).isCloseTo(0.1 / 8 + 0.1 + a.serialShare() + bare(8) / WORK, within(1e-9));
        // nothing here runs beside the transactions: in series is the same model
        assertThat(a.inSeries().get(8)).isCloseTo(a.simulated().get(8), within(1e-6));
        // the single fitted number of rounds 13-17 does not see the parts at all
        WorkSpanModel.Result none = WorkSpanModel.model(SPENDS, COSTS, measured);
        assertThat(a.fitOnly()).isEqualTo(none.simulated());
        assertThat(b.fitOnlySerial()).isEqualTo(none.simulatedSerial());
    }

    @Test
    void partsThatOverlappedTheTwoWorkerRunAreCreditedBackAtMostTheirShare() {
        // 1.9x on two ideal cores: 210 us for a 400 us block whose bare 2-worker schedule is
        // about 200 us; 10 % of serial parts (40 us) cannot all have been in series with it
        WorkSpanModel.Calibration measured = new WorkSpanModel.Calibration(0, 1.9, 2.0);
        WorkSpanModel.Result r = WorkSpanModel.model(SPENDS, COSTS, measured, parts(0, 0.1, Map.of()));
        assertThat(r.simulated().get(2)).isCloseTo(1.9, within(1e-6));
        assertThat(r.overheadShare()).isNegative().isGreaterThanOrEqualTo(-2 * 0.1 * WORK / N);
        // the serial residual cannot be negative: its 2-worker figure is then the parts' own
        assertThat(r.serialShare()).isZero();
        assertThat(r.simulatedSerial().get(2)).isCloseTo(r.efficiency() * WORK / (0.1 * WORK + bare(2)), within(1e-9));
        // parts longer than the whole measured run: nothing left to fit, the credit stops at a
        // transaction's own cost and sim 2 reads below the measurement (the model says so)
        WorkSpanModel.Result over = WorkSpanModel.model(SPENDS, COSTS, measured, parts(0, 0.6, Map.of()));
        assertThat(over.overheadShare()).isCloseTo(-1.0, within(1e-12));
        assertThat(over.simulated().get(2)).isLessThan(1.9);
    }

    @Test
    void theLinkRunsBesideTheTransactionsItReleases() {
        WorkSpanModel.Calibration none = new WorkSpanModel.Calibration(0, Double.NaN, Double.NaN);
        // A serial link of twice the work (2 us per transaction) at two workers: the other worker
        // runs each 1-us transaction as it is released and is idle half the time; the last one is
        // released at 800 us and ends at 801 (the linker, free at 800, finds nothing left before it)
        WorkSpanModel.Parts slowLink = new WorkSpanModel.Parts(Map.of(2, new WorkSpanModel.Charge(0, 0, 2.0, 0, 0, 1)));
        WorkSpanModel.Result r = WorkSpanModel.model(SPENDS, COSTS, none, slowLink);
        assertThat(r.simulated().get(2)).isCloseTo(WORK / (2 * WORK + 1), within(1e-9));
        // in series: the whole link, then the bare schedule
        assertThat(r.inSeries().get(2)).isCloseTo(WORK / (2 * WORK + bare(2)), within(1e-9));
        // A link of a tenth of the work, four linkers at 8 workers: the four others run the block
        // behind it (a fifth of it linked per 2 % of the work they need) and the linkers join after
        // 10 %: at most the bare 8-worker schedule plus the link, at least the bare one
        WorkSpanModel.Parts fastLink = new WorkSpanModel.Parts(Map.of(8, new WorkSpanModel.Charge(0, 0, 0.1, 0, 0, 4)));
        double eight = WORK / WorkSpanModel.model(SPENDS, COSTS, none, fastLink).simulated().get(8);
        assertThat(eight).isGreaterThan(bare(8)).isLessThan(bare(8) + 0.1 * WORK);
        // what follows the run (the collect, spread) and precedes it (allocation) add up in full
        WorkSpanModel.Parts around = new WorkSpanModel.Parts(Map.of(8, new WorkSpanModel.Charge(0.4, 0.02, 0, 0, 0.16, 4)));
        assertThat(WORK / WorkSpanModel.model(SPENDS, COSTS, none, around).simulated().get(8))
                .isCloseTo(WORK * (0.4 / 8 + 0.02 + 0.16 / 8) + bare(8), within(1e-9));
        // the sort keeps its linker after the link: a sort longer than the run ends the block
        WorkSpanModel.Parts longSort = new WorkSpanModel.Parts(Map.of(8, new WorkSpanModel.Charge(0, 0, 0.05, 0.5, 0, 4)));
        assertThat(WORK / WorkSpanModel.model(SPENDS, COSTS, none, longSort).simulated().get(8)).isCloseTo(0.55 * WORK, within(1e-9));
    }

    @Test
    void measuredPartsAreChargedAtTheEnginesLinkerCount() {
        Map<Integer, ScheduleParts.Link> links = new HashMap<>();
        for (int l : ScheduleParts.LINKERS) {
            // count, alloc, span, sum and sort that name their linker count
            links.put(l, new ScheduleParts.Link(0.001 * l, 0.01 * l, 0.1 + l, 10.0 * l, 1.0 / l));
        }
        ScheduleParts.Result measured = new ScheduleParts.Result(100, 20, 5, links);
        WorkSpanModel.Parts big = WorkSpanModel.Parts.of(measured, 10_000);
        for (int p : WorkSpanModel.WORKERS) {
            int l = p < 4 ? 1 : p / 2;
            ScheduleParts.Link k = links.get(l);
            assertThat(big.byWorkers().get(p)).as("%d workers", p).isEqualTo(new WorkSpanModel.Charge(
                    (20 + k.countMs()) / 100, k.allocMs() / 100, k.spanMs() / 100, k.sortMs() / 100, 5.0 / 100, l));
        }
        // a block below 2,048 transactions links alone at any worker count
        WorkSpanModel.Parts small = WorkSpanModel.Parts.of(measured, 1000);
        ScheduleParts.Link one = links.get(1);
        assertThat(small.at(32).linkers()).isEqualTo(1);
        assertThat(small.inSeries(32)).isCloseTo((20 + one.countMs() + 5) / 100 / 32 + (one.allocMs() + one.spanMs() + one.sortMs()) / 100,
                within(1e-12));
        assertThat(WorkSpanModel.Parts.of(null, 10_000)).isEqualTo(WorkSpanModel.Parts.NONE);
    }

    @Test
    void linkersFollowTheEnginesDefault() {
        assertThat(ScheduleParts.linkersAt(2, 10_000)).isEqualTo(1);
        assertThat(ScheduleParts.linkersAt(3, 10_000)).isEqualTo(1);
        assertThat(ScheduleParts.linkersAt(4, 10_000)).isEqualTo(2);
        assertThat(ScheduleParts.linkersAt(8, 10_000)).isEqualTo(4);
        assertThat(ScheduleParts.linkersAt(32, 10_000)).isEqualTo(16);
        assertThat(ScheduleParts.linkersAt(128, 10_000)).isEqualTo(32);
        assertThat(ScheduleParts.linkersAt(8, 2047)).isEqualTo(1);
    }
}
