package io.bitquan.flow.model.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.bouncycastle.crypto.digests.Blake3Digest;

/**
 * The multi-chunk hasher must be bit-identical to BLAKE3 (official vectors up to 7,169 bytes:
 * Blake3KnownAnswerTest) and to BouncyCastle's general digest, however the input is split into
 * updates, after a digest taken midway, and in a copy.
 */
class Blake3HasherTest {

    private static byte[] bouncyCastle(byte[] input, int from, int to) {
        Blake3Digest d = new Blake3Digest(256);
        d.update(input, from, to - from);
        byte[] out = new byte[32];
        d.doFinal(out, 0);
        return out;
    }

    private static byte[] random(int length, long seed) {
        byte[] input = new byte[length];
        new Random(seed).nextBytes(input);
        return input;
    }

    @Property(tries = 400)
    void equalsTheGeneralDigest(@ForAll @IntRange(min = 0, max = 9000) int length, @ForAll long seed) {
        byte[] input = random(length, seed);
        assertThat(Blake3Hasher.hash(input)).isEqualTo(bouncyCastle(input, 0, length));
        assertThat(Blake3.hash(input)).isEqualTo(bouncyCastle(input, 0, length));
    }

    /** Around the block and chunk edges, where the hasher decides what is final. */
    @Property(tries = 200)
    void equalsTheGeneralDigestAtEdges(@ForAll @IntRange(min = 0, max = 8) int chunks, @ForAll @IntRange(min = -2, max = 2) int delta,
                                       @ForAll @IntRange(min = 0, max = 16) int blocks, @ForAll long seed) {
        int length = Math.max(0, chunks * 1024 + blocks * 64 + delta);
        byte[] input = random(length, seed);
        assertThat(Blake3Hasher.hash(input)).isEqualTo(bouncyCastle(input, 0, length));
    }

    /** Any split into updates, a digest midway (the tx id) and a copy give the hashes of the prefix and the whole. */
    @Property(tries = 400)
    void splitUpdatesDigestMidwayAndCopy(@ForAll @IntRange(min = 0, max = 6000) int length, @ForAll long seed,
                                         @ForAll @IntRange(min = 0, max = 6000) int cut1, @ForAll @IntRange(min = 0, max = 6000) int cut2) {
        byte[] input = random(length, seed);
        int a = Math.min(cut1, length);
        int b = Math.max(a, Math.min(cut2, length));
        Blake3Hasher h = new Blake3Hasher().update(input, 0, a);
        assertThat(h.digest()).as("prefix").isEqualTo(bouncyCastle(input, 0, a));
        Blake3Hasher copy = new Blake3Hasher().update(random(100, seed + 1)).copyFrom(h);
        h.update(input, a, b - a);
        assertThat(h.digest()).as("middle").isEqualTo(bouncyCastle(input, 0, b));
        h.update(input, b, length - b);
        assertThat(h.digest()).as("whole").isEqualTo(bouncyCastle(input, 0, length));
        copy.update(input, a, length - a);
        assertThat(copy.digest()).as("copy").isEqualTo(bouncyCastle(input, 0, length));
        assertThat(h.reset().update(input).digest()).as("reset").isEqualTo(bouncyCastle(input, 0, length));
    }
}
