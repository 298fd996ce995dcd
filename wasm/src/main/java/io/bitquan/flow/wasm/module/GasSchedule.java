package io.bitquan.flow.wasm.module;

/**
 * The gas schedule (consensus constants; docs/CONTRACTS.md has the same table). One gas unit is
 * roughly one simple wasm instruction. Instruction costs are charged by the instrumented code
 * at each basic-block start; host costs by the host before it does the work.
 */
public final class GasSchedule {
    private GasSchedule() {}

    /** Intrinsic gas of every call, before any code runs. */
    public static final long CALL_BASE = 2_000;
    /** Intrinsic gas of a deploy, plus {@link #DEPLOY_PER_BYTE} per byte of submitted code. */
    public static final long DEPLOY_BASE = 20_000;
    public static final long DEPLOY_PER_BYTE = 50;
    /** Per byte of call or constructor input. */
    public static final long INPUT_PER_BYTE = 2;
    /** Per byte a host function copies in or out of contract memory (beyond its base cost). */
    public static final long HOST_PER_BYTE = 1;
    /** Per byte written to storage (beyond the write's base cost). */
    public static final long STORAGE_PER_BYTE = 10;
    /** {@code memory.grow}: per page requested, charged even when the grow fails. */
    public static final long MEMORY_GROW_PER_PAGE = 8_192;

    /** Static cost of one instruction by opcode (0xFC-prefixed opcodes are rejected, never priced). */
    public static int instruction(int opcode) {
        return switch (opcode) {
            case 0x01, 0x02, 0x03, 0x05, 0x0B -> 0;          // nop, block, loop, else, end: structure only
            case 0x10 -> 5;                                   // call
            case 0x11 -> 10;                                  // call_indirect
            case 0x0E -> 3;                                   // br_table
            case 0x40 -> 10;                                  // memory.grow (plus per page, dynamic)
            case 0x6D, 0x6E, 0x6F, 0x70, 0x7F, 0x80, 0x81, 0x82 -> 4; // div / rem
            default -> (opcode >= 0x28 && opcode <= 0x3E) ? 2 : 1;     // loads and stores 2, the rest 1
        };
    }
}
