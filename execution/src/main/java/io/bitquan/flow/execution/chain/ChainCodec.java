package io.bitquan.flow.execution.chain;

import io.bitquan.flow.model.codec.CanonicalReader;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.rules.Rule;
import io.bitquan.flow.model.state.StateChange;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Byte encodings of what the chain core stores, for stores that keep bytes (Flink keyed state,
 * savepoints). Canonical encodings, VERSION 1 each; a layout change gets a new state name.
 */
public final class ChainCodec {
    private ChainCodec() {}

    public static byte[] tip(ChainTip t) {
        return new CanonicalWriter(64).i64(t.height()).bytes(t.id()).i64(t.arrivals()).i32(t.storedCount())
                .i64(t.storedBytes()).toByteArray();
    }

    public static ChainTip tip(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes);
        ChainTip t = new ChainTip(r.i64(), r.bytes(), r.i64(), r.i32(), r.i64());
        r.expectEnd();
        return t;
    }

    public static byte[] entry(IndexEntry e) {
        CanonicalWriter w = new CanonicalWriter(64).i64(e.height()).bytes(e.parentId()).u8(e.status().ordinal());
        w.bool(e.rule() != null);
        if (e.rule() != null) {
            w.bytes(e.rule().id().getBytes(StandardCharsets.UTF_8));
            w.bytes((e.reason() == null ? "" : e.reason()).getBytes(StandardCharsets.UTF_8));
        }
        return w.toByteArray();
    }

    public static IndexEntry entry(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes);
        long height = r.i64();
        byte[] parent = r.bytes();
        IndexEntry.Status status = IndexEntry.Status.values()[r.u8()];
        Rule rule = null;
        String reason = null;
        if (r.bool()) {
            rule = Rule.fromId(new String(r.bytes(), StandardCharsets.UTF_8));
            reason = new String(r.bytes(), StandardCharsets.UTF_8);
        }
        r.expectEnd();
        return new IndexEntry(height, parent, status, rule, reason);
    }

    public static byte[] stored(StoredBlock s) {
        return new CanonicalWriter(64).i64(s.height()).bytes(s.parentId()).i64(s.arrival()).i32(s.size()).bool(s.waiting())
                .toByteArray();
    }

    public static StoredBlock stored(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes);
        StoredBlock s = new StoredBlock(r.i64(), r.bytes(), r.i64(), r.i32(), r.bool());
        r.expectEnd();
        return s;
    }

    public static byte[] undo(UndoRecord u) {
        return undo(u, changes(u.changes()));
    }

    /** {@link #undo(UndoRecord)} with the record's changes already encoded by {@link #changes(List)} (encoded once, used twice). */
    public static byte[] undo(UndoRecord u, byte[] encodedChanges) {
        int size = 8 + 4 + u.headerId().length + 4 + u.parentId().length + 4 + encodedChanges.length;
        return new CanonicalWriter(size).i64(u.height()).bytes(u.headerId()).bytes(u.parentId())
                .bytes(encodedChanges).toByteArray();
    }

    public static UndoRecord undo(byte[] bytes) {
        CanonicalReader r = new CanonicalReader(bytes);
        UndoRecord u = new UndoRecord(r.i64(), r.bytes(), r.bytes(), changes(r.bytes()));
        r.expectEnd();
        return u;
    }

    /** State changes: count, then per change key, old present + old, new present + new. */
    public static byte[] changes(List<StateChange> changes) {
        return changes(changes, new byte[changes.size()][], new byte[changes.size()][]);
    }

    /**
     * {@link #changes(List)} with values whose encodings the caller already holds (the executor:
     * the bytes it read from and wrote to its state), so no value is encoded a second time.
     * {@code oldEncoded[i]} / {@code newEncoded[i]} are {@code changes.get(i)}'s old / new value's
     * {@link StateValue#encode()} bytes, or null where the caller has none (encoded here, into the
     * array). Presence is the value's, never the array's. Sized exactly: one allocation, no copy.
     */
    public static byte[] changes(List<StateChange> changes, byte[][] oldEncoded, byte[][] newEncoded) {
        int n = changes.size();
        long size = 4;
        for (int i = 0; i < n; i++) {
            StateChange c = changes.get(i);
            size += 4 + c.key().encodedUnsafe().length + 1 + 1;
            if (c.oldValue() != null) {
                if (oldEncoded[i] == null) {
                    oldEncoded[i] = c.oldValue().encode();
                }
                size += 4 + oldEncoded[i].length;
            }
            if (c.newValue() != null) {
                if (newEncoded[i] == null) {
                    newEncoded[i] = c.newValue().encode();
                }
                size += 4 + newEncoded[i].length;
            }
        }
        CanonicalWriter w = new CanonicalWriter(Math.toIntExact(size));
        w.i32(n);
        for (int i = 0; i < n; i++) {
            StateChange c = changes.get(i);
            change(w, c.key(), c.oldValue() == null ? null : oldEncoded[i], c.newValue() == null ? null : newEncoded[i]);
        }
        return w.toByteArray();
    }

    /**
     * One change of a {@link #changes(List)} encoding (after its count): the key, then the old and
     * the new value's {@link StateValue#encode()} bytes (null: absent). For a writer that encodes
     * changes as it makes them (the executor's state writes) and must match {@link #changes} byte
     * for byte.
     */
    public static void change(CanonicalWriter w, StateKey key, byte[] oldEncoded, byte[] newEncoded) {
        w.bytes(key.encodedUnsafe());
        value(w, oldEncoded);
        value(w, newEncoded);
    }

    private static void value(CanonicalWriter w, byte[] encoded) {
        w.bool(encoded != null);
        if (encoded != null) {
            w.bytes(encoded);
        }
    }

    public static List<StateChange> changes(byte[] bytes) {
        if (bytes == null) {
            return List.of();
        }
        CanonicalReader r = new CanonicalReader(bytes);
        int n = r.i32();
        List<StateChange> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            StateKey key = StateKey.decode(r.bytes());
            StateValue oldValue = r.bool() ? StateValue.decode(key.kind(), r.bytes()) : null;
            StateValue newValue = r.bool() ? StateValue.decode(key.kind(), r.bytes()) : null;
            out.add(new StateChange(key, oldValue, newValue));
        }
        r.expectEnd();
        return out;
    }
}
