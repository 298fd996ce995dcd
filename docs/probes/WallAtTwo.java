// Probe (not a test), issue 11 round 20: the warm two-worker WALL time of one predicted-schedule block itemised per
// worker (branch xfer20). PredictedRun at two workers on the pool (what the engine runs with the fallback off), the
// sequential engine alternated with it rep by rep; every output checked against sequential. With
// -Dbitquan.dag.phases=true the dag marks where each worker is (Phases): job entry, own prediction chunks done,
// graph in hand, linking done / run start, run loop left; the run loop's idle waits are summed by cause (below the
// linked bound, or the cursor at the block's end while the other's stack still runs). At each mark this probe reads the
// thread's clock, /proc/thread-self/schedstat (on-CPU ns, run-queue ns) and the vCPU (/proc/thread-self/stat field 39).
// Per worker (w0 = the calling thread, w1 = the pool thread), medians over the recorded reps, ms:
//   start   job entry - the caller's pool.run (w1: the hand-off's wake-up)
//   predict entry -> own chunks done
//   graph   -> graph in hand (the last predictor builds it; the other waits for it)
//   link    -> run start (the linker links the whole graph and sorts the writable keys; the other: nothing)
//   run     -> run loop left; of it "w.bound" idle below the linked bound, "w.tail" idle at the block's end
//   writes  -> job left (the write objects made), "end" -> pool.run returned in the caller; collect (caller)
// each with the thread's CPU and run-queue wait in the same interval; then how often the two workers were on one vCPU.
// Blocks are also split by whether either worker waited >= 1 ms in the run queue in the block ("queued" blocks).
// Run (after `mvn -B -q -o -DskipTests package -pl jobs -am`):
//   J=jobs/target/bitquan-flow.jar; mkdir -p /tmp/xfer20-probe && javac -cp $J -d /tmp/xfer20-probe docs/probes/WallAtTwo.java docs/probes/KeyCosts.java docs/probes/Ledger.java
//   BITQUAN_CACHE=$PWD/target/key-cache .bench/measure java -Xms4g -Xmx4g -Xss4m -XX:+AlwaysPreTouch -Dbitquan.dag.phases=true \
//       -cp /tmp/xfer20-probe:$J io.bitquan.flow.execution.dag.WallAtTwo transfer:10000 400 200 [ab]
// A fourth argument `ab` (only on commits 97617fe and its successor, which had the owner-computes run, since reverted)
// alternated that run with the shared cursor rep by rep; on this code it runs the default twice (an A/A check of the spread).
package io.bitquan.flow.execution.dag;

import io.bitquan.flow.execution.bench.BenchWorkload;
import io.bitquan.flow.execution.blockstm.WorkerPool;
import io.bitquan.flow.execution.engine.BlockOutput;
import io.bitquan.flow.execution.engine.SequentialEngine;
import java.io.RandomAccessFile;
import java.util.Arrays;

public class WallAtTwo {
    static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();
    /** Marks: Phases' five, then the job's end (6 in all). */
    static final int END = Phases.MARKS;
    static final int POINTS = END + 1;

    /** One thread's /proc files, kept open. */
    static final class Proc {
        final RandomAccessFile sched;
        final RandomAccessFile stat;
        final byte[] buf = new byte[1024];

        Proc() throws Exception {
            sched = new RandomAccessFile("/proc/thread-self/schedstat", "r");
            stat = new RandomAccessFile("/proc/thread-self/stat", "r");
        }

        /** into[0] on-CPU ns, into[1] run-queue ns. */
        void sched(long[] into) throws Exception {
            sched.seek(0);
            int n = sched.read(buf);
            int i = 0;
            for (int f = 0; f < 2; f++) {
                long v = 0;
                while (i < n && buf[i] >= '0' && buf[i] <= '9') {
                    v = v * 10 + (buf[i++] - '0');
                }
                into[f] = v;
                i++;
            }
        }

        int cpu() throws Exception {
            stat.seek(0);
            int n = stat.read(buf);
            int i = n - 1;
            while (i >= 0 && buf[i] != ')') {
                i--;
            }
            for (int spaces = 0; i < n && spaces < 37; i++) {
                if (buf[i] == ' ') {
                    spaces++;
                }
            }
            int v = 0;
            for (; i < n && buf[i] >= '0' && buf[i] <= '9'; i++) {
                v = v * 10 + (buf[i] - '0');
            }
            return v;
        }
    }

    static final ThreadLocal<Proc> PROC = ThreadLocal.withInitial(() -> {
        try {
            return new Proc();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    });

    /** One block's record: per worker, per point, wall / CPU / queue / vCPU; waits by cause; executed. */
    static final class Rec implements Phases.Recorder {
        final long[][] wall = new long[2][POINTS];
        final long[][] cpu = new long[2][POINTS];
        final long[][] queue = new long[2][POINTS];
        final int[][] vcpu = new int[2][POINTS];
        final long[][] waits = new long[2][3];
        final long[] tmp0 = new long[2];
        final long[] tmp1 = new long[2];

        void reset() {
            for (int w = 0; w < 2; w++) {
                Arrays.fill(wall[w], 0);
                Arrays.fill(waits[w], 0);
                Arrays.fill(vcpu[w], -1);
            }
        }

        @Override
        public void mark(int worker, int phase) {
            try {
                Proc p = PROC.get();
                long[] t = worker == 0 ? tmp0 : tmp1;
                wall[worker][phase] = System.nanoTime();
                cpu[worker][phase] = MX.getCurrentThreadCpuTime(); // schedstat's on-CPU time is stale until the next tick
                p.sched(t);
                queue[worker][phase] = t[1];
                vcpu[worker][phase] = p.cpu();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void waited(int worker, int why, long nanos) {
            waits[worker][why] += nanos;
        }
    }

    /** One variant's figures over the recorded reps. */
    static final class Stats {
        final String name;
        final int reps;
        // columns per worker: 0 start, 1 predict, 2 graph, 3 link, 4 run, 5 writes, then w.bound, w.tail, executed
        final long[][][] wallCols;
        final long[][][] cpuCols;
        final long[][][] queueCols;
        final long[] endGap;
        final long[] collect;
        final long[] block;
        final long[] bothCpu;
        final boolean[] queued;
        int sameAtEntry;
        int sameAtRun;
        int sameAtRan;
        int moved;

        Stats(String name, int reps) {
            this.name = name;
            this.reps = reps;
            wallCols = new long[2][9][reps];
            cpuCols = new long[2][6][reps];
            queueCols = new long[2][6][reps];
            endGap = new long[reps];
            collect = new long[reps];
            block = new long[reps];
            bothCpu = new long[reps];
            queued = new boolean[reps];
        }
    }

    public static void main(String[] args) throws Exception {
        if (!Phases.ON) {
            throw new IllegalStateException("run with -Dbitquan.dag.phases=true");
        }
        int reps = Integer.parseInt(args[1]);
        int warm = args.length > 2 ? Integer.parseInt(args[2]) : 200;
        // "ab": PredictedRun's default alternated rep by rep with its shared cursor (owned=false); else the default alone
        boolean ab = args.length > 3 && args[3].equals("ab");
        Rec rec = new Rec();
        Phases.recorder = rec;
        try (WorkerPool pool = new WorkerPool(2)) {
            for (String spec : args[0].split(",")) {
                KeyCosts.Setup s = KeyCosts.setup(BenchWorkload.parse(spec));
                SequentialEngine seq = new SequentialEngine(s.vm());
                BlockOutput expected = seq.execute(s.ctx(), s.txs(), s.base());
                long[] seqWall = new long[reps];
                long[] seqCpu = new long[reps];
                Stats[] variants = ab ? new Stats[] {new Stats("default, A", reps), new Stats("default, B", reps)}
                        : new Stats[] {new Stats("default", reps)};
                for (int r = -warm; r < reps; r++) {
                    long sc0 = MX.getCurrentThreadCpuTime();
                    long s0 = System.nanoTime();
                    check(seq.execute(s.ctx(), s.txs(), s.base()), expected, "sequential");
                    long s1 = System.nanoTime();
                    long sc1 = MX.getCurrentThreadCpuTime();
                    if (r >= 0) {
                        seqWall[r] = s1 - s0;
                        seqCpu[r] = sc1 - sc0;
                    }
                    for (int k = 0; k < variants.length; k++) {
                        int v = (r & 1) == 0 ? k : variants.length - 1 - k; // alternate which variant goes first
                        PredictedRun run = new PredictedRun(s.ctx(), s.txs(), s.base(), s.vm(), 2);
                        one(pool, run, rec, expected, variants[v], r);
                    }
                }
                System.out.printf("%s: %d reps after %d warm-up; sequential wall %.3f ms (CPU %.3f)%n", spec, reps, warm, med(seqWall), med(seqCpu));
                for (Stats st : variants) {
                    print(st, seqWall, seqCpu);
                }
                if (ab) {
                    System.out.printf("per-rep ratio of block wall, %s / %s: %.3fx; of both workers' CPU: %.3fx%n",
                            variants[0].name, variants[1].name, medRatio(variants[0].block, variants[1].block),
                            medRatio(variants[0].bothCpu, variants[1].bothCpu));
                }
            }
        }
    }

    /** One block at two workers, recorded into {@code st} at rep {@code r} (unless a warm-up rep). */
    static void one(WorkerPool pool, PredictedRun run, Rec rec, BlockOutput expected, Stats st, int r) {
        rec.reset();
        long t0 = System.nanoTime();
        pool.run(2, (w, stop) -> {
            run.work(w, stop);
            rec.mark(w, END);
        });
        long t1 = System.nanoTime();
        BlockOutput o = run.collect(pool, 2);
        long t2 = System.nanoTime();
        check(o, expected, "2w " + st.name);
        if (r < 0) {
            return;
        }
        st.block[r] = t2 - t0;
        st.collect[r] = t2 - t1;
        st.endGap[r] = t1 - Math.max(rec.wall[0][END], rec.wall[1][END]);
        boolean q = false;
        long cpuSum = 0;
        int[] order = {Phases.ENTRY, Phases.PREDICTED, Phases.GRAPH, Phases.RUN, Phases.RAN, END};
        for (int w = 0; w < 2; w++) {
            long[] at = rec.wall[w];
            // a worker that marks nothing between two points (it found the run done) shows 0 there
            long prev = t0;
            for (int k = 0; k < 6; k++) {
                long p = at[order[k]] == 0 ? prev : at[order[k]];
                st.wallCols[w][k][r] = p - prev;
                prev = p;
            }
            st.wallCols[w][6][r] = rec.waits[w][Phases.WAIT_BOUND];
            st.wallCols[w][7][r] = rec.waits[w][Phases.WAIT_TAIL];
            st.wallCols[w][8][r] = rec.waits[w][Phases.EXECUTED] * 1_000_000; // shown as a count
            for (int k = 1; k < 6; k++) {
                int a = order[k - 1];
                int b = order[k];
                if (at[a] != 0 && at[b] != 0) {
                    st.cpuCols[w][k][r] = rec.cpu[w][b] - rec.cpu[w][a];
                    st.queueCols[w][k][r] = rec.queue[w][b] - rec.queue[w][a];
                }
            }
            long jobCpu = rec.cpu[w][END] - rec.cpu[w][Phases.ENTRY];
            long jobQueue = rec.queue[w][END] - rec.queue[w][Phases.ENTRY];
            st.cpuCols[w][0][r] = jobCpu;
            st.queueCols[w][0][r] = jobQueue;
            cpuSum += jobCpu;
            q |= jobQueue >= 1_000_000;
            for (int k = 1; k < POINTS; k++) {
                if (rec.vcpu[w][k] >= 0 && rec.vcpu[w][k] != rec.vcpu[w][Phases.ENTRY]) {
                    st.moved++;
                    break;
                }
            }
        }
        st.bothCpu[r] = cpuSum;
        st.queued[r] = q;
        st.sameAtEntry += rec.vcpu[0][Phases.ENTRY] == rec.vcpu[1][Phases.ENTRY] ? 1 : 0;
        st.sameAtRun += rec.vcpu[0][Phases.RUN] >= 0 && rec.vcpu[0][Phases.RUN] == rec.vcpu[1][Phases.RUN] ? 1 : 0;
        st.sameAtRan += rec.vcpu[0][Phases.RAN] >= 0 && rec.vcpu[0][Phases.RAN] == rec.vcpu[1][Phases.RAN] ? 1 : 0;
    }

    static void print(Stats st, long[] seqWall, long[] seqCpu) {
        int reps = st.reps;
        System.out.printf("== %s: block wall %.3f ms (pool.run + collect), both workers' job CPU %.3f ms (%.2fx sequential's), (CPU / 2) %.3f ms; "
                        + "seq/2w per rep %.3fx%n", st.name, med(st.block), med(st.bothCpu), med(st.bothCpu) / med(seqCpu), med(st.bothCpu) / 2,
                medRatio(seqWall, st.block));
        String[] names = {"start", "predict", "graph", "link", "run", "writes", "w.bound", "w.tail", "executed"};
        System.out.printf("%-8s | %-34s | %-34s%n", "ms", "w0 (caller): wall / CPU / queue", "w1 (pool): wall / CPU / queue");
        for (int k = 0; k < 9; k++) {
            StringBuilder line = new StringBuilder(String.format("%-8s", names[k]));
            for (int w = 0; w < 2; w++) {
                if (k == 8) {
                    line.append(String.format(" | %-34s", String.format("%.0f tx", med(st.wallCols[w][k]))));
                } else if (k >= 1 && k <= 5) {
                    line.append(String.format(" | %8.3f / %8.3f / %8.3f    ", med(st.wallCols[w][k]), med(st.cpuCols[w][k]), med(st.queueCols[w][k])));
                } else {
                    line.append(String.format(" | %8.3f                          ", med(st.wallCols[w][k])));
                }
            }
            System.out.println(line);
        }
        System.out.printf("%-8s | %8s / %8.3f / %8.3f    | %8s / %8.3f / %8.3f%n", "job", "", med(st.cpuCols[0][0]), med(st.queueCols[0][0]),
                "", med(st.cpuCols[1][0]), med(st.queueCols[1][0]));
        System.out.printf("end gap (last job end -> pool.run returned) %.3f ms; collect %.3f ms%n", med(st.endGap), med(st.collect));
        System.out.printf("one vCPU for both: at entry %d, at run start %d, at run end %d of %d blocks; a worker changed vCPU in the block: %d worker-blocks%n",
                st.sameAtEntry, st.sameAtRun, st.sameAtRan, reps, st.moved);
        int nq = 0;
        for (boolean b : st.queued) {
            nq += b ? 1 : 0;
        }
        long[] qb = new long[Math.max(1, nq)];
        long[] fb = new long[Math.max(1, reps - nq)];
        long[] qs = new long[Math.max(1, nq)];
        long[] fs = new long[Math.max(1, reps - nq)];
        for (int r = 0, i = 0, j = 0; r < reps; r++) {
            if (st.queued[r]) {
                qs[i] = seqWall[r];
                qb[i++] = st.block[r];
            } else {
                fs[j] = seqWall[r];
                fb[j++] = st.block[r];
            }
        }
        System.out.printf("blocks where a worker waited >= 1 ms in the run queue: %d of %d, block wall %.3f ms (seq %.3f); the others %.3f ms (seq %.3f)%n",
                nq, reps, med(qb), med(qs), med(fb), med(fs));
        long[] sorted = st.block.clone();
        Arrays.sort(sorted);
        System.out.printf("block wall quantiles (ms): p10 %.3f p25 %.3f p50 %.3f p75 %.3f p90 %.3f%n",
                sorted[reps / 10] / 1e6, sorted[reps / 4] / 1e6, sorted[reps / 2] / 1e6, sorted[3 * reps / 4] / 1e6, sorted[9 * reps / 10] / 1e6);
    }

    static double med(long[] v) {
        long[] c = v.clone();
        Arrays.sort(c);
        return c[c.length / 2] / 1e6;
    }

    static double medRatio(long[] a, long[] b) {
        long[] r = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[i] * 1_000_000 / Math.max(1, b[i]);
        }
        return med(r);
    }

    static void check(BlockOutput got, BlockOutput expected, String what) {
        if (!got.writes().equals(expected.writes()) || !got.outcomes().equals(expected.outcomes())) {
            throw new AssertionError(what + " differs from sequential");
        }
    }
}
