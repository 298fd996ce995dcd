/**
 * WebAssembly smart contracts on Chicory, behind the execution module's VM callback.
 *
 * <p>Tour (docs/CONTRACTS.md has the full rules, gas schedule and ABI):
 * <ol>
 *   <li><b>Deploy</b>: {@code module.ModuleInstrumenter} validates the submitted binary (integer
 *       only, host-only imports, memory/code/count caps, required {@code memory} export) and
 *       rewrites it: a gas charge at every basic-block start, a call-depth counter around every
 *       function body, a metered {@code memory.grow}, the memory maximum capped.
 *       {@code runtime.WasmContractRuntime} stores the result under {@code CODE(address)} and
 *       runs {@code init}.</li>
 *   <li><b>Call</b>: the runtime charges the fee up front ({@code AccountRules.chargeSender}),
 *       finds the compiled module ({@code runtime.ModuleCache}, once per code hash), runs the
 *       method on this thread's instance ({@code runtime.ContractVm}) with writes buffered in a
 *       {@code runtime.StorageOverlay}, and commits them only on success; unused gas is refunded
 *       in the same transaction.</li>
 *   <li><b>Host API</b>: {@code runtime.HostFunctions} implements {@code module.HostAbi}; every
 *       state access goes through the overlay to the executor's {@code StateAccess}.</li>
 *   <li><b>Workloads and bench</b>: {@code workload.ContractChainGenerator} ({@code token},
 *       {@code counter}, {@code amm}), {@code bench.ContractBench}.</li>
 * </ol>
 *
 * <p>Threading: compiled modules are immutable and shared; instances, frames and host bindings are
 * per thread ({@code ThreadLocal<ContractVm>}) and never cross threads.
 */
package io.bitquan.flow.wasm;
