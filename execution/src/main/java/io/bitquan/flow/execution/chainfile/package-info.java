/**
 * Chain directories on disk ({@code generate} writes them, {@code execute} and {@code run} read
 * them): {@link io.bitquan.flow.execution.chainfile.ChainFiles} (genesis + events, Avro),
 * {@link io.bitquan.flow.execution.chainfile.ChainWriter} (atomic: {@code .partial} files, fsync,
 * rename), {@link io.bitquan.flow.execution.chainfile.ChainManifest} (sizes, counts, SHA-256s
 * per segment, byte-identical for the same chain) and
 * {@link io.bitquan.flow.execution.chainfile.ChainVerifier}, which checks every byte against the
 * manifest before anything executes and names the last intact block of a damaged file
 * ({@link io.bitquan.flow.execution.chainfile.ChainFileException}).
 */
package io.bitquan.flow.execution.chainfile;
