package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.avro.BlockHeader;
import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.codec.Bytes;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Assume-valid replay (Bitcoin Core's {@code -assumevalid}, docs/ASSUME-VALID.md): the blocks
 * whose signature checks may be skipped, i.e. the assume-valid block and its ancestors in the
 * known header tree. Every other rule, the tx root against the header (which commits to every
 * signature: a tx's hash covers its full encoding), execution and the state root are checked as
 * usual; a block not in this set is fully verified.
 *
 * <p>Computed headers-first, before any body is processed, so the decision is known when a block
 * (or a job's chunk) is prepared: an immutable value, the same on every preparer. Exact by
 * construction: a header id is the BLAKE3 of the header, which names its parent, so walking
 * parent links from the assume-valid id reaches only its true ancestors; the walk stops at the
 * first header not known (genesis, or a gap), which can only make the set smaller, never admit a
 * block that is not an ancestor.
 *
 * <p>Held as the sorted concatenation of 32-byte ids (compact in a job graph, deterministic,
 * binary-searched); 1 M blocks would be 32 MB.
 */
public final class AssumeValid implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int ID = 32;

    /** Nothing is skipped: full verification. */
    public static final AssumeValid NONE = new AssumeValid(new byte[0]);

    /** Sorted, distinct 32-byte ids, concatenated. */
    private final byte[] ids;

    private AssumeValid(byte[] ids) {
        this.ids = ids;
    }

    /** Whether this block's signatures are assumed valid (it is an ancestor of, or is, an assume-valid block). */
    public boolean skipsSignatures(byte[] blockId) {
        if (blockId == null || blockId.length != ID) {
            return false;
        }
        int lo = 0;
        int hi = size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = java.util.Arrays.compareUnsigned(ids, mid * ID, mid * ID + ID, blockId, 0, ID);
            if (c == 0) {
                return true;
            }
            if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return false;
    }

    /** Blocks in the set. */
    public int size() {
        return ids.length / ID;
    }

    public boolean isEmpty() {
        return ids.length == 0;
    }

    /** Parses a 32-byte block id in hex (64 characters); the message of the exception is one line for the CLI. */
    public static byte[] parseId(String hex) {
        String h = hex.strip();
        if (h.length() != 2 * ID || !h.chars().allMatch(ch -> Character.digit(ch, 16) >= 0)) {
            throw new IllegalArgumentException("--assume-valid must be a 32-byte block id in hex (64 hex digits), got '" + hex + "'");
        }
        return Bytes.fromHex(h.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The known header tree (id to parent id), fed headers in any order; then {@link #ancestorsOf}.
     * Not thread-safe: one scan fills it.
     */
    public static final class Headers {
        private final Map<ByteBuffer, byte[]> parentById = new HashMap<>();

        public Headers add(BlockHeader header) {
            return add(BlockHashes.headerId(header), Bytes.of(header.getParentHash()));
        }

        public Headers add(byte[] id, byte[] parentId) {
            parentById.put(ByteBuffer.wrap(id.clone()), parentId.clone());
            return this;
        }

        public boolean knows(byte[] id) {
            return parentById.containsKey(ByteBuffer.wrap(id));
        }

        public int count() {
            return parentById.size();
        }

        /**
         * The targets and all their known ancestors. A target that is not a known header
         * contributes nothing (the caller says so: nothing of its chain is skipped).
         */
        public AssumeValid ancestorsOf(List<byte[]> targets) {
            Set<ByteBuffer> seen = new HashSet<>();
            for (byte[] target : targets) {
                ByteBuffer id = ByteBuffer.wrap(target);
                // seen.add guards against re-walking a shared prefix (and any impossible cycle)
                while (parentById.containsKey(id) && seen.add(id)) {
                    id = ByteBuffer.wrap(parentById.get(id));
                }
            }
            List<byte[]> sorted = new ArrayList<>(seen.size());
            for (ByteBuffer b : seen) {
                sorted.add(Bytes.of(b.duplicate()));
            }
            sorted.sort(java.util.Arrays::compareUnsigned);
            byte[] out = new byte[sorted.size() * ID];
            for (int i = 0; i < sorted.size(); i++) {
                System.arraycopy(sorted.get(i), 0, out, i * ID, ID);
            }
            return new AssumeValid(out);
        }

        public AssumeValid ancestorsOf(byte[] target) {
            return ancestorsOf(List.of(target));
        }
    }
}
