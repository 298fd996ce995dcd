package io.bitquan.flow.operators.prepare;

import io.bitquan.flow.execution.chain.AssumeValid;
import io.bitquan.flow.model.chain.ChainConfig;
import io.bitquan.flow.operators.model.BlockPart;
import io.bitquan.flow.operators.model.Blobs;
import io.bitquan.flow.operators.model.ChainCatalog;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.async.ResultFuture;
import org.apache.flink.streaming.api.functions.async.RichAsyncFunction;

/**
 * {@link TxPreparer} as an async stage (Flink's ordered async wait operator): the preparer task
 * only takes chunks off the network and hands them to one verification pool per JVM, shared by
 * every preparer subtask of that TaskManager, so whichever pool thread is free verifies the next
 * chunk of either subtask.
 *
 * <p>Why: chunks are routed by index ({@code EvenPartitioner}), so the sequencer writes chunk 2 to
 * the preparer that holds chunk 0. A preparer verifying a chunk (~19 ms for 125 ML-DSA
 * transactions) reads no input meanwhile; its channel fills (a ~690 KB chunk is ~22 network
 * buffers of 32 KB), the sequencer blocks mid-record on it, and the other preparer runs dry:
 * 19-24 % idle while the sequencer was back-pressured ~86 % of its time (docs/PERFORMANCE.md,
 * round 14). With the checks on a shared pool the input is drained at once (up to the operator's
 * capacity) and neither thread waits while the other's chunk is queued.
 *
 * <p>Results are the same: {@link TxPreparer#prepare} is a pure function of the chunk, the
 * ordered operator emits a subtask's results in its input order, and the executor reassembles by
 * sequence number anyway. In-flight chunks are part of the operator's checkpointed state (Flink
 * re-runs them after a restore), so exactly-once holds. No timeout: a check never fails by time.
 */
public final class AsyncTxPreparer extends RichAsyncFunction<BlockPart, BlockPart> {
    private static final long serialVersionUID = 1L;

    private final ChainCatalog catalog;
    private final AssumeValid assumeValid;
    private transient Counter verified;

    public AsyncTxPreparer(ChainCatalog catalog, AssumeValid assumeValid) {
        this.catalog = catalog;
        this.assumeValid = assumeValid;
    }

    @Override
    public void open(OpenContext context) {
        verified = TxPreparer.preparedCounter(getRuntimeContext().getMetricGroup());
    }

    @Override
    public void asyncInvoke(BlockPart chunk, ResultFuture<BlockPart> result) {
        verified.inc(Blobs.ranges(chunk.txs).length / 2); // on the task thread: Flink counters are not thread-safe
        ChainConfig config = catalog.config(chunk.chainId); // on the task thread: the catalog's lock stays uncontended
        Pool.SHARED.execute(() -> {
            BlockPart out;
            try {
                out = TxPreparer.prepare(chunk, config, assumeValid);
            } catch (Throwable t) {
                result.completeExceptionally(t); // fails the task, as a throwing map() did
                return;
            }
            result.complete(List.of(out));
        });
    }

    /** One pool per JVM (a TaskManager), a thread per core: daemon threads, never shut down. */
    static final class Pool {
        static final ExecutorService SHARED = create(Runtime.getRuntime().availableProcessors());

        private Pool() {}

        static ExecutorService create(int threads) {
            AtomicInteger n = new AtomicInteger();
            return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
                // "tx-preparer-pool-N": the bench's thread table groups it beside the preparer tasks
                Thread t = new Thread(r, "tx-preparer-pool-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
    }
}
