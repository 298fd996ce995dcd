package io.bitquan.flow.wasm.runtime;

import com.dylibso.chicory.runtime.HostFunction;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.runtime.WasmFunctionHandle;
import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StorageValue;
import io.bitquan.flow.wasm.module.GasSchedule;
import io.bitquan.flow.wasm.module.HostAbi;
import io.bitquan.flow.wasm.module.Limits;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The host API ({@link HostAbi}) over the current {@link CallFrame}. Every state access goes
 * through the frame's overlay and from there through the executor's view; nothing here catches
 * an exception coming out of a state read (Block-STM's dependency signal must pass untouched).
 * Each function charges its gas before doing its work.
 */
final class HostFunctions {
    private static final byte[] NO_BYTES = new byte[0];

    private final Supplier<CallFrame> frames;

    HostFunctions(Supplier<CallFrame> frames) {
        this.frames = frames;
    }

    ImportValues imports() {
        List<HostFunction> fns = new ArrayList<>();
        for (HostAbi f : HostAbi.values()) {
            fns.add(new HostFunction(HostAbi.MODULE, f.importName(), type(f), handle(f)));
        }
        return ImportValues.builder().withFunctions(new ArrayList<>(fns)).build();
    }

    private static FunctionType type(HostAbi f) {
        return FunctionType.of(valTypes(f.params()), valTypes(f.results()));
    }

    private static ValType[] valTypes(String letters) {
        ValType[] out = new ValType[letters.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = letters.charAt(i) == 'i' ? ValType.I32 : ValType.I64;
        }
        return out;
    }

    private WasmFunctionHandle handle(HostAbi f) {
        return (Instance instance, long... args) -> {
            CallFrame frame = frames.get();
            frame.charge(f.baseGas());
            return call(f, frame, instance.memory(), args);
        };
    }

    private long[] call(HostAbi f, CallFrame frame, Memory memory, long[] args) {
        switch (f) {
            case INPUT_SIZE:
                return one(frame.input.length);
            case INPUT_COPY:
                frame.charge(GasSchedule.HOST_PER_BYTE * frame.input.length);
                write(memory, args[0], frame.input);
                return null;
            case STORAGE_READ: {
                StateKey key = slot(frame, memory, args[0]);
                StateValue v = frame.state.read(key);
                if (v == null) {
                    return one(-1);
                }
                byte[] data = ((StorageValue) v).data();
                int cap = (int) args[2];
                int n = Math.min(data.length, Math.max(cap, 0));
                frame.charge(GasSchedule.HOST_PER_BYTE * n);
                if (n > 0) {
                    checkRange(memory, args[1], n);
                    memory.write((int) args[1], data, 0, n);
                }
                return one(data.length);
            }
            case STORAGE_WRITE: {
                int len = (int) args[2];
                if (len < 0 || len > Limits.MAX_STORAGE_VALUE_BYTES) {
                    throw ContractFailure.trap("storage value of " + Integer.toUnsignedString(len) + " bytes exceeds " + Limits.MAX_STORAGE_VALUE_BYTES);
                }
                frame.charge(GasSchedule.STORAGE_PER_BYTE * len);
                StateKey key = slot(frame, memory, args[0]);
                frame.state.write(key, new StorageValue(read(memory, args[1], len)));
                return null;
            }
            case STORAGE_DELETE:
                frame.state.write(slot(frame, memory, args[0]), null);
                return null;
            case STORAGE_GET_I64: {
                StateValue v = frame.state.read(slot(frame, memory, args[0]));
                return one(v == null ? 0 : le64(((StorageValue) v).data()));
            }
            case STORAGE_SET_I64: {
                frame.charge(GasSchedule.STORAGE_PER_BYTE * 8);
                StateKey key = slot(frame, memory, args[0]);
                frame.state.write(key, new StorageValue(le64(args[1])));
                return null;
            }
            case CALLER:
                write(memory, args[0], frame.caller);
                return null;
            case SELF_ADDRESS:
                write(memory, args[0], frame.self);
                return null;
            case CALL_VALUE:
                return one(frame.value);
            case BALANCE: {
                byte[] addr = read(memory, args[0], StateKey.ADDRESS_BYTES);
                return one(account(frame, StateKey.account(addr)).balance());
            }
            case TRANSFER:
                return one(transfer(frame, read(memory, args[0], StateKey.ADDRESS_BYTES), args[1]));
            case BLOCK_HEIGHT:
                return one(frame.height);
            case BLOCK_TIMESTAMP:
                return one(frame.timestamp);
            case EMIT_EVENT: {
                int len = (int) args[1];
                if (len < 0 || len > Limits.MAX_EVENT_BYTES || frame.events.size() >= Limits.MAX_EVENTS) {
                    throw ContractFailure.trap("event too large or too many events (max " + Limits.MAX_EVENTS + " of " + Limits.MAX_EVENT_BYTES + " bytes)");
                }
                frame.charge(GasSchedule.HOST_PER_BYTE * len);
                byte[] data = read(memory, args[0], len);
                byte[] event = new byte[StateKey.ADDRESS_BYTES + len];
                System.arraycopy(frame.self, 0, event, 0, StateKey.ADDRESS_BYTES);
                System.arraycopy(data, 0, event, StateKey.ADDRESS_BYTES, len);
                frame.events.add(event);
                return null;
            }
            case REVERT: {
                int len = (int) Math.min(Integer.toUnsignedLong((int) args[1]), 256);
                byte[] msg = read(memory, args[0], len);
                throw new ContractFailure(Status.REVERT_PREFIX + new String(msg, StandardCharsets.UTF_8));
            }
            case SET_RETURN: {
                int len = (int) args[1];
                if (len < 0 || len > Limits.MAX_RETURN_BYTES) {
                    throw ContractFailure.trap("return data of " + Integer.toUnsignedString(len) + " bytes exceeds " + Limits.MAX_RETURN_BYTES);
                }
                frame.charge(GasSchedule.HOST_PER_BYTE * len);
                frame.returnData = len == 0 ? NO_BYTES : read(memory, args[0], len);
                return null;
            }
            default:
                throw new IllegalStateException("unhandled host function " + f);
        }
    }

    /** Pays {@code amount} from the contract's own account: 0 done, 1 insufficient, 2 bad amount. */
    private static long transfer(CallFrame frame, byte[] to, long amount) {
        if (!ChainConfig.inMoneyRange(amount)) {
            return 2;
        }
        StateKey fromKey = StateKey.account(frame.self);
        AccountState from = account(frame, fromKey);
        if (from.balance() < amount) {
            return 1;
        }
        if (java.util.Arrays.equals(to, frame.self)) {
            return 0;
        }
        StateKey toKey = StateKey.account(to);
        AccountState dest = account(frame, toKey);
        if (dest.balance() + amount > ChainConfig.MAX_MONEY) {
            return 2;
        }
        frame.state.write(fromKey, new AccountState(from.balance() - amount, from.nonce()));
        frame.state.write(toKey, new AccountState(dest.balance() + amount, dest.nonce()));
        return 0;
    }

    static AccountState account(CallFrame frame, StateKey key) {
        return account(frame.state, key);
    }

    static AccountState account(StorageOverlay state, StateKey key) {
        StateValue v = state.read(key);
        return v == null ? AccountState.EMPTY : (AccountState) v;
    }

    private static StateKey slot(CallFrame frame, Memory memory, long ptr) {
        return frame.storageKey(read(memory, ptr, 32));
    }

    private static long[] one(long v) {
        return new long[] {v};
    }

    /** Bounds are checked here, not left to the memory, so a bad pointer is a trap, never a JVM exception. */
    private static void checkRange(Memory memory, long ptr, int len) {
        long p = ptr & 0xFFFF_FFFFL;
        if (p + len > (long) memory.pages() * Memory.PAGE_SIZE) {
            throw ContractFailure.trap("out of bounds memory access in host call");
        }
    }

    private static byte[] read(Memory memory, long ptr, int len) {
        checkRange(memory, ptr, len);
        return memory.readBytes((int) ptr, len);
    }

    private static void write(Memory memory, long ptr, byte[] data) {
        checkRange(memory, ptr, data.length);
        memory.write((int) ptr, data, 0, data.length);
    }

    static long le64(byte[] b) {
        if (b.length != 8) {
            throw ContractFailure.trap("slot holds " + b.length + " bytes, storage_get_i64 needs 8");
        }
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[i] & 0xFF);
        }
        return v;
    }

    static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }
}
