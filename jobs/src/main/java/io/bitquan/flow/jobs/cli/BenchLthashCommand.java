package io.bitquan.flow.jobs.cli;

import io.bitquan.flow.model.codec.CanonicalWriter;
import io.bitquan.flow.model.commit.LtHash;
import io.bitquan.flow.model.commit.LtHashReference;
import io.bitquan.flow.model.crypto.Blake3;
import io.bitquan.flow.model.state.AccountState;
import io.bitquan.flow.model.state.StateKey;
import io.bitquan.flow.model.state.StateValue;
import io.bitquan.flow.model.state.StorageValue;
import io.bitquan.flow.model.state.UtxoEntry;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench lthash}: the LtHash element hash (BLAKE3 XOF of 2048 bytes, added into the 1024
 * lanes) per implementation, all measured in one run, interleaved rep by rep so that machine noise
 * hits every candidate alike; medians over the reps. The reference is the first implementation
 * ({@link LtHashReference}); the last line {@code lthash/reference=<ratio>} is the as-built
 * {@link LtHash} over it. Every candidate's lattice is checked equal to the reference's before
 * anything is printed, so a fast wrong candidate fails instead of winning.
 */
@Command(name = "lthash", mixinStandardHelpOptions = true,
        description = "LtHash element hashes/s: the as-built LtHash against the first implementation and BouncyCastle, one run.")
public final class BenchLthashCommand implements Callable<Integer> {

    @Option(names = "--elements", defaultValue = "4096", description = "entries hashed per rep (accounts, UTXOs, storage slots)")
    int elements;

    @Option(names = "--reps", defaultValue = "15", description = "measured reps per candidate (the median is printed)")
    int reps;

    @Option(names = "--warmup", defaultValue = "5", description = "unmeasured reps per candidate first (JIT)")
    int warmup;

    @Option(names = "--seed", defaultValue = "1")
    long seed;

    /** One implementation: hashes every entry into a fresh lattice and returns its bytes. */
    private record Candidate(String name, String what, java.util.function.Function<Entry[], byte[]> run) {}

    private record Entry(StateKey key, StateValue value) {}

    @Override
    public Integer call() {
        if (elements < 1) {
            throw new Main.UserError("--elements must be at least 1 (got " + elements + ")");
        }
        PrintStream out = System.out;
        Entry[] entries = entries(elements, new Random(seed));
        List<Candidate> candidates = List.of(
                new Candidate("reference", "first LtHash: schedule-table XOF into an int[512], then short lanes", BenchLthashCommand::reference),
                new Candidate("bouncycastle", "BouncyCastle Blake3Digest XOF (general), then packed lanes", BenchLthashCommand::bouncyCastle),
                new Candidate("as-built", "LtHash: unrolled XOF on int locals, blocks streamed into packed lanes", BenchLthashCommand::asBuilt));
        byte[] expected = reference(entries);
        for (Candidate c : candidates) {
            if (!Arrays.equals(c.run.apply(entries), expected)) {
                throw new IllegalStateException(c.name + " differs from the reference lattice");
            }
        }
        int inputBytes = 0;
        for (Entry e : entries) {
            inputBytes += 8 + e.key.encodedUnsafe().length + e.value.encode().length;
        }
        out.printf("bench lthash: %d elements per rep (mean element input %d bytes, XOF output %d bytes), %d warm-up + %d reps, interleaved, %d cores, %s%n",
                elements, inputBytes / elements, LtHash.BYTES, warmup, reps, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        for (int r = 0; r < warmup; r++) {
            for (Candidate c : candidates) {
                c.run.apply(entries);
            }
        }
        long[][] nanos = new long[candidates.size()][reps];
        for (int r = 0; r < reps; r++) {
            // Rotate the order each rep so no candidate always runs right after the same one.
            for (int k = 0; k < candidates.size(); k++) {
                int c = (k + r) % candidates.size();
                long start = System.nanoTime();
                candidates.get(c).run.apply(entries);
                nanos[c][r] = System.nanoTime() - start;
            }
        }
        double referenceRate = 0;
        double asBuiltRate = 0;
        out.println();
        out.println("| implementation | element hashes/s (median) | MB/s of XOF output | min..max hashes/s | vs reference | what |");
        out.println("|---|---|---|---|---|---|");
        for (int c = 0; c < candidates.size(); c++) {
            long[] sorted = nanos[c].clone();
            Arrays.sort(sorted);
            double median = rate(sorted[sorted.length / 2]);
            if (c == 0) {
                referenceRate = median;
            }
            if (candidates.get(c).name.equals("as-built")) {
                asBuiltRate = median;
            }
            out.printf("| %s | %,.0f | %,.1f | %,.0f..%,.0f | %.2fx | %s |%n", candidates.get(c).name, median,
                    median * LtHash.BYTES / 1e6, rate(sorted[sorted.length - 1]), rate(sorted[0]), median / referenceRate,
                    candidates.get(c).what);
        }
        out.println();
        out.printf("lthash/reference=%.2f%n", asBuiltRate / referenceRate);
        return 0;
    }

    private double rate(long nanos) {
        return elements / (nanos / 1e9);
    }

    /** A state-change mix as the chain produces it: a third accounts, a third UTXOs, a third storage slots. */
    private static Entry[] entries(int n, Random random) {
        List<Entry> list = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] a = new byte[32];
            byte[] b = new byte[32];
            random.nextBytes(a);
            random.nextBytes(b);
            list.add(switch (i % 3) {
                case 0 -> new Entry(StateKey.account(a), new AccountState(random.nextInt(1 << 30), random.nextInt(1000)));
                case 1 -> new Entry(StateKey.utxo(a, random.nextInt(4)), new UtxoEntry(random.nextInt(1 << 30), random.nextInt(100_000), false, b));
                default -> new Entry(StateKey.storage(a, b), new StorageValue(Arrays.copyOf(a, 32)));
            });
        }
        return list.toArray(Entry[]::new);
    }

    private static byte[] reference(Entry[] entries) {
        LtHashReference lattice = new LtHashReference();
        for (Entry e : entries) {
            lattice.add(e.key, e.value);
        }
        return lattice.toBytes();
    }

    private static byte[] asBuilt(Entry[] entries) {
        LtHash lattice = new LtHash();
        for (Entry e : entries) {
            lattice.add(e.key, e.value);
        }
        return lattice.toBytes();
    }

    private static byte[] bouncyCastle(Entry[] entries) {
        LtHash lattice = new LtHash();
        for (Entry e : entries) {
            byte[] k = e.key.encodedUnsafe();
            byte[] v = e.value.encode();
            byte[] input = new CanonicalWriter(k.length + v.length + 8).bytes(k).bytes(v).toByteArray();
            lattice.add(LtHash.fromBytes(Blake3.xof(input, LtHash.BYTES)));
        }
        return lattice.toBytes();
    }
}
