package io.bitquan.flow.jobs.job.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import org.junit.jupiter.api.Test;

/** Thread grouping, and that a thread's CPU shows up in its group (amounts compared with the JVM's own count, not with a clock). */
class ThreadCpuTest {

    @Test
    void groupsFoldInstanceNumbersAndFlinkSubtaskSuffixes() {
        assertThat(ThreadCpu.group("block-executor (1/2)#0")).isEqualTo("block-executor");
        assertThat(ThreadCpu.group("data-plane-kafka-request-handler-3")).isEqualTo("data-plane-kafka-request-handler");
        assertThat(ThreadCpu.group("C2 CompilerThre")).isEqualTo("C2 CompilerThre");
        assertThat(ThreadCpu.group("pool-3-thread-1")).isEqualTo("pool-thread");
        assertThat(ThreadCpu.group("42")).isEqualTo("42");
    }

    @Test
    void aSpinningThreadsCpuIsCountedInItsGroup() throws Exception {
        assumeTrue(ThreadCpu.available(), "needs Linux /proc schedstat");
        ThreadCpu cpu = new ThreadCpu();
        cpu.sample();
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Thread spinner = new Thread(() -> {
            long sink = 0;
            // spin until this thread has used 200 ms of CPU by the JVM's own count
            while (mx.getCurrentThreadCpuTime() < 200_000_000L) {
                sink += System.identityHashCode(this);
            }
            cpu.sample(); // before it ends: /proc forgets ended threads
            if (sink == 42) {
                System.out.print("");
            }
        }, "spinner-7");
        spinner.start();
        spinner.join();
        assertThat(cpu.byGroup()).containsKey("spinner");
        assertThat(cpu.byGroup().get("spinner")[0]).isGreaterThanOrEqualTo(0.15);
        assertThat(cpu.table(0.0)).anyMatch(row -> row.startsWith("| spinner |")).last().asString().startsWith("| total |");
    }
}
