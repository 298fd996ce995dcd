/**
 * Random memory access latency of the CPU this runs on, for a few working-set sizes: a pointer
 * chase over a random cyclic permutation of 64-byte lines (one dependent load per line, so the
 * prefetchers cannot help). Run it pinned to each CPU to compare them:
 *
 *   taskset -c 0 java docs/probes/MemoryLatency.java
 *   taskset -c 1 java docs/probes/MemoryLatency.java
 *
 * On the project's 2-vCPU build machine the two CPUs differed by up to 10x at the same moment,
 * and which one was slow changed within minutes (docs/PERFORMANCE.md, "Round 5"): what two
 * threads can gain on a memory-bound block depends on the minute it is measured.
 */
public class MemoryLatency {
    static volatile int sink;

    public static void main(String[] args) {
        for (int mib : new int[] {1, 4, 16, 64}) {
            int lines = mib * 1024 * 1024 / 64;
            int[] next = new int[lines * 16];
            int[] order = new int[lines];
            for (int i = 0; i < lines; i++) {
                order[i] = i;
            }
            java.util.Random random = new java.util.Random(1);
            for (int i = lines - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < lines; i++) {
                next[order[i] * 16] = order[(i + 1) % lines] * 16;
            }
            long best = Long.MAX_VALUE;
            for (int rep = 0; rep < 5; rep++) {
                long t0 = System.nanoTime();
                int p = 0;
                for (int i = 0; i < lines; i++) {
                    p = next[p];
                }
                sink = p;
                best = Math.min(best, System.nanoTime() - t0);
            }
            System.out.printf("%3d MiB working set: %5.0f ns per dependent load%n", mib, (double) best / lines);
        }
    }
}
