package io.bitquan.flow.model.commit;

import io.bitquan.flow.model.crypto.Blake3;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary Merkle root with domain separation (leaf = BLAKE3(0x00 | item), node = BLAKE3(0x01 |
 * left | right)). An odd node at the end of a level is carried up unchanged instead of being
 * paired with itself, which avoids Bitcoin's duplicate-leaf ambiguity (CVE-2012-2459).
 * The root of no items is 32 zero bytes.
 */
public final class MerkleRoot {
    private static final byte[] LEAF = {0x00};
    private static final byte[] NODE = {0x01};

    private MerkleRoot() {}

    public static byte[] of(List<byte[]> items) {
        if (items.isEmpty()) {
            return new byte[Blake3.HASH_BYTES];
        }
        List<byte[]> level = new ArrayList<>(items.size());
        for (byte[] item : items) {
            level.add(Blake3.hash(LEAF, item));
        }
        while (level.size() > 1) {
            List<byte[]> next = new ArrayList<>((level.size() + 1) / 2);
            for (int i = 0; i + 1 < level.size(); i += 2) {
                next.add(Blake3.hash(NODE, level.get(i), level.get(i + 1)));
            }
            if (level.size() % 2 == 1) {
                next.add(level.get(level.size() - 1));
            }
            level = next;
        }
        return level.get(0);
    }
}
