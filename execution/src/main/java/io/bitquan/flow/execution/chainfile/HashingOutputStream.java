package io.bitquan.flow.execution.chainfile;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Counts and hashes what reaches the file: the whole file, and the segment since the last
 * {@link #cut()}. Sits under Avro's own buffering, so a cut is exact only after the Avro writer
 * was flushed.
 */
final class HashingOutputStream extends FilterOutputStream {
    private final MessageDigest whole = sha256();
    private MessageDigest segment = sha256();
    private long count;

    HashingOutputStream(OutputStream out) {
        super(out);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        whole.update((byte) b);
        segment.update((byte) b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        whole.update(b, off, len);
        segment.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    /** SHA-256 (hex) of the bytes since the previous cut; starts the next segment. */
    String cut() {
        String sha = ChainManifest.hex(segment.digest());
        segment = sha256();
        return sha;
    }

    /** SHA-256 (hex) of everything written; call once, at the end. */
    String wholeSha256() {
        return ChainManifest.hex(whole.digest());
    }
}
