// Probe (not a test), issue 11 round 16: how much CPU does this JVM get with 1, 2 or 4 busy threads while other sessions
// load the machine? This VM's kernel has CONFIG_SCHED_AUTOGROUP=y and /proc/sys/kernel/sched_autogroup_enabled=1: CPU is
// shared fairly between sessions (each shell's session is one group, /proc/self/autogroup), not between threads. If so,
// the JVM's total (summed thread CPU / wall) barely grows with its thread count while another session is busy, and a
// 2-worker block gets what its session gets, about what the sequential engine's one thread got.
// Rounds of 1, 2, 4 spinning threads alternated, each for the given ms; per round the JVM's summed thread CPU / wall.
// Run (needs nothing of the project): mkdir -p /tmp/probe && javac -d /tmp/probe docs/probes/GroupShare.java
//   java -cp /tmp/probe io.bitquan.flow.execution.dag.GroupShare 1,2,4,1,2,4,1,2,4,1,2,4,1,2,4 2000
package io.bitquan.flow.execution.dag;

import java.util.Arrays;

public class GroupShare {
    public static void main(String[] args) throws Exception {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        System.out.println("autogroup " + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/autogroup")).trim());
        long ms = Long.parseLong(args[1]);
        for (String spec : args[0].split(",")) {
            int n = Integer.parseInt(spec);
            long[] cpu = new long[n];
            Thread[] threads = new Thread[n];
            long start = System.nanoTime();
            long end = start + ms * 1_000_000L;
            for (int i = 0; i < n; i++) {
                int k = i;
                threads[i] = new Thread(() -> {
                    long c = mx.getCurrentThreadCpuTime();
                    while (System.nanoTime() < end) {
                        Thread.onSpinWait();
                    }
                    cpu[k] = mx.getCurrentThreadCpuTime() - c;
                });
                threads[i].start();
            }
            for (Thread t : threads) {
                t.join();
            }
            double wall = (System.nanoTime() - start) / 1e9;
            System.out.printf("%d threads: %.2f vCPUs for the JVM, per thread %s%n", n, Arrays.stream(cpu).sum() / 1e9 / wall,
                    Arrays.toString(Arrays.stream(cpu).mapToObj(c -> String.format("%.2f", c / 1e9 / wall)).toArray()));
        }
    }
}
