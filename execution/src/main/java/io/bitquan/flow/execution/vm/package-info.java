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
 * one only after comparing its encoding with the rules' bytes (round 9). The VM's contract is
 * unchanged: it still sees only {@code StateAccess}.
 */
package io.bitquan.flow.execution.vm;
