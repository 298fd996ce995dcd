package io.bitquan.flow.operators.execute;

import io.bitquan.flow.model.chain.BlockHashes;
import io.bitquan.flow.model.commit.MerkleSubtrees;
import io.bitquan.flow.model.crypto.Blake3;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Not a test (no assertion, never run by surefire): what the tx root costs on the executor's
 * serial thread before (hashing every transaction: {@code BlockHashes.txRoot}) and after (combining
 * the preparers' subtree roots: {@code MerkleSubtrees.combine}), and what the preparers pay for
 * their tiles ({@code MerkleSubtrees.roots}), per transaction, as thread CPU time (moves much less
 * than wall time on a busy machine), the three interleaved after a warm-up. Blocks of 501 tx hashes
 * in 4 chunks of 126, 126, 126, 123: the job's split at parallelism 2.
 *
 * <pre>
 * mvn -B -q -pl operators -am test-compile dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt
 * java -cp operators/target/test-classes:operators/target/classes:$(cat /tmp/cp.txt) \
 *   io.bitquan.flow.operators.execute.TxRootCost [reps]
 * </pre>
 */
public final class TxRootCost {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final int TXS = 501;
    private static final int CHUNK = 126;

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int blocks = 100;
        List<List<byte[]>> hashes = new ArrayList<>();
        for (int b = 0; b < blocks; b++) {
            List<byte[]> h = new ArrayList<>(TXS);
            for (int i = 0; i < TXS; i++) {
                h.add(Blake3.hash(new byte[] {(byte) b, (byte) i, (byte) (i >> 8)}));
            }
            hashes.add(h);
        }
        List<int[]> ranges = new ArrayList<>();
        for (int first = 0; first < TXS; first += CHUNK) {
            ranges.add(new int[] {first, Math.min(CHUNK, TXS - first)});
        }
        List<List<List<byte[]>>> tiles = new ArrayList<>();
        for (List<byte[]> h : hashes) {
            tiles.add(tiles(h, ranges));
            if (!Arrays.equals(MerkleSubtrees.combine(TXS, ranges, tiles.get(tiles.size() - 1)), BlockHashes.txRoot(h))) {
                throw new AssertionError("combined root differs");
            }
        }
        long[] sums = new long[3];
        for (int rep = -10; rep < reps; rep++) {
            long t0 = CPU.getCurrentThreadCpuTime();
            for (List<byte[]> h : hashes) {
                sink ^= BlockHashes.txRoot(h)[0];
            }
            long t1 = CPU.getCurrentThreadCpuTime();
            for (List<List<byte[]>> t : tiles) {
                sink ^= MerkleSubtrees.combine(TXS, ranges, t)[0];
            }
            long t2 = CPU.getCurrentThreadCpuTime();
            for (List<byte[]> h : hashes) {
                sink ^= tiles(h, ranges).get(0).get(0)[0];
            }
            long t3 = CPU.getCurrentThreadCpuTime();
            if (rep >= 0) {
                sums[0] += t1 - t0;
                sums[1] += t2 - t1;
                sums[2] += t3 - t2;
            }
        }
        double perTx = 1e3 * reps * blocks * TXS;
        System.out.printf("executor before, hashing every tx (BlockHashes.txRoot): %.3f us/tx%n", sums[0] / perTx);
        System.out.printf("executor after, combining 4 chunks' tiles (MerkleSubtrees.combine): %.3f us/tx%n", sums[1] / perTx);
        System.out.printf("preparers, their tiles (MerkleSubtrees.roots, all chunks): %.3f us/tx%n", sums[2] / perTx);
        System.out.println("(sink " + sink + ")");
    }

    private static int sink;

    private static List<List<byte[]>> tiles(List<byte[]> h, List<int[]> ranges) {
        List<List<byte[]>> out = new ArrayList<>();
        for (int[] r : ranges) {
            out.add(MerkleSubtrees.roots(r[0], h.subList(r[0], r[0] + r[1])));
        }
        return out;
    }
}
