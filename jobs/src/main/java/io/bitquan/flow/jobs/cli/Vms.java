package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.vm.TransactionVm;
import io.bitquan.flow.wasm.Contracts;

/**
 * The VM every command and the Flink job execute with: native rules plus WebAssembly contracts.
 * One place, so all of them run the same rules; the VM is shared per JVM so the contract compile
 * cache is too.
 */
public final class Vms {
    private Vms() {}

    public static TransactionVm chainVm() {
        return Contracts.chainVm();
    }
}
