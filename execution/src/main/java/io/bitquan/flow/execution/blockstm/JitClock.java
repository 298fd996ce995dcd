package io.bitquan.flow.execution.blockstm;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * The JIT compilers' accumulated compile time (all compiler threads, milliseconds), read around a
 * block for the payoff log ({@code -Dbitquan.bench.payoff}) only: it showed (round 14,
 * docs/PERFORMANCE.md) that the JIT was still compiling hundreds of ms' worth while a kind's
 * opening ran, so a parallel run, which needs both vCPUs, met compiler threads an in-order run
 * could leave the other vCPU to. The counter moves when a compilation ends, so it places compile
 * time on blocks only roughly; the check itself does not read it.
 */
final class JitClock {
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();
    private static final boolean SUPPORTED = JIT != null && JIT.isCompilationTimeMonitoringSupported();

    private JitClock() {
    }

    /** Compile time so far in ms, or 0 where the VM does not report it (the check then sees no JIT). */
    static long millis() {
        return SUPPORTED ? JIT.getTotalCompilationTime() : 0;
    }
}
