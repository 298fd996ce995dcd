package io.bitquan.flow.wasm.module;

/**
 * The host API a contract may import, all from module {@code "env"}: name, signature and base
 * gas. Pointers are i32 offsets into the contract's memory; addresses and storage slots are 32
 * bytes. docs/CONTRACTS.md is the prose version of this table; keep them together.
 */
public enum HostAbi {
    /** {@code input_size() -> i32}: length of the call's (or constructor's) argument bytes. */
    INPUT_SIZE("input_size", "", "i", 5),
    /** {@code input_copy(dst)}: copies the argument bytes to {@code dst}. */
    INPUT_COPY("input_copy", "i", "", 10),
    /** {@code storage_read(slot, dst, cap) -> i32}: value length, or -1 if absent; copies at most cap bytes. */
    STORAGE_READ("storage_read", "iii", "i", 200),
    /** {@code storage_write(slot, src, len)}: sets the slot (len <= 4096). */
    STORAGE_WRITE("storage_write", "iii", "", 1000),
    /** {@code storage_delete(slot)}. */
    STORAGE_DELETE("storage_delete", "i", "", 500),
    /** {@code storage_get_i64(slot) -> i64}: an 8-byte little-endian slot; absent reads as 0. */
    STORAGE_GET_I64("storage_get_i64", "i", "I", 200),
    /** {@code storage_set_i64(slot, value)}: writes 8 bytes little-endian. */
    STORAGE_SET_I64("storage_set_i64", "iI", "", 1000),
    /** {@code caller(dst)}: the 32-byte address of the transaction sender. */
    CALLER("caller", "i", "", 10),
    /** {@code self_address(dst)}: this contract's 32-byte address. */
    SELF_ADDRESS("self_address", "i", "", 10),
    /** {@code call_value() -> i64}: native amount the call moved from the sender to this contract. */
    CALL_VALUE("call_value", "", "I", 5),
    /** {@code balance(addr) -> i64}: native balance of any account. */
    BALANCE("balance", "i", "I", 200),
    /** {@code transfer(to, amount) -> i32}: pays from this contract's balance; 0 ok, 1 insufficient, 2 bad amount. */
    TRANSFER("transfer", "iI", "i", 2000),
    /** {@code block_height() -> i64}. */
    BLOCK_HEIGHT("block_height", "", "I", 5),
    /** {@code block_timestamp() -> i64}: the header's timestamp (seconds), never the wall clock. */
    BLOCK_TIMESTAMP("block_timestamp", "", "I", 5),
    /** {@code emit_event(src, len)}: appends an event (len <= 1024, at most 64 per call) to the receipt. */
    EMIT_EVENT("emit_event", "ii", "", 100),
    /** {@code revert(src, len)}: aborts the call with a UTF-8 message; its writes are discarded. */
    REVERT("revert", "ii", "", 10),
    /** {@code set_return(src, len)}: the call's return data (len <= 1024). */
    SET_RETURN("set_return", "ii", "", 10);

    public static final String MODULE = "env";

    private final String importName;
    /** Parameter and result types as letters: i = i32, I = i64. */
    private final String params;
    private final String results;
    private final long baseGas;

    HostAbi(String importName, String params, String results, long baseGas) {
        this.importName = importName;
        this.params = params;
        this.results = results;
        this.baseGas = baseGas;
    }

    public String importName() {
        return importName;
    }

    public String params() {
        return params;
    }

    public String results() {
        return results;
    }

    public long baseGas() {
        return baseGas;
    }

    public static HostAbi byName(String name) {
        for (HostAbi f : values()) {
            if (f.importName.equals(name)) {
                return f;
            }
        }
        return null;
    }
}
