package io.bitquan.flow.execution.generator;

import io.bitquan.flow.model.codec.Bytes;
import io.bitquan.flow.model.codec.CanonicalReader;
import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.crypto.KeyPair;
import io.bitquan.flow.model.crypto.SignatureScheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Deterministic key pools: key i of (scheme, seed) comes from the 32-byte seed
 * BLAKE3("bitquan/key" | scheme | seed | i). ML-DSA key generation costs ~0.5 ms a key, so pools
 * are cached on disk ({@code $BITQUAN_CACHE}, else {@code ~/.cache/bitquan-flow}); the cache only
 * saves time: a missing or damaged file is regenerated, and the keys are always the same.
 */
public final class KeyPool {
    private final KeyPair[] keys;
    private final byte[][] addresses;

    private KeyPool(KeyPair[] keys) {
        this.keys = keys;
        this.addresses = new byte[keys.length][];
        for (int i = 0; i < keys.length; i++) {
            addresses[i] = keys[i].address();
        }
    }

    public static KeyPool load(SignatureScheme scheme, long seed, int size) {
        return load(scheme, seed, size, defaultCacheDir());
    }

    public static KeyPool load(SignatureScheme scheme, long seed, int size, Path cacheDir) {
        Path file = cacheDir == null ? null : cacheDir.resolve("keys-" + scheme.id() + "-" + Long.toHexString(seed) + "-" + size + ".bin");
        if (file != null && Files.isRegularFile(file)) {
            try {
                KeyPair[] cached = read(Files.readAllBytes(file), scheme, size);
                // Spot-check that the cache matches the derivation: a stale file is regenerated.
                if (Arrays.equals(cached[size - 1].publicKey(), scheme.keyPairFromSeed(keySeed(scheme, seed, size - 1)).publicKey())) {
                    return new KeyPool(cached);
                }
            } catch (IOException | RuntimeException damaged) {
                // fall through and regenerate
            }
        }
        KeyPair[] keys = IntStream.range(0, size).parallel()
                .mapToObj(i -> scheme.keyPairFromSeed(keySeed(scheme, seed, i)))
                .toArray(KeyPair[]::new);
        if (file != null) {
            try {
                Files.createDirectories(cacheDir);
                Path tmp = Files.createTempFile(cacheDir, "keys", ".tmp");
                Files.write(tmp, write(keys));
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException unwritable) {
                // A read-only home only costs time.
            }
        }
        return new KeyPool(keys);
    }

    static byte[] keySeed(SignatureScheme scheme, long seed, int index) {
        byte[] input = new CanonicalWriter(64).string(scheme.id()).i64(seed).i32(index).toByteArray();
        return Blake3.hash("bitquan/key".getBytes(StandardCharsets.US_ASCII), input);
    }

    public static Path defaultCacheDir() {
        String env = System.getenv("BITQUAN_CACHE");
        if (env != null && !env.isBlank()) {
            return Paths.get(env);
        }
        return Paths.get(System.getProperty("user.home"), ".cache", "bitquan-flow");
    }

    private static byte[] write(KeyPair[] keys) {
        CanonicalWriter w = new CanonicalWriter(keys.length * 6100);
        w.i32(keys.length);
        for (KeyPair k : keys) {
            w.bytes(k.publicKey()).bytes(k.privateKey());
        }
        return w.toByteArray();
    }

    private static KeyPair[] read(byte[] data, SignatureScheme scheme, int size) {
        CanonicalReader r = new CanonicalReader(data);
        if (r.i32() != size) {
            throw new IllegalArgumentException("key cache size mismatch");
        }
        KeyPair[] keys = new KeyPair[size];
        for (int i = 0; i < size; i++) {
            keys[i] = new KeyPair(scheme, r.bytes(), r.bytes());
        }
        r.expectEnd();
        return keys;
    }

    public KeyPair get(int index) {
        return keys[index];
    }

    public byte[] address(int index) {
        return addresses[index];
    }

    public int size() {
        return keys.length;
    }

    public List<KeyPair> all() {
        return List.of(keys);
    }

    @Override
    public String toString() {
        return "KeyPool(" + keys.length + " keys, first " + Bytes.hex(addresses[0]).substring(0, 8) + ")";
    }
}
