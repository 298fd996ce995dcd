package io.bitquan.flow.execution.analysis;

import io.bitquan.flow.model.state.StateKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * 64-bit fingerprints of state keys and a last-writer table over them, for
 * {@link DependencyAnalyzer#analyze}: the contention sample runs once per block on the calling
 * thread, in front of every block, and building a {@code StateKey} (an array, a copy, a 31-
 * polynomial hash) plus a boxed {@code HashMap} entry per access was most of its cost. A
 * fingerprint mixes the whole canonical encoding (the tag, then big-endian 8-byte words, then a
 * trailing 4-byte word), so {@link #of(StateKey)} and the direct forms over transaction fields
 * agree for the same key. Two distinct keys share a fingerprint with probability about 2^-64;
 * that would only add a predicted dependency (a performance hint: waits, the fallback decision,
 * the schedule's worker count), never change a result.
 */
final class KeyPrints {
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final int ACCOUNT_TAG = StateKey.account(new byte[StateKey.ADDRESS_BYTES]).encodedUnsafe()[0] & 0xFF;
    private static final int UTXO_TAG = StateKey.utxo(new byte[32], 0).encodedUnsafe()[0] & 0xFF;

    private KeyPrints() {}

    private static long start(int tag) {
        return (tag + 1) * 0x9E3779B97F4A7C15L;
    }

    private static long add(long h, long word) {
        return Long.rotateLeft(h ^ word, 29) * 0xBF58476D1CE4E5B9L;
    }

    private static long finish(long h) {
        h ^= h >>> 31;
        h *= 0x94D049BB133111EBL;
        h ^= h >>> 29;
        return h == 0 ? 1 : h; // 0 marks an empty table slot
    }

    static long of(StateKey key) {
        byte[] e = key.encodedUnsafe();
        long h = start(e[0] & 0xFF);
        int at = 1;
        for (; at + 8 <= e.length; at += 8) {
            h = add(h, (long) LONG_BE.get(e, at));
        }
        if (at + 4 <= e.length) {
            h = add(h, (int) INT_BE.get(e, at) & 0xFFFFFFFFL);
        }
        return finish(h);
    }

    private static long word(ByteBuffer b, int at) {
        long v = b.getLong(at);
        return b.order() == ByteOrder.BIG_ENDIAN ? v : Long.reverseBytes(v);
    }

    /** {@code of(StateKey.account(address))} for an address of exactly 32 remaining bytes. */
    static long account(ByteBuffer address) {
        int p = address.position();
        long h = start(ACCOUNT_TAG);
        for (int i = 0; i < 32; i += 8) {
            h = add(h, word(address, p + i));
        }
        return finish(h);
    }

    /** {@code of(StateKey.utxo(txId, index))} for a txId of exactly 32 remaining bytes. */
    static long utxo(ByteBuffer txId, int index) {
        int p = txId.position();
        long h = start(UTXO_TAG);
        for (int i = 0; i < 32; i += 8) {
            h = add(h, word(txId, p + i));
        }
        return finish(add(h, index & 0xFFFFFFFFL));
    }

    /** {@code of(StateKey.utxo(txId, index))} for a 32-byte txId. */
    static long utxo(byte[] txId, int index) {
        long h = start(UTXO_TAG);
        for (int i = 0; i < 32; i += 8) {
            h = add(h, (long) LONG_BE.get(txId, i));
        }
        return finish(add(h, index & 0xFFFFFFFFL));
    }

    /** Last writer per fingerprint: open addressing, linear probing, grows at half full. */
    static final class LastWriters {
        private long[] prints;
        private int[] writers;
        private int size;

        LastWriters(int expected) {
            int capacity = Integer.highestOneBit(Math.max(16, expected * 2) - 1) << 1;
            prints = new long[capacity];
            writers = new int[capacity];
        }

        private static int slot(long print, int mask) {
            return (int) (print ^ (print >>> 32)) & mask;
        }

        /** The last writer of {@code print}, or -1. */
        int get(long print) {
            int mask = prints.length - 1;
            for (int i = slot(print, mask); ; i = (i + 1) & mask) {
                long p = prints[i];
                if (p == print) {
                    return writers[i];
                }
                if (p == 0) {
                    return -1;
                }
            }
        }

        void put(long print, int writer) {
            if (size * 2 >= prints.length) {
                grow();
            }
            int mask = prints.length - 1;
            for (int i = slot(print, mask); ; i = (i + 1) & mask) {
                long p = prints[i];
                if (p == print) {
                    writers[i] = writer;
                    return;
                }
                if (p == 0) {
                    prints[i] = print;
                    writers[i] = writer;
                    size++;
                    return;
                }
            }
        }

        private void grow() {
            long[] oldPrints = prints;
            int[] oldWriters = writers;
            prints = new long[oldPrints.length * 2];
            writers = new int[oldPrints.length * 2];
            size = 0;
            for (int i = 0; i < oldPrints.length; i++) {
                if (oldPrints[i] != 0) {
                    put(oldPrints[i], oldWriters[i]);
                }
            }
        }
    }

    /** A growable list of fingerprints, reused across transactions. */
    static final class Prints {
        long[] values = new long[8];
        int count;
        /** Whether the transaction these prints came from has a complete prediction. */
        boolean complete = true;

        void clear() {
            count = 0;
        }

        void add(long print) {
            if (count == values.length) {
                values = Arrays.copyOf(values, count * 2);
            }
            values[count++] = print;
        }
    }
}
