package io.bitquan.flow.operators.execute;

import io.bitquan.flow.execution.vm.TransactionVm;
import java.io.Serializable;

/** Builds the VM on the task manager (the job decides which contracts are wired in). */
@FunctionalInterface
public interface VmFactory extends Serializable {
    TransactionVm create();
}
