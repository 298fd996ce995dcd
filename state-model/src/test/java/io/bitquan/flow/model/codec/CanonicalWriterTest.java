package io.bitquan.flow.model.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
