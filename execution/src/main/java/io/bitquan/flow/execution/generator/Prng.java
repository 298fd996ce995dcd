package io.bitquan.flow.execution.generator;

/**
 * SplitMix64: a tiny PRNG whose output is fixed by its published algorithm, so a seed gives the
 * same chain on every JVM and machine (java.util.Random makes no such promise across versions
 * for every method). Not for cryptography: keys are derived with BLAKE3.
 */
final class Prng {
    private long state;

    Prng(long seed) {
        this.state = seed;
    }

    long nextLong() {
        long z = (state += 0x9E3779B97F4A7C15L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Uniform in [0, bound), bound > 0 (rejection sampling, no modulo bias). */
    int nextInt(int bound) {
        long limit = Long.MAX_VALUE - (Long.MAX_VALUE % bound);
        while (true) {
            long r = nextLong() >>> 1;
            if (r < limit) {
                return (int) (r % bound);
            }
        }
    }

    /** Uniform in [lo, hi]. */
    long between(long lo, long hi) {
        return lo + (long) nextInt((int) (hi - lo + 1));
    }

    /** Uniform in [0, 1) from 53 random bits: exact, so identical on every machine. */
    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }
}
