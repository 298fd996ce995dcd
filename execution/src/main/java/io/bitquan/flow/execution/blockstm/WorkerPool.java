package io.bitquan.flow.execution.blockstm;

import java.util.concurrent.CancellationException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one place that owns worker threads. A fixed set of {@code threads - 1} pool threads is
 * made once per engine (on its first parallel run) and reused for every block; {@link #run}
 * hands the same job to {@code parallelism} workers, the calling thread being worker 0, and
 * returns when all of them have returned.
 *
 * <p><b>Hand-off</b> (round 13). Each pool thread has one slot ({@link Worker#task}); the caller
 * writes the run into it and unparks the thread only if it has parked. A pool thread that finished
 * a job spins (then yields) on its slot for {@link #SPIN_NANOS} before parking, and the caller, once its own part
 * is done, spins on the run's count of unfinished workers for as long before parking: a block that
 * follows within that window (the job's executor, back to back) or a worker about to finish (the
 * workers of a scheduled block finish within microseconds of each other) needs no wake-up at all.
 * A thread past its spin parks, so an idle engine uses no CPU. Why not a
 * {@code ThreadPoolExecutor}: its queue parks and wakes through a lock and a condition, every run
 * paid a wake-up, and it has no spin. The slot protocol is Dekker's: the caller writes
 * {@code task} then reads {@code parked}; the thread writes {@code parked} then reads
 * {@code task} (all volatile), so at least one of them sees the other's write and no hand-off is
 * lost; likewise {@link Run#remaining} and {@link Run#waiting} for the way back.
 *
 * <p>Designed failure paths:
 * <ul>
 *   <li>A worker throws: the run's {@link Stop} flag is raised so the other workers leave their
 *       loops, and once all returned the first throwable is rethrown on the calling thread
 *       (unchecked as is, checked wrapped).</li>
 *   <li>The calling thread is interrupted while waiting: the flag is raised, the call still waits
 *       for the workers (they stop within one task), restores the interrupt status and throws
 *       {@link CancellationException}.</li>
 *   <li>{@link #close()}: no new runs ({@link RejectedExecutionException}); the threads leave
 *       their loops after the job in hand, if any, and are joined.</li>
 * </ul>
 * Runs are serialised (one caller at a time; each pool thread has one slot). Everything outside
 * this class is single-threaded per worker; workers share state only through the Scheduler and
 * MvMemory (or the dag run), whose fields document their own contracts.
 */
public final class WorkerPool implements AutoCloseable {
    /** Prefix of every worker thread's name; tests look for leaked threads by it. */
    public static final String THREAD_PREFIX = "bitquan-exec-";

    /**
     * How long an idle pool thread (and a caller waiting for its workers) spins before parking, ns.
     * Sized from the measured cost of the alternative (docs/PERFORMANCE.md, round 13): a parked
     * thread woken by the caller entered its job tens of microseconds later on an idle vCPU, and
     * milliseconds later when the kernel put it on the caller's vCPU; a spin of this length costs at
     * most this much CPU per block. {@code -Dbitquan.pool.spinMicros} overrides it (0: park at once).
     */
    static final long SPIN_NANOS = TimeUnit.MICROSECONDS.toNanos(Long.getLong("bitquan.pool.spinMicros", 200));
    /** Pure spins before a waiting thread starts yielding between checks (as the dag run's idle workers). */
    private static final int SPINS_BEFORE_YIELD = 64;

    private static final AtomicInteger POOLS = new AtomicInteger();

    private final int threads;
    private final String prefix;
    /**
     * {@link #SPIN_NANOS}, or 0 when the pool has more workers than the machine has processors:
     * there a spinning thread takes the processor a working one needs (the tests' 8 and 16).
     */
    private final long spinNanos;
    /** Pool threads, worker i + 1 at index i; made by the first run that needs them (under {@link #runs}). */
    private Worker[] workers;
    /** One run at a time: each pool thread has one slot. Held for the whole of {@link #run}. */
    private final ReentrantLock runs = new ReentrantLock();
    /** Set once by {@link #close}; read by pool threads in their idle loop and by {@link #run}. */
    private volatile boolean closed;

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
        this(threads, threads <= Runtime.getRuntime().availableProcessors() ? SPIN_NANOS : 0);
    }

    /** With a given spin before parking, ns (tests: 0 = every hand-off through park and unpark). */
    WorkerPool(int threads, long spinNanos) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        this.prefix = THREAD_PREFIX + POOLS.incrementAndGet() + "-";
        this.spinNanos = spinNanos;
    }

    public int threads() {
        return threads;
    }

    /** The name prefix of this pool's threads (unique per pool). */
    public String threadNamePrefix() {
        return prefix;
    }

    /**
     * Runs {@code job} on {@code parallelism} workers (at most {@link #threads()}) and waits for
     * all. The calling thread is worker 0 (no hand-off for it to wait on, and a 1-worker run
     * involves no other thread at all); workers 1.. run on the pool threads.
     */
    public void run(int parallelism, Job job) {
        int count = Math.max(1, Math.min(parallelism, threads));
        Thread caller = Thread.currentThread();
        Stop stop = new Stop(caller);
        if (count == 1) {
            runAlone(job, stop);
            return;
        }
        runs.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("worker pool closed");
            }
            if (workers == null) {
                start();
            }
            Run run = new Run(job, stop, count - 1, caller, spinNanos);
            for (int w = 1; w < count; w++) {
                workers[w - 1].hand(run, w);
            }
            try {
                job.run(0, stop);
            } catch (Throwable t) {
                run.fail(t);
            }
            boolean interrupted = caller.isInterrupted();
            if (interrupted) {
                stop.raise();
            }
            interrupted |= run.await();
            if (interrupted) {
                caller.interrupt();
                throw new CancellationException("block execution interrupted");
            }
            rethrow(run.failure.get());
        } finally {
            runs.unlock();
        }
    }

    /** A 1-worker run: the caller alone, no lock and no pool thread. */
    private static void runAlone(Job job, Stop stop) {
        Throwable failure = null;
        try {
            job.run(0, stop);
        } catch (Throwable t) {
            failure = t;
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("block execution interrupted");
        }
        rethrow(failure);
    }

    private static void rethrow(Throwable t) {
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

    private void start() {
        Worker[] made = new Worker[threads - 1];
        for (int i = 0; i < made.length; i++) {
            made[i] = new Worker(prefix + (i + 1));
            made[i].start();
        }
        workers = made;
    }

    /** Stops the threads and waits for them to end. Idempotent. */
    @Override
    public void close() {
        closed = true;
        runs.lock(); // a run in progress ends first; no run starts after this
        Worker[] started;
        try {
            started = workers;
        } finally {
            runs.unlock();
        }
        if (started == null) {
            return;
        }
        for (Worker w : started) {
            LockSupport.unpark(w);
        }
        try {
            for (Worker w : started) {
                w.join(TimeUnit.SECONDS.toMillis(30));
                if (w.isAlive()) {
                    throw new IllegalStateException("worker thread " + w.getName() + " did not stop within 30 s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until {@code deadline} (System.nanoTime) or until {@code ready} says so; true if ready.
     * A few spins, then {@link Thread#yield()} between checks: on a loaded machine the thread
     * waited for may share this vCPU, and a pure spin would hold the vCPU it needs until the
     * scheduler's slice ends; on an idle vCPU a yield returns at once.
     */
    private static boolean spinUntil(long deadline, java.util.function.BooleanSupplier ready) {
        for (int spins = 0; ; spins++) {
            if (ready.getAsBoolean()) {
                return true;
            }
            if (spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else if (System.nanoTime() - deadline >= 0) {
                return false;
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * One run handed to the pool: the job, its stop flag, the first failure, and the pool
     * workers not yet finished. {@code remaining} is decremented once by each pool worker after
     * its part (volatile read-modify-write: the caller that reads 0 sees everything the workers
     * wrote); {@code waiting} is written by the caller before it parks.
     */
    private static final class Run {
        final Job job;
        final Stop stop;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final AtomicInteger remaining;
        final Thread caller;
        final long spinNanos;
        volatile boolean waiting;

        Run(Job job, Stop stop, int poolWorkers, Thread caller, long spinNanos) {
            this.job = job;
            this.stop = stop;
            this.remaining = new AtomicInteger(poolWorkers);
            this.caller = caller;
            this.spinNanos = spinNanos;
        }

        void fail(Throwable t) {
            failure.compareAndSet(null, t);
            stop.raise();
        }

        /** A pool worker's part ended. */
        void finished() {
            if (remaining.decrementAndGet() == 0 && waiting) {
                LockSupport.unpark(caller);
            }
        }

        /** The caller waits for every pool worker: spin, then park. True if it was interrupted meanwhile. */
        boolean await() {
            boolean interrupted = false;
            if (spinUntil(System.nanoTime() + spinNanos, () -> remaining.get() == 0)) {
                return false;
            }
            waiting = true;
            while (remaining.get() != 0) {
                LockSupport.park(this);
                if (Thread.interrupted()) { // cleared so park blocks again; restored by run()
                    interrupted = true;
                    stop.raise();
                }
            }
            return interrupted;
        }
    }

    /** A pool thread: runs what is handed to its slot, spinning, then parked, in between. */
    private final class Worker extends Thread {
        /** The run handed to this thread and not yet taken (written by the caller, cleared by this thread). */
        private volatile Run task;
        /** This thread's index in the run handed with {@link #task} (written before it). */
        private int index;
        /** Whether this thread is parked or about to park: the caller then unparks it. */
        private volatile boolean parked;

        Worker(String name) {
            super(name);
            setDaemon(true);
        }

        void hand(Run run, int worker) {
            index = worker;
            task = run; // publishes index
            if (parked) {
                LockSupport.unpark(this);
            }
        }

        @Override
        public void run() {
            for (Run run; (run = take()) != null; ) {
                try {
                    run.job.run(index, run.stop);
                } catch (Throwable t) {
                    run.fail(t);
                } finally {
                    run.finished();
                }
            }
        }

        /** The next run (spinning first, then parked), or null once the pool is closed. */
        private Run take() {
            if (!spinUntil(System.nanoTime() + spinNanos, () -> task != null || closed)) {
                parked = true;
                while (task == null && !closed) {
                    LockSupport.park(this);
                    Thread.interrupted(); // nobody interrupts a pool thread to stop it (close() unparks): a stray flag must not turn park into a spin
                }
                parked = false;
            }
            Run run = task;
            task = null;
            return run; // a handed run is taken even when closing: close waits for runs to end
        }
    }
}
