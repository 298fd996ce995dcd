/**
 * The VM callback every engine calls: {@link io.bitquan.flow.execution.vm.TransactionVm} (a pure
 * function of the transaction, the {@link io.bitquan.flow.execution.vm.BlockContext} and the
 * values read through the {@code StateAccess} it is handed; it lets the engines' control-flow
 * exceptions propagate), {@link io.bitquan.flow.execution.vm.ChainVm} (native UTXO and account
 * rules from {@code model.rules}) and {@link io.bitquan.flow.execution.vm.ContractRuntime}, where
 * contract transactions go (the wasm module's runtime, or none: contracts disabled).
 */
package io.bitquan.flow.execution.vm;
