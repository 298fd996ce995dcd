package io.bitquan.flow.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The writer's bytes equal java.io.DataOutputStream's big-endian encoding of the same fields, at any initial size. */
class CanonicalWriterTest {
    record Op(int kind, long value, byte[] bytes) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Arbitraries.integers().between(0, 4).flatMap(kind -> Arbitraries.longs().flatMap(v ->
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> new Op(kind, v, b))));
        return op.list().ofMaxSize(40);
    }

    @Provide
    Arbitrary<Integer> sizes() {
        return Arbitraries.integers().between(0, 600);
    }

    @Property(tries = 300)
    void sameBytesAsDataOutputStream(@ForAll("ops") List<Op> ops, @ForAll("sizes") int initial) throws IOException {
        CanonicalWriter w = new CanonicalWriter(initial);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream d = new DataOutputStream(expected);
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> {
                    w.u8((int) op.value());
                    d.writeByte((int) op.value());
                }
                case 1 -> {
                    w.i32((int) op.value());
                    d.writeInt((int) op.value());
                }
                case 2 -> {
                    w.i64(op.value());
                    d.writeLong(op.value());
                }
                case 3 -> {
                    w.fixed(op.bytes());
                    d.write(op.bytes());
                }
                default -> {
                    w.bytes(op.bytes());
                    d.writeInt(op.bytes().length);
                    d.write(op.bytes());
                }
            }
        }
        assertThat(w.toByteArray()).isEqualTo(expected.toByteArray());
    }

    /** An exactly sized writer hands over its buffer once; later calls and later writes never change it. */
    @Property(tries = 200)
    void aHandedOverBufferIsNeverWrittenAgain(@ForAll("ops") List<Op> ops, @ForAll("ops") List<Op> more) {
        CanonicalWriter sizing = new CanonicalWriter(0);
        write(sizing, ops);
        CanonicalWriter w = new CanonicalWriter(sizing.size());
        write(w, ops);
        byte[] first = w.toByteArray();
        byte[] copy = first.clone();
        byte[] second = w.toByteArray();
        assertThat(second).isEqualTo(copy).isNotSameAs(first);
        write(w, more);
        w.toByteArray();
        assertThat(first).isEqualTo(copy);
    }

    /**
     * {@code bytes(ByteBuffer)} writes what {@code bytes(Bytes.of(buffer))} writes, for a buffer that
     * is a window of a bigger array at any position, and leaves the buffer's position alone.
     */
    @Property(tries = 300)
    void aBufferIsWrittenAsItsCopy(@ForAll("ops") List<Op> ops, @ForAll("sizes") int initial, @ForAll("sizes") int pad) {
        CanonicalWriter viaBuffer = new CanonicalWriter(initial);
        CanonicalWriter viaCopy = new CanonicalWriter(initial);
        for (Op op : ops) {
            byte[] padded = new byte[pad + op.bytes().length + pad % 7];
            System.arraycopy(op.bytes(), 0, padded, pad, op.bytes().length);
            ByteBuffer window = ByteBuffer.wrap(padded, pad, op.bytes().length);
            if (op.kind() % 2 == 1) {
                window = window.slice(); // an array offset instead of a position
            }
            int position = window.position();
            viaBuffer.bytes(window);
            viaCopy.bytes(Bytes.of(window));
            assertThat(window.position()).isEqualTo(position);
            viaBuffer.i32((int) op.value());
            viaCopy.i32((int) op.value());
        }
        assertThat(viaBuffer.toByteArray()).isEqualTo(viaCopy.toByteArray());
    }

    /**
     * A reused writer (reset, written, read in place through {@code buffer()}) gives each use's bytes
     * exactly, and never writes into an array it handed out before.
     */
    @Property(tries = 200)
    void aResetWriterWritesEachUseAfresh(@ForAll("ops") List<Op> ops, @ForAll("ops") List<Op> more, @ForAll("sizes") int initial) {
        CanonicalWriter w = new CanonicalWriter(initial);
        write(w, more);
        byte[] handed = w.toByteArray();
        byte[] handedCopy = handed.clone();
        for (List<Op> use : List.of(ops, more, ops)) {
            w.reset();
            write(w, use);
            CanonicalWriter fresh = new CanonicalWriter(0);
            write(fresh, use);
            assertThat(java.util.Arrays.copyOf(w.buffer(), w.size())).isEqualTo(fresh.toByteArray());
        }
        assertThat(handed).isEqualTo(handedCopy);
    }

    private static void write(CanonicalWriter w, List<Op> ops) {
        for (Op op : ops) {
            switch (op.kind()) {
                case 0 -> w.u8((int) op.value());
                case 1 -> w.i32((int) op.value());
                case 2 -> w.i64(op.value());
                case 3 -> w.fixed(op.bytes());
                default -> w.bytes(op.bytes());
            }
        }
    }
}
