/**
 * The engine benchmark behind {@code ./bitquan-flow bench engine}:
 * {@link io.bitquan.flow.execution.bench.EngineBench} measures every engine on the same generated
 * block, interleaved rep by rep, and reports medians and ratios to sequential;
 * {@link io.bitquan.flow.execution.bench.WorkSpanModel} adds, per block, the available
 * parallelism (work / span of the final dependency graph) and simulated speedups at 2..32
 * workers, fitted to the engine's measured 2-worker run and the machine's 2-thread ceiling
 * (round 13); {@code PerformanceReport} writes the engine
 * section of docs/PERFORMANCE.md and docs/speedup.svg.
 */
package io.bitquan.flow.execution.bench;
