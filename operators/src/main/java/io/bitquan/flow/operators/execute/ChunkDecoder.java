package io.bitquan.flow.operators.execute;

import io.bitquan.flow.operators.model.BlockPart;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Decodes PREPARED chunks ({@link PreparedCandidate#decode}: Avro transactions, ids, hashes,
 * predicted keys) on a helper thread as they reach the executor, so that the serial task thread
 * finds a block's body decoded when the block's turn comes instead of decoding it then (a sixth
 * of its samples, round 8). Task thread only, except the pure decode itself.
 *
 * <p>Nothing here changes a result: the decode is a pure function of the chunk's bytes; a chunk
 * the helper has not started yet is taken back and decoded on the task thread (no waiting behind
 * a queue); a failed decode rethrows the very exception the task thread would have thrown
 * (ChainCore turns it into the same {@code tx-malformed} rejection); an interrupt while waiting
 * keeps waiting (an exception there would read as a malformed body: a different verdict). Chunks restored from a snapshot or
 * read from keyed state were never submitted: they decode on demand as before.
 */
final class ChunkDecoder implements AutoCloseable {
    private final Map<BlockPart, Future<PreparedCandidate.DecodedChunk>> running = new IdentityHashMap<>();
    private ExecutorService pool;

    /** Starts decoding {@code chunk} (a PREPARED part with transactions) on the helper thread. */
    void submit(BlockPart chunk) {
        if (chunk.kind != BlockPart.Kind.PREPARED || chunk.txs == null) {
            return;
        }
        if (pool == null) {
            pool = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "chunk-decode");
                t.setDaemon(true);
                return t;
            });
        }
        running.put(chunk, pool.submit(() -> PreparedCandidate.decode(chunk)));
    }

    /** {@code PreparedCandidate.decode(chunk)}: the helper's result, or decoded here. */
    PreparedCandidate.DecodedChunk take(BlockPart chunk) {
        Future<PreparedCandidate.DecodedChunk> f = running.remove(chunk);
        if (f == null || f.cancel(false)) {
            return PreparedCandidate.decode(chunk); // never submitted, or not started yet: decode here
        }
        try {
            return HelperResult.await(f, "chunk decode"); // a failure: the same exception a decode here would throw
        } catch (CancellationException e) {
            return PreparedCandidate.decode(chunk);
        }
    }

    /** Drops what is held for chain {@code chainId}'s units up to {@code seq} (blocks done, or stored undecoded). */
    void forgetThrough(String chainId, long seq) {
        for (Iterator<Map.Entry<BlockPart, Future<PreparedCandidate.DecodedChunk>>> it = running.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<BlockPart, Future<PreparedCandidate.DecodedChunk>> e = it.next();
            if (e.getKey().seq <= seq && e.getKey().chainId.equals(chainId)) {
                e.getValue().cancel(false);
                it.remove();
            }
        }
    }

    /** Chunks held (tests). */
    int held() {
        return running.size();
    }

    @Override
    public void close() {
        running.clear();
        if (pool != null) {
            pool.shutdownNow();
            pool = null;
        }
    }
}
