package io.bitquan.flow.execution.chainfile;

import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.ChainEvent;
import io.bitquan.flow.model.avro.Genesis;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.model.codec.Bytes;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.file.SeekableByteArrayInput;
import org.apache.avro.specific.SpecificDatumReader;

/**
 * Checks a chain directory against its manifest before anything is executed: the genesis file,
 * then every byte of the events file, segment by segment. The first damaged segment names the
 * last intact block before it; files from two different chains are reported with both ids.
 */
final class ChainVerifier {
    private static final int BUFFER = 1 << 16;

    private ChainVerifier() {}

    /** Reads genesis.avro and checks it is the genesis the manifest was written for. */
    static Genesis verifyGenesis(Path dir, ChainManifest manifest) throws ChainFileException {
        Path file = dir.resolve(ChainFiles.GENESIS);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ChainFileException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Genesis genesis = decodeGenesis(bytes);
        ChainConfig config = genesis == null ? null : config(file, genesis);
        if (config != null && !(config.chainId().equals(manifest.chainId())
                && ChainManifest.hex(config.genesisId()).equals(manifest.genesisId()))) {
            throw mismatch(dir, ChainFiles.GENESIS + " is", config.chainId(), ChainManifest.hex(config.genesisId()),
                    ChainFiles.EVENTS + " (per chain.manifest) was generated for", manifest.chainId(), manifest.genesisId());
        }
        ChainManifest.FileDigest expected = manifest.genesis();
        String sha = ChainManifest.hex(HashingOutputStream.sha256().digest(bytes));
        if (bytes.length < expected.bytes()) {
            throw new ChainFileException(file + " is " + (bytes.length == 0 ? "empty" : "truncated") + ": it has "
                    + bytes.length + " of " + expected.bytes() + " bytes (chain.manifest)");
        }
        if (bytes.length != expected.bytes() || !sha.equals(expected.sha256()) || genesis == null) {
            throw new ChainFileException(file + " is corrupt: " + bytes.length + " bytes with SHA-256 " + sha
                    + ", chain.manifest records " + expected.bytes() + " bytes with SHA-256 " + expected.sha256());
        }
        return genesis;
    }

    private static Genesis decodeGenesis(byte[] bytes) {
        try (DataFileStream<Genesis> in = new DataFileReader<>(new SeekableByteArrayInput(bytes),
                new SpecificDatumReader<>(Genesis.class))) {
            return in.hasNext() ? in.next() : null;
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            return null; // damaged (see checkFirstEventBelongs on OutOfMemoryError): the size and hash checks say how
        }
    }

    private static ChainConfig config(Path file, Genesis genesis) throws ChainFileException {
        try {
            return new ChainConfig(genesis);
        } catch (RuntimeException e) {
            throw new ChainFileException(file + " is not a valid genesis: " + e.getMessage(), e);
        }
    }

    /**
     * Checks events.avro byte for byte against the manifest. When the bytes differ, a look at the
     * first event: an events file copied from another chain is named as such, not as corruption.
     */
    static void verifyEvents(Path dir, ChainManifest manifest) throws ChainFileException {
        Path file = dir.resolve(ChainFiles.EVENTS);
        try {
            verifyBytes(file, manifest);
        } catch (ChainFileException damaged) {
            // Another chain's events (a different size; a flipped byte keeps the size and must
            // read as corruption, even inside block 1's parent hash): name both chains.
            if (sizeOf(file) != manifest.events().bytes()) {
                checkFirstEventBelongs(dir, file, manifest);
            }
            throw damaged;
        }
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static void verifyBytes(Path file, ChainManifest manifest) throws ChainFileException {
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new ChainFileException("cannot read " + file + ": " + e.getMessage(), e);
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), BUFFER)) {
            byte[] buffer = new byte[BUFFER];
            long offset = 0;
            LastGood good = new LastGood(0, 0);
            for (int i = -1; i < manifest.eventCount(); i++) {
                long end = i < 0 ? manifest.headerEnd() : manifest.segments().get(i).end();
                String expected = i < 0 ? manifest.headerSha256() : manifest.segments().get(i).sha256();
                MessageDigest digest = HashingOutputStream.sha256();
                while (offset < end) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, end - offset));
                    if (n < 0) {
                        throw new ChainFileException(file + " is " + (size == 0 ? "empty" : "truncated") + ": it has "
                                + size + " of " + manifest.events().bytes() + " bytes; " + good);
                    }
                    digest.update(buffer, 0, n);
                    offset += n;
                }
                if (!ChainManifest.hex(digest.digest()).equals(expected)) {
                    long start = i <= 0 ? (i < 0 ? 0 : manifest.headerEnd()) : manifest.segments().get(i - 1).end();
                    String what = i < 0 ? "the Avro header" : "event #" + i + " (block height " + manifest.segments().get(i).height() + ")";
                    throw new ChainFileException(file + " is corrupt in bytes " + start + ".." + end + ", " + what
                            + ", which differ from chain.manifest; " + good);
                }
                good = new LastGood(i < 0 ? 0 : manifest.segments().get(i).height(), end);
            }
            if (size > manifest.events().bytes()) {
                throw new ChainFileException(file + " has " + (size - manifest.events().bytes())
                        + " bytes after the last event recorded in chain.manifest; " + good);
            }
        } catch (ChainFileException e) {
            throw e;
        } catch (IOException e) {
            throw new ChainFileException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The last block known intact; height 0 is the genesis (no event intact). */
    record LastGood(long height, long offset) {
        @Override
        public String toString() {
            return "last good block is height " + height + (height == 0 ? " (genesis)" : "") + " at byte offset " + offset;
        }
    }

    private static void checkFirstEventBelongs(Path dir, Path file, ChainManifest manifest) throws ChainFileException {
        ChainEvent first;
        try (DataFileReader<ChainEvent> in = new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(ChainEvent.class))) {
            if (!in.hasNext()) {
                return;
            }
            first = in.next();
        } catch (IOException | RuntimeException | OutOfMemoryError e) {
            // Damaged or empty: the byte check's message stands. A damaged length can make Avro
            // attempt one huge array; that allocation fails on its own, without using the memory.
            return;
        }
        Object e = first.getEvent();
        if (e instanceof BlockConnected c) {
            String chainId = c.getBlock().getHeader().getChainId();
            boolean firstBlock = c.getBlock().getHeader().getHeight() == 1;
            String parent = ChainManifest.hex(Bytes.of(c.getBlock().getHeader().getParentHash()));
            if (!chainId.equals(manifest.chainId()) || (firstBlock && !parent.equals(manifest.genesisId()))) {
                throw mismatch(dir, ChainFiles.EVENTS + " was generated for", chainId,
                        firstBlock ? parent : "unknown (first event is not block 1)", ChainFiles.GENESIS + " is",
                        manifest.chainId(), manifest.genesisId());
            }
        } else if (e instanceof BlockDisconnected d && !d.getChainId().equals(manifest.chainId())) {
            throw mismatch(dir, ChainFiles.EVENTS + " was generated for", d.getChainId(), "unknown", ChainFiles.GENESIS + " is",
                    manifest.chainId(), manifest.genesisId());
        }
    }

    private static ChainFileException mismatch(Path dir, String what, String chainId, String genesisId,
                                               String other, String otherChainId, String otherGenesisId) {
        return new ChainFileException("chain directory " + dir + " mixes two chains: " + what + " chain '" + chainId
                + "' genesis id " + genesisId + ", but " + other + " chain '" + otherChainId + "' genesis id "
                + otherGenesisId + " (use the genesis.avro generated with these events)");
    }
}
