/**
 * Dependency analysis from transaction bodies alone, before any execution:
 * {@link io.bitquan.flow.execution.analysis.DependencyAnalyzer} predicts each transaction's
 * access set ({@link io.bitquan.flow.execution.analysis.AccessSet}) and derives the block's
 * predicted predecessors and critical path
 * ({@link io.bitquan.flow.execution.analysis.BlockDependencies}). Predictions are scheduling hints
 * (Block-STM's contention check and optional waits): a wrong one costs time, never correctness.
 */
package io.bitquan.flow.execution.analysis;
