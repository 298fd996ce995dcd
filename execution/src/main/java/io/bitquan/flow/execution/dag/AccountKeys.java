package io.bitquan.flow.execution.dag;

import io.bitquan.flow.model.state.StateKey;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One prediction worker's account keys of the block so far (issue 11, round 14): a transfer whose
 * sender or recipient this worker already predicted in the block gets that key instance back
 * instead of a new one, and is told so, so its prediction skips the key's base read. Measured
 * (docs/PERFORMANCE.md, round 14): a transfer/10000 block has 20,001 accesses over 4,356 keys, and
 * for each repeated access the prediction built a key (80 bytes), hashed it, read the base (a
 * value the linker then ignored: only a key's first accessor's is used, {@link AccessDag#values})
 * and the linker compared its bytes with the interned key's. A reused instance is already
 * hashed, interns by identity ({@code Arrays.equals} of one array) and is in cache.
 *
 * <p>Why skipping the read is exact: a worker predicts its chunks in increasing block order (each
 * claims the next chunk), so a key found here was predicted for an earlier access of the same
 * block; the access asking now is not the key's first accessor, and the linker never uses its
 * value. A skipped read leaves the value "not read" (null), which any access may be: the run
 * reads a slot still null from the base. Nothing here reaches a result: only which equal,
 * immutable key instance an access holds and whether a value the linker drops is read.
 *
 * <p>Direct-mapped on the address's first 8 bytes, a key compared on its 32 address bytes before
 * it is reused: a block that aims its addresses at one slot only evicts (O(1) per access, no
 * probing), and a key found is equal to the one the transfer names, byte for byte. One per
 * prediction worker per block (block-scoped: the base changes between blocks); not thread-safe.
 */
final class AccountKeys {
    private static final int SLOTS = 1 << 10;
    private final StateKey[] keys = new StateKey[SLOTS];
    /** Whether the last {@link #key} call returned a key this worker had already predicted in the block. */
    private boolean seen;

    /** The account key of {@code address}'s 32 remaining bytes, this worker's earlier instance when there is one. */
    StateKey key(ByteBuffer address) {
        int pos = address.position();
        if (!address.hasArray()) {
            seen = false;
            return StateKey.account(address);
        }
        byte[] a = address.array();
        int from = address.arrayOffset() + pos;
        long head = address.getLong(pos);
        int slot = (int) (head ^ (head >>> 29) ^ (head >>> 47)) & (SLOTS - 1);
        StateKey held = keys[slot];
        if (held != null && Arrays.equals(held.encodedUnsafe(), 1, 1 + StateKey.ADDRESS_BYTES, a, from, from + StateKey.ADDRESS_BYTES)) {
            seen = true;
            return held;
        }
        StateKey made = StateKey.account(address);
        keys[slot] = made;
        seen = false;
        return made;
    }

    /** Whether the key the last {@link #key} call returned was predicted by this worker before in the block. */
    boolean seen() {
        return seen;
    }
}
