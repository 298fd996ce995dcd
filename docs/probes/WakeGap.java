// Probe (not a test), issue 11 round 16: does the woken pool thread's placement depend on how long the pool (and the
// other vCPU) has been idle before the hand-off? Rep by rep, gaps alternated: the calling thread spins alone for G ms
// (its vCPU busy, the pool thread parked), then hands a 2-worker job to the pool in which each worker spins until 3 ms
// after the call (WorkerPool.run, the engine's hand-off). Per rep: other runnable tasks just before the call
// (/proc/stat procs_running - 1), worker 1's entry after the call, whether it entered on the caller's vCPU
// (/proc/thread-self/stat field 39), and "both on CPU" = (w0 + w1 thread CPU) / the job's wall (1.0 = one vCPU's worth).
// With "sleep" the caller sleeps G ms instead (both vCPUs idle before the call).
// Run: J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/probe && javac -cp $J -d /tmp/probe docs/probes/WakeGap.java docs/probes/HandOff.java docs/probes/KeyCosts.java
//   java -cp /tmp/probe:$J io.bitquan.flow.execution.dag.WakeGap 0.2,2,5,10,20,40 30 [sleep]
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.blockstm.WorkerPool;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

public class WakeGap {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    static int cpu() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            return Integer.parseInt(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[39 - 3]);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void main(String[] args) throws Exception {
        double[] gaps = Arrays.stream(args[0].split(",")).mapToDouble(Double::parseDouble).toArray();
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        boolean sleep = args.length > 2 && args[2].equals("sleep");
        List<List<double[]>> rows = new ArrayList<>();
        for (double g : gaps) {
            rows.add(new ArrayList<>());
        }
        try (WorkerPool pool = new WorkerPool(2)) {
            for (int r = -3; r < reps; r++) {
                for (int gi = 0; gi < gaps.length; gi++) {
                    long gapNs = (long) (gaps[gi] * 1e6);
                    long g0 = System.nanoTime();
                    if (sleep) {
                        Thread.sleep(gapNs / 1_000_000, (int) (gapNs % 1_000_000));
                    } else {
                        while (System.nanoTime() - g0 < gapNs) {
                            Thread.onSpinWait();
                        }
                    }
                    int others = HandOff.running() - 1;
                    int callerCpu = cpu();
                    long[] entry = new long[2];
                    long[] cpuNs = new long[2];
                    int[] where = new int[2];
                    long origin = System.nanoTime();
                    pool.run(2, (worker, stop) -> {
                        entry[worker] = System.nanoTime() - origin;
                        where[worker] = cpu();
                        long c = MX.getCurrentThreadCpuTime();
                        while (System.nanoTime() - origin < 3_000_000) {
                            Thread.onSpinWait();
                        }
                        cpuNs[worker] = MX.getCurrentThreadCpuTime() - c;
                    });
                    long wall = System.nanoTime() - origin;
                    if (r >= 0) {
                        rows.get(gi).add(new double[] {others, entry[1] / 1e3, where[1] == callerCpu ? 1 : 0,
                            (cpuNs[0] + cpuNs[1]) / (double) wall});
                    }
                }
            }
        }
        System.out.println("gap ms | reps | reps nothing else runnable | of those: w1 on caller's vCPU, median w1 entry us, median both on CPU"
                + " | others runnable: w1 on caller's vCPU, median both on CPU" + (sleep ? " (caller slept the gap)" : " (caller spun the gap)"));
        for (int gi = 0; gi < gaps.length; gi++) {
            List<double[]> quiet = rows.get(gi).stream().filter(x -> x[0] == 0).toList();
            List<double[]> busy = rows.get(gi).stream().filter(x -> x[0] > 0).toList();
            System.out.printf("%6.1f | %d | %d | %d, %.0f, %.2f | %d of %d, %.2f%n", gaps[gi], rows.get(gi).size(), quiet.size(),
                    quiet.stream().filter(x -> x[2] == 1).count(), med(quiet, 1), med(quiet, 3),
                    busy.stream().filter(x -> x[2] == 1).count(), busy.size(), med(busy, 3));
        }
    }

    static double med(List<double[]> rows, int col) {
        if (rows.isEmpty()) {
            return Double.NaN;
        }
        double[] v = rows.stream().mapToDouble(x -> x[col]).sorted().toArray();
        return v[v.length / 2];
    }
}
