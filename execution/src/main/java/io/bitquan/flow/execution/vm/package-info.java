/**
 * The VM callback every engine calls: {@link io.bitquan.flow.execution.vm.TransactionVm} (a pure
 * function of the transaction, the {@link io.bitquan.flow.execution.vm.BlockContext} and the
 * values read through the {@code StateAccess} it is handed; it lets the engines' control-flow
 * exceptions propagate), {@link io.bitquan.flow.execution.vm.ChainVm} (native UTXO and account
 * rules from {@code model.rules}) and {@link io.bitquan.flow.execution.vm.ContractRuntime}, where
 * contract transactions go (the wasm module's runtime, or none: contracts disabled).
 *
 * <p>The native rules take the keys they read and write from the view they are handed
 * ({@code StateAccess.accountKey} / {@code utxoKey}): built there by default (the sequential
 * engine, the optimistic path, the job's executor), handed ready-made by the predicted
 * schedule's view, which built and hashed them once for the block while predicting and hands
 * one only after comparing its encoding with the rules' bytes (round 9). Likewise the key
 * binding hash (a transfer's or a contract call's sender, a spend's input lock:
 * {@code StateAccess.publicKeyHash}, BLAKE3 by default): the predicted schedule hashes a
 * transfer's or listed call's public key (not a spend's) in its prediction pass, which the workers share evenly, and its view
 * hands a hash only for bytes equal to those it hashed, else hashes (round 10). The VM's
 * contract is unchanged: it still sees only {@code StateAccess}, and the rules' order and
 * violations are the same on every engine.
 *
 * <p>A runner that replays a chain (the job's executor, {@code execute}, {@code bench job}'s
 * reference, the demo's reference, the determinism probe) takes its VM from
 * {@link io.bitquan.flow.execution.vm.ReplayVm#of}: the VM behind a
 * {@link io.bitquan.flow.execution.vm.KeyHashCache}, whose
 * {@link io.bitquan.flow.execution.vm.KeyHashView} hands the held hash of a key seen before
 * (compared in full) and passes every other call on through
 * {@link io.bitquan.flow.execution.vm.ForwardingStateAccess} (rounds 18-19: a chain's keys recur
 * block after block, and the hash of a 1,952-byte ML-DSA key was most of the job's executor
 * thread). {@code bench engine} compares engines on fresh blocks and leaves its VM bare.
 */
package io.bitquan.flow.execution.vm;
