package io.bitquan.flow.execution.generator;

import java.util.Arrays;

/**
 * Zipf-distributed ranks over n items: P(rank k) proportional to 1 / (k+1)^s. The table uses
 * StrictMath so it is bit-identical everywhere; sampling is a binary search over the CDF.
 */
final class Zipf {
    private final double[] cdf;

    Zipf(int n, double exponent) {
        cdf = new double[n];
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += 1.0 / StrictMath.pow(k + 1, exponent);
            cdf[k] = sum;
        }
        for (int k = 0; k < n; k++) {
            cdf[k] /= sum;
        }
    }

    int sample(Prng prng) {
        double u = prng.nextDouble();
        int i = Arrays.binarySearch(cdf, u);
        int rank = i >= 0 ? i + 1 : -i - 1;
        return Math.min(rank, cdf.length - 1);
    }
}
