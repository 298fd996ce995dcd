package io.bitquan.flow.wasm.module;

import java.util.ArrayList;
import java.util.List;

/**
 * Validates a submitted module against the chain's rules and rewrites it for deterministic
 * metering. Works directly on the binary format, section by section, so that what is metered is
 * exactly what was validated (no third-party encoder in between).
 *
 * <p>Validation: integer-only (no f32/f64/v128 type, local, global, block type or instruction),
 * imports only of {@link HostAbi} functions with their exact signatures, at most one memory whose
 * initial size is within {@link Limits#MAX_MEMORY_PAGES}, no start function, no post-MVP
 * features except sign extension, an exported {@code memory}, bounded counts and locals.
 *
 * <p>Instrumentation (all additions are appended, so no existing index shifts):
 * <ul>
 *   <li>a mutable i64 global {@code __bq_gas}: each basic block starts by subtracting its static
 *       cost ({@link GasSchedule#instruction}) and trapping ({@code unreachable}) when the result
 *       is negative. Block boundaries: function entry and after block, loop, if, else, end, br,
 *       br_if, br_table, return, unreachable.</li>
 *   <li>a mutable i32 global {@code __bq_depth}: every function body is wrapped as
 *       {@code depth++; trap if depth > MAX_CALL_DEPTH; block{ original body }; depth--}, with
 *       each {@code return} turned into a branch to the wrapper block.</li>
 *   <li>a function {@code grow(pages)} that charges {@link GasSchedule#MEMORY_GROW_PER_PAGE} per
 *       page and then grows; every {@code memory.grow} becomes a call to it.</li>
 *   <li>the memory maximum becomes min(declared maximum, cap).</li>
 * </ul>
 * Custom sections (names, debug info) are dropped. The host tells out-of-gas and depth traps
 * apart from ordinary traps by reading the two globals after the trap.
 */
public final class ModuleInstrumenter {
    public static final String GAS_GLOBAL_EXPORT = "__bq_gas";
    public static final String DEPTH_GLOBAL_EXPORT = "__bq_depth";
    public static final String RESERVED_PREFIX = "__bq";
    public static final String MEMORY_EXPORT = "memory";

    private static final int I32 = 0x7F;
    private static final int I64 = 0x7E;

    private record FuncType(byte[] params, byte[] results) {}

    private final byte[] in;
    private final List<FuncType> types = new ArrayList<>();
    private final List<Integer> funcTypes = new ArrayList<>();
    private int importedFuncs;
    private int definedGlobals;
    private boolean hasMemory;
    private boolean hasTable;
    private boolean memoryExported;
    private int memoryMin;
    private int memoryMax;

    private ModuleInstrumenter(byte[] in) {
        this.in = in;
    }

    /** The instrumented module, or the reason the submitted one is invalid. */
    public static byte[] instrument(byte[] code) throws InvalidModuleException {
        if (code.length > Limits.MAX_CODE_BYTES) {
            throw new InvalidModuleException("code size " + code.length + " exceeds cap " + Limits.MAX_CODE_BYTES);
        }
        return new ModuleInstrumenter(code).run();
    }

    private byte[] run() throws InvalidModuleException {
        if (in.length < 8 || in[0] != 0 || in[1] != 'a' || in[2] != 's' || in[3] != 'm'
                || in[4] != 1 || in[5] != 0 || in[6] != 0 || in[7] != 0) {
            throw new InvalidModuleException("not a WebAssembly 1.0 binary module");
        }
        // Raw section contents by id (custom sections dropped); rewritten ones are rebuilt below.
        int[][] ranges = new int[14][];
        int lastId = 0;
        ByteReader r = new ByteReader(in, 8, in.length);
        while (!r.atEnd()) {
            int id = r.u8();
            int size = r.index();
            int start = r.pos();
            r.skip(size);
            if (id == 0) {
                continue;
            }
            if (id > 12) {
                throw new InvalidModuleException("unsupported section id " + id + " (exception handling or later proposals)");
            }
            if (ranges[id] != null) {
                throw new InvalidModuleException("duplicate section " + id);
            }
            int order = id == 12 ? 95 : id * 10; // data count sits between element (9) and code (10)
            if (order <= lastId) {
                throw new InvalidModuleException("section " + id + " out of order");
            }
            lastId = order;
            ranges[id] = new int[] {start, start + size};
        }
        if (ranges[8] != null) {
            throw new InvalidModuleException("start function not allowed: use the exported init constructor");
        }
        readTypes(ranges[1]);
        readImports(ranges[2]);
        readFunctions(ranges[3]);
        readTable(ranges[4]);
        readMemory(ranges[5]);
        readGlobals(ranges[6]);
        readExports(ranges[7]);
        if (!memoryExported) {
            throw new InvalidModuleException("required export 'memory' is missing");
        }
        int gasGlobal = definedGlobals;
        int depthGlobal = definedGlobals + 1;
        int growType = types.size();
        int growFunc = importedFuncs + funcTypes.size();

        ByteWriter out = new ByteWriter();
        out.bytes(in, 0, 8);
        // 1 type: originals + (i32) -> i32 for grow.
        ByteWriter types = new ByteWriter().u32(this.types.size() + 1);
        copyVectorBody(types, ranges[1]);
        types.u8(0x60).u32(1).u8(I32).u32(1).u8(I32);
        out.section(1, types);
        copySection(out, 2, ranges[2]);
        ByteWriter funcs = new ByteWriter().u32(funcTypes.size() + 1);
        for (int t : funcTypes) {
            funcs.u32(t);
        }
        funcs.u32(growType);
        out.section(3, funcs);
        copySection(out, 4, ranges[4]);
        if (hasMemory) {
            ByteWriter mem = new ByteWriter().u32(1).u8(0x01).u32(memoryMin).u32(memoryMax);
            out.section(5, mem);
        }
        ByteWriter globals = new ByteWriter().u32(definedGlobals + 2);
        copyVectorBody(globals, ranges[6]);
        globals.u8(I64).u8(0x01).u8(0x42).s64(0).u8(0x0B);
        globals.u8(I32).u8(0x01).u8(0x41).s32(0).u8(0x0B);
        out.section(6, globals);
        ByteWriter exports = new ByteWriter().u32(exportCount(ranges[7]) + 2);
        copyVectorBody(exports, ranges[7]);
        exports.name(GAS_GLOBAL_EXPORT).u8(0x03).u32(gasGlobal);
        exports.name(DEPTH_GLOBAL_EXPORT).u8(0x03).u32(depthGlobal);
        out.section(7, exports);
        copySection(out, 9, ranges[9]);
        copySection(out, 12, ranges[12]);
        out.section(10, rewriteCode(ranges[10], gasGlobal, depthGlobal, growFunc));
        copySection(out, 11, ranges[11]);
        return out.toByteArray();
    }

    // ---------------------------------------------------------------- reading and validation

    private void readTypes(int[] range) throws InvalidModuleException {
        if (range == null) {
            return;
        }
        ByteReader r = new ByteReader(in, range[0], range[1]);
        int n = r.index();
        if (n > Limits.MAX_TYPES) {
            throw new InvalidModuleException(n + " types exceed cap " + Limits.MAX_TYPES);
        }
        for (int i = 0; i < n; i++) {
            if (r.u8() != 0x60) {
                throw new InvalidModuleException("type " + i + " is not a function type");
            }
            byte[] params = valTypes(r, "type " + i + " parameter");
            byte[] results = valTypes(r, "type " + i + " result");
            if (results.length > 1) {
                throw new InvalidModuleException("type " + i + " has " + results.length + " results: multi-value not supported");
            }
            types.add(new FuncType(params, results));
        }
        expectEnd(r, "type");
    }

    private byte[] valTypes(ByteReader r, String what) throws InvalidModuleException {
        int n = r.index();
        if (n > Limits.MAX_LOCALS) {
            throw new InvalidModuleException(what + " count " + n + " too large");
        }
        byte[] out = new byte[n];
        for (int i = 0; i < n; i++) {
            out[i] = (byte) valType(r.u8(), what);
        }
        return out;
    }

    private static int valType(int t, String what) throws InvalidModuleException {
        return switch (t) {
            case I32, I64 -> t;
            case 0x7D, 0x7C -> throw new InvalidModuleException(what + " uses a float type (" + (t == 0x7D ? "f32" : "f64") + ")");
            case 0x7B -> throw new InvalidModuleException(what + " uses the SIMD type v128");
            default -> throw new InvalidModuleException(what + " uses unsupported type 0x" + Integer.toHexString(t));
        };
    }

    private void readImports(int[] range) throws InvalidModuleException {
        if (range == null) {
            return;
        }
        ByteReader r = new ByteReader(in, range[0], range[1]);
        int n = r.index();
        for (int i = 0; i < n; i++) {
            String module = r.name();
            String name = r.name();
            int kind = r.u8();
            if (kind != 0x00) {
                throw new InvalidModuleException("import " + module + "." + name + " is not a function: only host functions may be imported");
            }
            int typeIndex = r.index();
            HostAbi host = HostAbi.byName(name);
            if (!HostAbi.MODULE.equals(module) || host == null) {
                throw new InvalidModuleException("forbidden import " + module + "." + name + ": only the host API of module 'env' may be imported");
            }
            FuncType t = type(typeIndex, "import " + name);
            if (!signature(t.params).equals(host.params()) || !signature(t.results).equals(host.results())) {
                throw new InvalidModuleException("import env." + name + " has signature (" + signature(t.params) + ")->("
                        + signature(t.results) + "), host expects (" + host.params() + ")->(" + host.results() + ")");
            }
            importedFuncs++;
        }
        expectEnd(r, "import");
    }

    private static String signature(byte[] types) {
        StringBuilder sb = new StringBuilder();
        for (byte t : types) {
            sb.append((t & 0xFF) == I32 ? 'i' : 'I');
        }
        return sb.toString();
    }

    private FuncType type(int index, String what) throws InvalidModuleException {
        if (index >= types.size()) {
            throw new InvalidModuleException(what + " refers to missing type " + index);
        }
        return types.get(index);
    }

    private void readFunctions(int[] range) throws InvalidModuleException {
        if (range == null) {
            return;
        }
        ByteReader r = new ByteReader(in, range[0], range[1]);
        int n = r.index();
        if (n + importedFuncs > Limits.MAX_FUNCTIONS) {
            throw new InvalidModuleException((n + importedFuncs) + " functions exceed cap " + Limits.MAX_FUNCTIONS);
        }
        for (int i = 0; i < n; i++) {
            int t = r.index();
            type(t, "function " + i);
            funcTypes.add(t);
        }
        expectEnd(r, "function");
    }

    private void readTable(int[] range) throws InvalidModuleException {
        if (range == null) {
            return;
        }
        ByteReader r = new ByteReader(in, range[0], range[1]);
        int n = r.index();
        if (n > 1) {
            throw new InvalidModuleException("at most one table");
        }
        if (n == 1) {
            if (r.u8() != 0x70) {
                throw new InvalidModuleException("table must hold funcref");
            }
            int flags = r.u8();
            int min = r.index();
            int max = flags == 0x01 ? r.index() : min;
            if (flags > 1 || min > Limits.MAX_TABLE_SIZE || max > Limits.MAX_TABLE_SIZE) {
                throw new InvalidModuleException("table limits exceed cap " + Limits.MAX_TABLE_SIZE);
            }
            hasTable = true;
        }
        expectEnd(r, "table");
    }

    private void readMemory(int[] range) throws InvalidModuleException {
        if (range == null) {
            return;
        }
        ByteReader r = new ByteReader(in, range[0], range[1]);
        int n = r.index();
        if (n > 1) {
            throw new InvalidModuleException("at most one memory");
        }
        if (n == 1) {
            int flags = r.u8();
            if (flags > 1) {
                throw new InvalidModuleException("shared or 64-bit memory not allowed");
            }
            int min = r.u32();
            long max = flags == 1 ? Integer.toUnsignedLong(r.u32()) : Long.MAX_VALUE;
            if (Integer.toUnsignedLong(min) > Limits.MAX_MEMORY_PAGES) {
                throw new InvalidModuleException("initial memory " + Integer.toUnsignedLong(min) + " pages exceeds cap " + Limits.MAX_MEMORY_PAGES);
            }
            if (max < min) {
                throw new InvalidModuleException("memory maximum below minimum");
            }
            hasMemory = true;
            memoryMin = min;
            memoryMax = (int) Math.min(max, Limits.MAX_MEMORY_PAGES);
        }
        expectEnd(r, "memory");
    }

    private void readGlobals(int[] range) throws InvalidModuleException {
        if (range == null) {
            return;
        }
        ByteReader r = new ByteReader(in, range[0], range[1]);
        int n = r.index();
        if (n > Limits.MAX_GLOBALS) {
            throw new InvalidModuleException(n + " globals exceed cap " + Limits.MAX_GLOBALS);
        }
        for (int i = 0; i < n; i++) {
            int t = valType(r.u8(), "global " + i);
            int mut = r.u8();
            if (mut > 1) {
                throw new InvalidModuleException("global " + i + " has bad mutability");
            }
            int op = r.u8();
            if (op == 0x41 && t == I32) {
                r.skipSigned(32);
            } else if (op == 0x42 && t == I64) {
                r.skipSigned(64);
            } else {
                throw new InvalidModuleException("global " + i + " initializer must be a constant of its type");
            }
            if (r.u8() != 0x0B) {
                throw new InvalidModuleException("global " + i + " initializer is not a single constant");
            }
        }
        definedGlobals = n;
        expectEnd(r, "global");
    }

    private void readExports(int[] range) throws InvalidModuleException {
        if (range == null) {
            return;
        }
        ByteReader r = new ByteReader(in, range[0], range[1]);
        int n = r.index();
        for (int i = 0; i < n; i++) {
            String name = r.name();
            int kind = r.u8();
            int index = r.index();
            if (name.startsWith(RESERVED_PREFIX)) {
                throw new InvalidModuleException("export name " + name + " is reserved");
            }
            if (kind == 0x02 && MEMORY_EXPORT.equals(name)) {
                memoryExported = true;
            }
            if (kind == 0x00 && index >= importedFuncs + funcTypes.size()) {
                throw new InvalidModuleException("export " + name + " refers to missing function " + index);
            }
        }
        expectEnd(r, "export");
    }

    private int exportCount(int[] range) throws InvalidModuleException {
        return range == null ? 0 : new ByteReader(in, range[0], range[1]).index();
    }

    private static void expectEnd(ByteReader r, String section) throws InvalidModuleException {
        if (!r.atEnd()) {
            throw new InvalidModuleException(section + " section has trailing bytes");
        }
    }

    private void copySection(ByteWriter out, int id, int[] range) {
        if (range != null) {
            out.u8(id).u32(range[1] - range[0]).bytes(in, range[0], range[1]);
        }
    }

    /** Copies a vector section's entries, without its count. */
    private void copyVectorBody(ByteWriter out, int[] range) throws InvalidModuleException {
        if (range != null) {
            ByteReader r = new ByteReader(in, range[0], range[1]);
            r.index();
            out.bytes(in, r.pos(), range[1]);
        }
    }

    // ---------------------------------------------------------------- code rewriting

    private ByteWriter rewriteCode(int[] range, int gasGlobal, int depthGlobal, int growFunc) throws InvalidModuleException {
        int n = 0;
        ByteReader r = null;
        if (range != null) {
            r = new ByteReader(in, range[0], range[1]);
            n = r.index();
        }
        if (n != funcTypes.size()) {
            throw new InvalidModuleException("code section has " + n + " bodies for " + funcTypes.size() + " functions");
        }
        ByteWriter code = new ByteWriter().u32(n + 1);
        for (int i = 0; i < n; i++) {
            int size = r.index();
            int start = r.pos();
            r.skip(size);
            ByteWriter body = new FunctionRewriter(in, start, start + size, i, types.get(funcTypes.get(i)).params.length,
                    types.get(funcTypes.get(i)).results, this::calleeExists, types.size(), definedGlobals,
                    hasMemory, hasTable, gasGlobal, depthGlobal, growFunc).rewrite();
            code.u32(body.size()).bytes(body.toByteArray());
        }
        if (range != null) {
            expectEnd(r, "code");
        }
        ByteWriter grow = new ByteWriter().u32(0)
                .u8(0x23).u32(gasGlobal)
                .u8(0x20).u32(0).u8(0xAD)
                .u8(0x42).s64(GasSchedule.MEMORY_GROW_PER_PAGE).u8(0x7E)
                .u8(0x7D).u8(0x24).u32(gasGlobal);
        FunctionRewriter.trapIfNegative(grow, gasGlobal);
        if (hasMemory) {
            grow.u8(0x20).u32(0).u8(0x40).u8(0x00);
        } else {
            grow.u8(0x41).s32(-1);
        }
        grow.u8(0x0B);
        code.u32(grow.size()).bytes(grow.toByteArray());
        return code;
    }

    private boolean calleeExists(int index) {
        return index >= 0 && index < importedFuncs + funcTypes.size();
    }
}
