package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.execution.vm.ChainVm;
import io.bitquan.flow.execution.vm.TransactionVm;

/** The VM every command executes with: one place, so all commands run the same rules. */
public final class Vms {
    private Vms() {}

    public static TransactionVm chainVm() {
        return new ChainVm();
    }
}
