package io.bitquan.flow.execution.blockstm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one place that owns worker threads. A fixed pool is created once per engine and reused for
 * every block; {@link #run} hands the same job to {@code parallelism} workers and returns when
 * all of them have returned.
 *
 * <p>Designed failure paths:
 * <ul>
 *   <li>A worker throws: the run's {@link Stop} flag is raised so the other workers leave their
 *       loops, and once all returned the first throwable is rethrown on the calling thread
 *       (unchecked as is, checked wrapped).</li>
 *   <li>The calling thread is interrupted while waiting: the flag is raised, the call still waits
 *       for the workers (they stop within one task), restores the interrupt status and throws
 *       {@link CancellationException}.</li>
 *   <li>{@link #close()}: no new runs; threads are interrupted and joined.</li>
 * </ul>
 * Everything outside this class is single-threaded per worker; workers share state only through
 * the Scheduler and MvMemory, whose fields document their own contracts.
 */
public final class WorkerPool implements AutoCloseable {
    /** Prefix of every worker thread's name; tests look for leaked threads by it. */
    public static final String THREAD_PREFIX = "bitquan-exec-";

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final String prefix;
    private final ExecutorService executor;
    /**
     * The pool threads' run-queue wait summed over every run so far ({@link RunQueue}; 0 where it
     * cannot be read, and unless the payoff log is on): added by each worker as it leaves a job,
     * read by the calling thread after {@link #run} returned (the latch orders it). The payoff log
     * prints it per block.
     */
    private final AtomicLong workersQueued = new AtomicLong();
    /**
     * Pool workers that started a job on the vCPU the calling thread was on when it handed the
     * job out ({@link OnCpu}; payoff log only, else 0): added by each worker as it enters a job,
     * read by the calling thread after {@link #run} returned. A worker counted here shared the
     * caller's vCPU at least at its start (round 19).
     */
    private final AtomicLong workersOnCallersCpu = new AtomicLong();
    /** Every thread the factory made (written under its own lock by the executor), joined by close(). */
    private final java.util.List<Thread> created = java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    /**
     * A raised stop flag tells workers to leave their loop. Set by anyone, read by workers. The
     * calling thread runs worker 0 itself, so for it an interrupt also counts as raised.
     */
    public static final class Stop {
        private volatile boolean raised;
        private final Thread caller;

        public Stop() {
            this(null);
        }

        Stop(Thread caller) {
            this.caller = caller;
        }

        public boolean raised() {
            return raised || (caller != null && Thread.currentThread() == caller && caller.isInterrupted());
        }

        public void raise() {
            raised = true;
        }
    }

    /** One worker's body. {@code worker} is 0..parallelism-1. */
    @FunctionalInterface
    public interface Job {
        void run(int worker, Stop stop) throws Exception;
    }

    /** @param threads workers per run, the calling thread included (so {@code threads - 1} pool threads) */
    public WorkerPool(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.prefix = THREAD_PREFIX + POOLS.incrementAndGet() + "-";
        AtomicInteger n = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(() -> {
                try {
                    r.run();
                } finally {
                    RunQueue.release();
                    OnCpu.release();
                }
            }, prefix + n.incrementAndGet());
            t.setDaemon(true);
            created.add(t);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(Math.max(1, threads - 1), factory);
    }

    public int threads() {
        return threads;
    }

    /**
     * How long this pool's threads have waited in the run queue over all runs so far, ns (0 where
     * the OS does not say, and unless the payoff log is on): the difference across a block is the
     * time its pool workers were runnable but another task held the vCPU, including a woken
     * worker's wait to be run at all.
     */
    long workersQueuedNanos() {
        return workersQueued.get();
    }

    /** Pool workers so far that entered a job on the caller's vCPU (payoff log only, else 0). */
    long workersOnCallersCpu() {
        return workersOnCallersCpu.get();
    }

    /**
     * A thread's run-queue wait (Linux's {@code /proc/thread-self/schedstat}, second field: time
     * runnable but not running), for the payoff log. Round 18 (docs/PERFORMANCE.md): the
     * defaults' slow parallel token blocks, the ones that kept the payoff check in order, were
     * those whose two threads had waited about the block's wall in the queue (both workers on one
     * vCPU: round 13's one-vCPU blocks, the JIT's compiler threads or another process holding
     * the other), while a parallel block that waited under 2 ms ran as fast as the fallback-off
     * row; the file is the only place that says so. Each thread keeps its file open (reread from
     * the start, a few microseconds) and its last reading, so a pool thread's figure covers the
     * time from its previous job's end, when it parked, to this one's. Where the file cannot be
     * read, 0.
     */
    static final class RunQueue {
        /** This thread's clock, opened on its first read (a thread that never reads opens nothing). */
        private static final ThreadLocal<RunQueue> MINE = new ThreadLocal<>();
        private final RandomAccessFile file;
        private final byte[] buffer = new byte[64];
        private long last = -1;

        private RunQueue(RandomAccessFile file) {
            this.file = file;
        }

        private static RunQueue mine() {
            RunQueue q = MINE.get();
            if (q == null) {
                RandomAccessFile file;
                try {
                    file = new RandomAccessFile("/proc/thread-self/schedstat", "r");
                } catch (IOException | SecurityException e) {
                    file = null;
                }
                q = new RunQueue(file);
                MINE.set(q);
            }
            return q;
        }

        /** The calling thread's run-queue wait so far, ns (0 where unknown). */
        static long waitedNanos() {
            return mine().read();
        }

        /** The calling thread's run-queue wait since its previous call of this (0 on the first). */
        static long sinceLastRead() {
            RunQueue q = mine();
            long now = q.read();
            long since = q.last < 0 ? 0 : Math.max(0, now - q.last);
            q.last = now;
            return since;
        }

        /** Closes the calling thread's file, if it opened one (a pool thread, as it ends). */
        static void release() {
            RunQueue q = MINE.get();
            MINE.remove();
            if (q != null && q.file != null) {
                try {
                    q.file.close();
                } catch (IOException ignored) {
                    // nothing to do: the thread ends
                }
            }
        }

        private long read() {
            if (file == null) {
                return 0;
            }
            try {
                file.seek(0);
                int n = file.read(buffer);
                // "<ns on the CPU> <ns waiting in the run queue> <timeslices>\n"
                int i = 0;
                while (i < n && buffer[i] != ' ') {
                    i++;
                }
                long v = 0;
                for (i++; i < n && buffer[i] >= '0' && buffer[i] <= '9'; i++) {
                    v = v * 10 + (buffer[i] - '0');
                }
                return v;
            } catch (IOException e) {
                return 0;
            }
        }
    }

    /**
     * The vCPU a thread is on now (field 39 of Linux's {@code /proc/thread-self/stat}), for the
     * payoff log only (round 19): whether a woken pool worker started its job on the caller's
     * vCPU, the direct sign of round 18's one-vCPU blocks. Kept open per thread like
     * {@link RunQueue}; -1 where it cannot be read.
     */
    static final class OnCpu {
        private static final ThreadLocal<OnCpu> MINE = new ThreadLocal<>();
        /** Field 39 is the 37th field after the command name's closing parenthesis. */
        private static final int FIELDS_AFTER_NAME = 37;
        private final RandomAccessFile file;
        private final byte[] buffer = new byte[1024];

        private OnCpu(RandomAccessFile file) {
            this.file = file;
        }

        /** The calling thread's vCPU now, or -1 where unknown. */
        static int now() {
            OnCpu c = MINE.get();
            if (c == null) {
                RandomAccessFile file;
                try {
                    file = new RandomAccessFile("/proc/thread-self/stat", "r");
                } catch (IOException | SecurityException e) {
                    file = null;
                }
                c = new OnCpu(file);
                MINE.set(c);
            }
            return c.read();
        }

        /** Closes the calling thread's file, if it opened one. */
        static void release() {
            OnCpu c = MINE.get();
            MINE.remove();
            if (c != null && c.file != null) {
                try {
                    c.file.close();
                } catch (IOException ignored) {
                    // nothing to do: the thread ends
                }
            }
        }

        private int read() {
            if (file == null) {
                return -1;
            }
            try {
                file.seek(0);
                int n = file.read(buffer);
                return n <= 0 ? -1 : processor(buffer, n);
            } catch (IOException e) {
                return -1;
            }
        }

        /** The processor field of a stat line (the name may hold spaces and parentheses: counted from the last ')'). */
        static int processor(byte[] line, int n) {
            int i = n - 1;
            while (i >= 0 && line[i] != ')') {
                i--;
            }
            if (i < 0) {
                return -1;
            }
            for (int spaces = 0; i < n && spaces < FIELDS_AFTER_NAME; i++) {
                if (line[i] == ' ') {
                    spaces++;
                }
            }
            int v = 0;
            int digits = 0;
            for (; i < n && line[i] >= '0' && line[i] <= '9'; i++, digits++) {
                v = v * 10 + (line[i] - '0');
            }
            return digits == 0 ? -1 : v;
        }
    }

    /** The name prefix of this pool's threads (unique per pool). */
    public String threadNamePrefix() {
        return prefix;
    }

    /**
     * Runs {@code job} on {@code parallelism} workers (at most {@link #threads()}) and waits for
     * all. The calling thread is worker 0 (no hand-off for it to wait on, and a 1-worker run
     * involves no other thread at all); workers 1.. run on the pool.
     */
    public void run(int parallelism, Job job) {
        int workers = Math.max(1, Math.min(parallelism, threads));
        Stop stop = new Stop(Thread.currentThread());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch finished = new CountDownLatch(workers - 1);
        int callerCpu = PayoffLog.ON && workers > 1 ? OnCpu.now() : -1;
        for (int w = 1; w < workers; w++) {
            int worker = w;
            executor.execute(() -> {
                try {
                    if (callerCpu >= 0 && OnCpu.now() == callerCpu) {
                        workersOnCallersCpu.incrementAndGet();
                    }
                    job.run(worker, stop);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    stop.raise();
                } finally {
                    // since this thread's previous job: the wait to be run after the hand-off woke it
                    // (a parked thread does not wait in the queue) and any wait inside the job
                    if (PayoffLog.ON) {
                        workersQueued.addAndGet(RunQueue.sinceLastRead());
                    }
                    finished.countDown();
                }
            });
        }
        try {
            job.run(0, stop);
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
            stop.raise();
        }
        boolean interrupted = Thread.currentThread().isInterrupted();
        if (interrupted) {
            stop.raise();
        }
        while (true) {
            try {
                finished.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
                stop.raise();
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
            throw new CancellationException("block execution interrupted");
        }
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException("worker failed", t);
        }
    }

    /** Stops the threads and waits for them to end. Idempotent. */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("worker threads did not stop within 30 s");
            }
            // A terminated executor's last workers may still be on their way out: join them, so
            // that after close() no thread of this pool is alive.
            synchronized (created) {
                for (Thread t : created) {
                    t.join(TimeUnit.SECONDS.toMillis(30));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
