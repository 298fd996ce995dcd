package io.bitquan.flow.wasm.runtime;

import io.bitquan.flow.execution.vm.BlockContext;
import io.bitquan.flow.execution.vm.ContractRuntime;
import io.bitquan.flow.model.avro.ContractCall;
import io.bitquan.flow.model.avro.ContractDeploy;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.rules.AccountRules;
import io.bitquan.flow.model.rules.PreparedTx;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.rules.RuleViolation;
import io.bitquan.flow.model.rules.StateAccess;
import io.bitquan.flow.model.rules.TxOutcome;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.ContractCode;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StateView;
import io.bitquan.flow.wasm.module.GasSchedule;
import io.bitquan.flow.wasm.module.InvalidModuleException;
import io.bitquan.flow.wasm.module.Limits;
import io.bitquan.flow.wasm.module.ModuleInstrumenter;
import java.math.BigInteger;
import java.util.List;

/**
 * The chain's contract runtime: WebAssembly on Chicory behind the VM callback.
 *
 * <p><b>Deploy</b> ({@link ContractDeploy}): the sender pays {@code fee} up front (block rejected if
 * it cannot, as for a transfer). The module is validated and instrumented
 * ({@link ModuleInstrumenter}); an invalid module is a <i>failed receipt</i> with status
 * {@code invalid-module: <reason>} that uses the whole gas limit: the sender's nonce advances and
 * the fee is kept, so junk deploys cost their author and nobody else. A valid module is stored,
 * instrumented, under {@code CODE(address)} ({@link ContractAddress}), and its {@code init}
 * export (if any) runs with the constructor arguments as input; if it fails, nothing is stored.
 *
 * <p><b>Call</b> ({@link ContractCall}): the sender pays {@code fee} up front; {@code value} moves
 * to the contract inside the call, so a failed call returns it. Revert, out-of-gas, trap and
 * depth-exceeded end in a failed receipt with the call's writes discarded and its gas charged.
 *
 * <p><b>Fees</b>: the fee is the price of the whole gas limit; the charged fee is
 * ceil(fee * gasUsed / gasLimit) and the rest is refunded to the sender in the same transaction
 * (its own account, already written for the nonce): no shared key is touched. The charged fee is
 * {@link TxOutcome#fee()}, which the engine adds to the block's fee accumulator.
 *
 * <p>Thread-safe: compiled modules are shared, instances are per thread and per call.
 */
public final class WasmContractRuntime implements ContractRuntime {
    private final ModuleCache cache;
    private final ThreadLocal<ContractVm> vms;

    /** Compiled, {@link InstancePolicy#DEFAULT}: what a node runs. */
    public WasmContractRuntime() {
        this(ExecutionMode.COMPILED);
    }

    public WasmContractRuntime(ExecutionMode mode) {
        this(mode, InstancePolicy.DEFAULT);
    }

    public WasmContractRuntime(ExecutionMode mode, InstancePolicy policy) {
        this.cache = new ModuleCache(mode);
        this.vms = ThreadLocal.withInitial(() -> new ContractVm(policy));
    }

    /** A receipt plus the call's return data (which receipts do not carry). */
    public record Result(TxOutcome outcome, byte[] returnData) {}

    @Override
    public TxOutcome execute(PreparedTx tx, BlockContext block, StateAccess state) {
        return executeDetailed(tx, block, state).outcome();
    }

    public Result executeDetailed(PreparedTx tx, BlockContext block, StateAccess state) {
        Object body = tx.body();
        if (body instanceof ContractCall call) {
            return call(tx, call, block, state);
        }
        if (body instanceof ContractDeploy deploy) {
            return deploy(tx, deploy, block, state);
        }
        throw new RuleViolation(Rule.TX_MALFORMED, "tx " + tx.index() + " is not a contract transaction");
    }

    private Result deploy(PreparedTx ptx, ContractDeploy tx, BlockContext block, StateAccess state) {
        byte[] sender = Bytes.of(tx.getSender());
        long gasLimit = checkGasLimit(ptx, tx.getGasLimit());
        long fee = checkFee(ptx, tx.getFee());
        StateKey senderKey = AccountRules.chargeSender(ptx, sender, Bytes.of(tx.getPublicKey()), tx.getNonce(), fee, state);
        byte[] code = Bytes.of(tx.getCode());
        byte[] args = Bytes.of(tx.getConstructorArgs());
        long intrinsic = GasSchedule.DEPLOY_BASE + GasSchedule.DEPLOY_PER_BYTE * code.length + GasSchedule.INPUT_PER_BYTE * args.length;
        if (args.length > Limits.MAX_INPUT_BYTES) {
            return failed(state, senderKey, fee, gasLimit, gasLimit, Status.INPUT_TOO_LARGE);
        }
        if (intrinsic > gasLimit) {
            return failed(state, senderKey, fee, gasLimit, gasLimit, Status.OUT_OF_GAS);
        }
        byte[] instrumented;
        try {
            instrumented = ModuleInstrumenter.instrument(code);
        } catch (InvalidModuleException e) {
            return failed(state, senderKey, fee, gasLimit, gasLimit, Status.INVALID_MODULE_PREFIX + e.getMessage());
        }
        CompiledContract contract;
        try {
            contract = cache.get(instrumented);
        } catch (RuntimeException | AssertionError e) {
            // Chicory's parser/validator/compiler rejected what our checks let through (types,
            // stack discipline, segments); with -ea its parser may assert instead of throwing.
            // No state is touched here, so nothing foreign is caught.
            // The receipt (hashed into the receipts root) must not carry Chicory's wording, which
            // changes between its versions and modes: one fixed status for all of these.
            return failed(state, senderKey, fee, gasLimit, gasLimit, Status.ENGINE_REJECTED_MODULE);
        }
        byte[] address = ContractAddress.of(sender, tx.getNonce());
        StateKey codeKey = StateKey.code(address);
        StorageOverlay overlay = new StorageOverlay(state);
        if (overlay.read(codeKey) != null) {
            return failed(state, senderKey, fee, gasLimit, gasLimit, Status.ADDRESS_TAKEN);
        }
        overlay.write(codeKey, new ContractCode(instrumented));
        long gasLeft = gasLimit - intrinsic;
        CallFrame frame = new CallFrame(overlay, address, sender, 0, block.height(), block.timestamp(), args);
        if (contract.hasConstructor()) {
            ContractVm.Run run = vms.get().invoke(contract, CompiledContract.CONSTRUCTOR, frame, gasLeft);
            gasLeft = run.gasLeft();
            if (!run.ok()) {
                return failed(state, senderKey, fee, gasLimit, gasLimit - gasLeft, run.status());
            }
        }
        overlay.commit(state);
        return finish(state, senderKey, fee, gasLimit, gasLimit - gasLeft, Status.OK, frame.events, frame.returnData);
    }

    private Result call(PreparedTx ptx, ContractCall tx, BlockContext block, StateAccess state) {
        byte[] sender = Bytes.of(tx.getSender());
        byte[] contractAddress = Bytes.of(tx.getContract());
        if (contractAddress.length != StateKey.ADDRESS_BYTES) {
            throw new RuleViolation(Rule.TX_MALFORMED, "tx " + ptx.index() + " contract address is not 32 bytes");
        }
        long gasLimit = checkGasLimit(ptx, tx.getGasLimit());
        long fee = checkFee(ptx, tx.getFee());
        long value = tx.getValue();
        if (!ChainConfig.inMoneyRange(value)) {
            throw new RuleViolation(Rule.AMOUNT_RANGE, "tx " + ptx.index() + " value " + value + " outside [0, MAX_MONEY]");
        }
        StateKey senderKey = AccountRules.chargeSender(ptx, sender, Bytes.of(tx.getPublicKey()), tx.getNonce(), fee, state);
        byte[] args = Bytes.of(tx.getArgs());
        if (args.length > Limits.MAX_INPUT_BYTES) {
            return failed(state, senderKey, fee, gasLimit, gasLimit, Status.INPUT_TOO_LARGE);
        }
        long intrinsic = GasSchedule.CALL_BASE + GasSchedule.INPUT_PER_BYTE * args.length;
        if (intrinsic > gasLimit) {
            return failed(state, senderKey, fee, gasLimit, gasLimit, Status.OUT_OF_GAS);
        }
        StorageOverlay overlay = new StorageOverlay(state);
        StateValue code = overlay.read(StateKey.code(contractAddress));
        if (code == null) {
            return failed(state, senderKey, fee, gasLimit, intrinsic, Status.NO_CONTRACT);
        }
        CompiledContract contract = cache.get((ContractCode) code);
        String method = tx.getMethod();
        if (!contract.hasMethod(method)) {
            return failed(state, senderKey, fee, gasLimit, intrinsic, Status.NO_METHOD_PREFIX + method);
        }
        if (value > 0) {
            AccountState from = HostFunctions.account(overlay, senderKey);
            if (from.balance() < value) {
                return failed(state, senderKey, fee, gasLimit, intrinsic, Status.INSUFFICIENT_VALUE);
            }
            StateKey contractKey = StateKey.account(contractAddress);
            AccountState to = HostFunctions.account(overlay, contractKey);
            overlay.write(senderKey, new AccountState(from.balance() - value, from.nonce()));
            overlay.write(contractKey, new AccountState(to.balance() + value, to.nonce()));
        }
        CallFrame frame = new CallFrame(overlay, contractAddress, sender, value, block.height(), block.timestamp(), args);
        ContractVm.Run run = vms.get().invoke(contract, method, frame, gasLimit - intrinsic);
        long gasUsed = gasLimit - run.gasLeft();
        if (!run.ok()) {
            return failed(state, senderKey, fee, gasLimit, gasUsed, run.status());
        }
        overlay.commit(state);
        return finish(state, senderKey, fee, gasLimit, gasUsed, Status.OK, frame.events, frame.returnData);
    }

    /**
     * A call without a transaction (what a node answers to "call this view method"): no fee, no
     * nonce, no value, and every write discarded. Deterministic like a call; used by tools,
     * tests and the benchmark's call-only rows.
     */
    public Result query(byte[] contract, String method, byte[] args, byte[] caller, BlockContext block, StateView state, long gasLimit) {
        StateValue code = state.read(StateKey.code(contract));
        if (code == null) {
            return new Result(new TxOutcome(0, 0, false, Status.NO_CONTRACT, List.of()), new byte[0]);
        }
        CompiledContract compiled = cache.get((ContractCode) code);
        if (!compiled.hasMethod(method)) {
            return new Result(new TxOutcome(0, 0, false, Status.NO_METHOD_PREFIX + method, List.of()), new byte[0]);
        }
        CallFrame frame = new CallFrame(new StorageOverlay(state), contract, caller, 0, block.height(), block.timestamp(), args);
        ContractVm.Run run = vms.get().invoke(compiled, method, frame, gasLimit);
        boolean ok = run.ok();
        return new Result(new TxOutcome(0, gasLimit - run.gasLeft(), ok, run.status(), ok ? List.copyOf(frame.events) : List.of()),
                frame.returnData);
    }

    private static long checkGasLimit(PreparedTx ptx, long gasLimit) {
        if (gasLimit < 1 || gasLimit > Limits.MAX_GAS_LIMIT) {
            throw new RuleViolation(Rule.TX_MALFORMED, "tx " + ptx.index() + " gas limit " + gasLimit + " outside [1, " + Limits.MAX_GAS_LIMIT + "]");
        }
        return gasLimit;
    }

    private static long checkFee(PreparedTx ptx, long fee) {
        if (!ChainConfig.inMoneyRange(fee)) {
            throw new RuleViolation(Rule.AMOUNT_RANGE, "tx " + ptx.index() + " fee " + fee + " outside [0, MAX_MONEY]");
        }
        return fee;
    }

    private static Result failed(StateAccess state, StateKey senderKey, long fee, long gasLimit, long gasUsed, String status) {
        return finish(state, senderKey, fee, gasLimit, gasUsed, status, List.of(), new byte[0]);
    }

    /** Refunds the unused part of the fee to the sender and builds the receipt. */
    private static Result finish(StateAccess state, StateKey senderKey, long fee, long gasLimit, long gasUsed,
                                 String status, List<byte[]> events, byte[] returnData) {
        long charged = chargedFee(fee, gasUsed, gasLimit);
        long refund = fee - charged;
        if (refund > 0) {
            AccountState s = (AccountState) state.read(senderKey);
            state.write(senderKey, new AccountState(s.balance() + refund, s.nonce()));
        }
        boolean ok = Status.OK.equals(status);
        return new Result(new TxOutcome(charged, gasUsed, ok, status, ok ? List.copyOf(events) : List.of()), returnData);
    }

    /** ceil(fee * gasUsed / gasLimit), exact (128-bit when the product overflows). */
    static long chargedFee(long fee, long gasUsed, long gasLimit) {
        long high = Math.multiplyHigh(fee, gasUsed);
        long product = fee * gasUsed;
        if (high == 0 && product >= 0) {
            return product / gasLimit + (product % gasLimit == 0 ? 0 : 1);
        }
        BigInteger[] qr = BigInteger.valueOf(fee).multiply(BigInteger.valueOf(gasUsed)).divideAndRemainder(BigInteger.valueOf(gasLimit));
        return qr[0].longValueExact() + (qr[1].signum() == 0 ? 0 : 1);
    }

    /** Compiled modules held (one per distinct code hash). */
    public int cachedModules() {
        return cache.size();
    }
}
