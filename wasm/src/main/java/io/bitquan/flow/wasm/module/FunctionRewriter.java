package io.bitquan.flow.wasm.module;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Validates and instruments one function body (see {@link ModuleInstrumenter}). Two passes:
 * decode every instruction (rejecting anything outside the integer MVP + sign extension), then
 * re-emit it with a gas charge at each basic-block start and the call-depth wrapper.
 */
final class FunctionRewriter {
    private final byte[] in;
    private final int start;
    private final int end;
    private final int funcIndex;
    private final int paramCount;
    private final byte[] results;
    private final IntPredicate calleeExists;
    private final int typeCount;
    private final int globalCount;
    private final boolean hasMemory;
    private final boolean hasTable;
    private final int gasGlobal;
    private final int depthGlobal;
    private final int growFunc;

    // Decoded instructions (parallel arrays).
    private int count;
    private int[] insStart = new int[64];
    private int[] insEnd = new int[64];
    private int[] opcode = new int[64];
    private int[] nesting = new int[64];

    FunctionRewriter(byte[] in, int start, int end, int funcIndex, int paramCount, byte[] results,
                     IntPredicate calleeExists, int typeCount, int globalCount, boolean hasMemory, boolean hasTable,
                     int gasGlobal, int depthGlobal, int growFunc) {
        this.in = in;
        this.start = start;
        this.end = end;
        this.funcIndex = funcIndex;
        this.paramCount = paramCount;
        this.results = results;
        this.calleeExists = calleeExists;
        this.typeCount = typeCount;
        this.globalCount = globalCount;
        this.hasMemory = hasMemory;
        this.hasTable = hasTable;
        this.gasGlobal = gasGlobal;
        this.depthGlobal = depthGlobal;
        this.growFunc = growFunc;
    }

    ByteWriter rewrite() throws InvalidModuleException {
        ByteReader r = new ByteReader(in, start, end);
        long locals = paramCount;
        int groups = r.index();
        for (int g = 0; g < groups; g++) {
            locals += Integer.toUnsignedLong(r.u32());
            if (locals > Limits.MAX_LOCALS) {
                throw fail("declares more than " + Limits.MAX_LOCALS + " locals");
            }
            int t = r.u8();
            if (t != 0x7F && t != 0x7E) {
                throw fail("local of " + (t == 0x7D || t == 0x7C ? "float type" : t == 0x7B ? "SIMD type" : "unsupported type 0x" + Integer.toHexString(t)));
            }
        }
        int codeStart = r.pos();
        decode(r, (int) locals);
        if (!r.atEnd()) {
            throw fail("has bytes after its final end");
        }

        // Cost of the basic block that starts at each instruction (up to and including its boundary).
        long[] segment = new long[count + 1];
        for (int k = count - 1; k >= 0; k--) {
            segment[k] = GasSchedule.instruction(opcode[k]) + (isBoundary(opcode[k]) ? 0 : segment[k + 1]);
        }

        ByteWriter out = new ByteWriter();
        out.bytes(in, start, codeStart);
        // depth++; trap if depth > MAX_CALL_DEPTH
        out.u8(0x23).u32(depthGlobal).u8(0x41).s32(1).u8(0x6A).u8(0x24).u32(depthGlobal)
                .u8(0x23).u32(depthGlobal).u8(0x41).s32(Limits.MAX_CALL_DEPTH).u8(0x4B)
                .u8(0x04).u8(0x40).u8(0x00).u8(0x0B);
        charge(out, segment[0]);
        out.u8(0x02).u8(results.length == 0 ? 0x40 : results[0] & 0xFF);
        for (int k = 0; k < count; k++) {
            int op = opcode[k];
            if (op == 0x0F) {
                out.u8(0x0C).u32(nesting[k]); // return -> br to the wrapper block
            } else if (op == 0x40) {
                out.u8(0x10).u32(growFunc); // memory.grow -> metered grow
            } else {
                out.bytes(in, insStart[k], insEnd[k]);
            }
            if (isBoundary(op) && k + 1 < count) {
                charge(out, segment[k + 1]);
            }
        }
        // The original final end closed the wrapper block; depth--, then the real end.
        out.u8(0x23).u32(depthGlobal).u8(0x41).s32(1).u8(0x6B).u8(0x24).u32(depthGlobal).u8(0x0B);
        return out;
    }

    private static boolean isBoundary(int op) {
        return switch (op) {
            case 0x00, 0x02, 0x03, 0x04, 0x05, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F -> true;
            default -> false;
        };
    }

    /** gas -= cost; trap if gas < 0. */
    private void charge(ByteWriter out, long cost) {
        if (cost <= 0) {
            return;
        }
        out.u8(0x23).u32(gasGlobal).u8(0x42).s64(cost).u8(0x7D).u8(0x24).u32(gasGlobal);
        trapIfNegative(out, gasGlobal);
    }

    static void trapIfNegative(ByteWriter out, int gasGlobal) {
        out.u8(0x23).u32(gasGlobal).u8(0x42).s64(0).u8(0x53).u8(0x04).u8(0x40).u8(0x00).u8(0x0B);
    }

    private static final byte FRAME_BLOCK = 0;
    private static final byte FRAME_IF = 1;
    private static final byte FRAME_ELSE = 2;

    private void decode(ByteReader r, int locals) throws InvalidModuleException {
        int depth = 0;
        // Kind of each open construct: else is legal only directly inside an if, and once.
        byte[] frames = new byte[16];
        while (true) {
            int s = r.pos();
            int op = r.u8();
            int nest = depth;
            switch (op) {
                case 0x00, 0x01, 0x0F, 0x1A, 0x1B -> { }
                case 0x02, 0x03, 0x04 -> {
                    blockType(r);
                    if (depth == frames.length) {
                        frames = Arrays.copyOf(frames, depth * 2);
                    }
                    frames[depth++] = op == 0x04 ? FRAME_IF : FRAME_BLOCK;
                }
                case 0x05 -> {
                    if (depth == 0 || frames[depth - 1] != FRAME_IF) {
                        throw fail("has an else outside an if at byte " + s);
                    }
                    frames[depth - 1] = FRAME_ELSE;
                }
                case 0x0B -> {
                    if (depth == 0) {
                        add(s, r.pos(), op, nest);
                        return;
                    }
                    depth--;
                }
                case 0x0C, 0x0D -> label(r, depth);
                case 0x0E -> {
                    int n = r.index();
                    for (int i = 0; i <= n; i++) {
                        label(r, depth);
                    }
                }
                case 0x10 -> {
                    int callee = r.index();
                    if (!calleeExists.test(callee)) {
                        throw fail("calls missing function " + callee);
                    }
                }
                case 0x11 -> {
                    int t = r.index();
                    if (t >= typeCount || r.index() != 0 || !hasTable) {
                        throw fail("has an invalid call_indirect");
                    }
                }
                case 0x1C -> {
                    int n = r.index();
                    for (int i = 0; i < n; i++) {
                        int t = r.u8();
                        if (t != 0x7F && t != 0x7E) {
                            throw fail("selects a non-integer type");
                        }
                    }
                }
                case 0x20, 0x21, 0x22 -> {
                    if (r.index() >= locals) {
                        throw fail("uses a missing local");
                    }
                }
                case 0x23, 0x24 -> {
                    // Indices >= globalCount are the instrumentation's own globals: off limits.
                    if (r.index() >= globalCount) {
                        throw fail("uses a missing global");
                    }
                }
                case 0x28, 0x29, 0x2C, 0x2D, 0x2E, 0x2F, 0x30, 0x31, 0x32, 0x33, 0x34, 0x35,
                     0x36, 0x37, 0x3A, 0x3B, 0x3C, 0x3D, 0x3E -> {
                    requireMemory();
                    r.index();
                    r.index();
                }
                case 0x3F, 0x40 -> {
                    requireMemory();
                    if (r.u8() != 0x00) {
                        throw fail("uses a memory other than 0");
                    }
                }
                case 0x41 -> r.skipSigned(32);
                case 0x42 -> r.skipSigned(64);
                default -> {
                    if (isIntegerOp(op)) {
                        break;
                    }
                    throw fail(describeForbidden(op) + " at byte " + s);
                }
            }
            add(s, r.pos(), op, nest);
        }
    }

    private static boolean isIntegerOp(int op) {
        return (op >= 0x45 && op <= 0x5A) || (op >= 0x67 && op <= 0x8A) || op == 0xA7 || op == 0xAC || op == 0xAD
                || (op >= 0xC0 && op <= 0xC4);
    }

    private static String describeForbidden(int op) {
        boolean flt = op == 0x2A || op == 0x2B || op == 0x38 || op == 0x39 || op == 0x43 || op == 0x44
                || (op >= 0x5B && op <= 0x66) || (op >= 0x8B && op <= 0xA6) || (op >= 0xA8 && op <= 0xAB)
                || (op >= 0xAE && op <= 0xBF);
        if (flt) {
            return "uses float instruction 0x" + Integer.toHexString(op);
        }
        if (op == 0xFD) {
            return "uses a SIMD instruction";
        }
        if (op == 0xFC) {
            return "uses a 0xFC-prefixed instruction (saturating float truncation, bulk memory or tables)";
        }
        if (op == 0xFE) {
            return "uses an atomic instruction";
        }
        return "uses unsupported instruction 0x" + Integer.toHexString(op);
    }

    private void blockType(ByteReader r) throws InvalidModuleException {
        int t = r.u8();
        switch (t) {
            case 0x40, 0x7F, 0x7E -> { }
            case 0x7D, 0x7C -> throw fail("has a block of float type");
            case 0x7B -> throw fail("has a block of SIMD type");
            default -> throw fail("uses a multi-value block type");
        }
    }

    private void label(ByteReader r, int depth) throws InvalidModuleException {
        if (r.index() > depth) {
            throw fail("branches to a missing label");
        }
    }

    private void requireMemory() throws InvalidModuleException {
        if (!hasMemory) {
            throw fail("uses memory but the module has none");
        }
    }

    private void add(int s, int e, int op, int nest) {
        if (count == opcode.length) {
            int n = count * 2;
            insStart = Arrays.copyOf(insStart, n);
            insEnd = Arrays.copyOf(insEnd, n);
            opcode = Arrays.copyOf(opcode, n);
            nesting = Arrays.copyOf(nesting, n);
        }
        insStart[count] = s;
        insEnd[count] = e;
        opcode[count] = op;
        nesting[count] = nest;
        count++;
    }

    private InvalidModuleException fail(String what) {
        return new InvalidModuleException("function " + funcIndex + " " + what);
    }
}
