package io.bitquan.flow.execution.blockstm;

import java.util.Arrays;
import java.util.Random;

/**
 * Round 15 (branch payoff15): the payoff check over the bench's 19 blocks of one workload (the
 * pre-measurement check, 3 warm-up, 15 timed), with made-up costs shaped like round 14's idle
 * listed-token log: in order ~24 ms (2 % noise, one block in ten 12 % dearer), parallel warm at
 * 24 / speedup (3 % noise, a fraction {@code tailP} of runs {@code tailX} dearer: a descheduled
 * worker), and, when {@code cold}, parallel JIT-cold by time: 67.9 ms worth at block 1 and
 * 33.5 ms worth until block {@code warmAt} (1-based block index from which it is warm).
 * Prints, over 20,000 seeded trials, the mean ratio sequential / the median of the 15 timed
 * blocks (what the bench reports for block-stm), how often it is below 0.95, and the histogram
 * of how many timed blocks ran parallel. Not a test and not built: ParallelPayoff is
 * package-private, so compile it beside a copy of that class:
 * <pre>
 * mkdir -p /tmp/ps/src/io/bitquan/flow/execution/blockstm /tmp/ps/out
 * cp execution/src/main/java/io/bitquan/flow/execution/blockstm/ParallelPayoff.java docs/probes/PayoffSim.java \
 *    /tmp/ps/src/io/bitquan/flow/execution/blockstm/
 * javac -d /tmp/ps/out /tmp/ps/src/io/bitquan/flow/execution/blockstm/*.java
 * java -cp /tmp/ps/out io.bitquan.flow.execution.blockstm.PayoffSim 1.23 0.15 1.6 true 7
 * </pre>
 */
public final class PayoffSim {
    public static void main(String[] a) {
        double seq = 24.0;
        double speedup = Double.parseDouble(a[0]);
        double tailP = Double.parseDouble(a[1]);
        double tailX = Double.parseDouble(a[2]);
        boolean cold = Boolean.parseBoolean(a[3]);
        int warmAt = a.length > 4 ? Integer.parseInt(a[4]) : 7;
        int trials = 20_000;
        Random r = new Random(1);
        int[] hist = new int[16];
        double ratioSum = 0;
        int below = 0;
        for (int t = 0; t < trials; t++) {
            ParallelPayoff p = new ParallelPayoff();
            int parallelTimed = 0;
            double[] timed = new double[15];
            for (int b = 0; b < 19; b++) {
                boolean way = p.parallel(ParallelPayoff.Kind.SCHEDULED);
                double c;
                if (way) {
                    double coldFactor = !cold ? 1 : b == 0 ? 67.9 / 22.0 : b + 1 < warmAt ? 33.5 / 22.0 : 1;
                    c = seq / speedup * Math.max(1, coldFactor) * (1 + 0.03 * r.nextGaussian())
                            * (r.nextDouble() < tailP ? tailX : 1);
                } else {
                    c = seq * (1 + 0.02 * r.nextGaussian()) * (r.nextDouble() < 0.1 ? 1.12 : 1);
                }
                p.record(ParallelPayoff.Kind.SCHEDULED, way, (long) (c * 1e6), 10_000);
                if (b >= 4) {
                    timed[b - 4] = c;
                    parallelTimed += way ? 1 : 0;
                }
            }
            hist[parallelTimed]++;
            Arrays.sort(timed);
            double ratio = seq / timed[7];
            ratioSum += ratio;
            below += ratio < 0.95 ? 1 : 0;
        }
        System.out.printf("speedup %.2f tail %.2f x%.2f cold %s warmAt %d: mean ratio %.3f, below 0.95 %.3f, timed blocks parallel (0..15) %s%n",
                speedup, tailP, tailX, cold, warmAt, ratioSum / trials, (double) below / trials, Arrays.toString(hist));
    }
}
