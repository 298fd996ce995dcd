/**
 * The deterministic chain generator: the same
 * {@link io.bitquan.flow.execution.generator.GeneratorOptions} give a byte-identical genesis and
 * event stream on every machine ({@link io.bitquan.flow.execution.generator.Prng} is SplitMix64,
 * {@link io.bitquan.flow.execution.generator.Zipf} uses StrictMath, keys come from
 * {@link io.bitquan.flow.execution.generator.KeyPool}, no hash-map iteration, no clock).
 * {@link io.bitquan.flow.execution.generator.ChainGenerator} builds blocks of a
 * {@link io.bitquan.flow.execution.generator.Workload} from
 * {@link io.bitquan.flow.execution.generator.Draft}s signed in parallel, with invalid variants
 * ({@link io.bitquan.flow.execution.generator.InvalidVariants},
 * {@link io.bitquan.flow.execution.generator.InvalidKind}) and reorgs when asked;
 * {@link io.bitquan.flow.execution.generator.GeneratedChain} is what commands consume (the wasm
 * module's contract workloads produce one too).
 */
package io.bitquan.flow.execution.generator;
