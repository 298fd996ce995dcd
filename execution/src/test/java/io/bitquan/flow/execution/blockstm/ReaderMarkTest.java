package io.bitquan.flow.execution.blockstm;

import static org.assertj.core.api.Assertions.assertThat;

import io.bitquan.flow.model.state.StateKey;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The chain's reader mark with slack ({@link VersionChain#noteReader}, {@link VersionChain#readAbove},
 * round 11): a writer must never be told "nobody above you read this key" when somebody did (that
 * would skip a revalidation the paper requires), a transaction that alone reads and writes a key
 * must not be told it was read above (every first incarnation of a transfer would then make the
 * transactions above it revalidate), and a key that has been written is marked exactly (an AMM
 * pool, read and written by every transaction). The engine gates (differential properties, determinism,
 * {@link OptimisticOutputTest}, {@link CommutativeCreditsTest}) run the mark at 1, 2, 3, 8 and 16
 * workers.
 */
class ReaderMarkTest {
    private static VersionChain chain() {
        return new VersionChain(StateKey.account(new byte[32]));
    }

    @Test
    void aWriterBelowAnyReaderIsAlwaysToldSo() {
        Random random = new Random(5);
        for (int round = 0; round < 2_000; round++) {
            VersionChain c = chain();
            int readers = 1 + random.nextInt(round < 1_000 ? 6 : 60);
            int maxReader = -1;
            for (int i = 0; i < readers; i++) {
                // mostly rising (workers hand out indices in order), sometimes far below or above
                int r = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(200);
                    case 1 -> Math.max(0, maxReader - random.nextInt(3 * VersionChain.READER_SLACK));
                    default -> Math.max(0, maxReader) + random.nextInt(2 * VersionChain.READER_SLACK + 2);
                };
                c.noteReader(r);
                maxReader = Math.max(maxReader, r);
                if (random.nextInt(16) == 0) {
                    c.put(random.nextInt(200), VersionChain.Entry.value(0, null)); // from here on, exact marks
                }
            }
            for (int w = 0; w < maxReader; w++) {
                assertThat(c.readAbove(w)).as("round %d: reader %d above writer %d", round, maxReader, w).isTrue();
            }
            // Never more than the slack beyond the last real reader.
            assertThat(c.readAbove(maxReader + VersionChain.READER_SLACK)).as("round %d", round).isFalse();
        }
    }

    @Test
    void aLoneReaderWriterIsNotToldItWasReadAbove() {
        for (int tx : new int[] {0, 1, VersionChain.READER_SLACK - 1, VersionChain.READER_SLACK, 5_000}) {
            VersionChain c = chain();
            c.noteReader(tx);
            assertThat(c.readAbove(tx)).as("tx %d", tx).isFalse();
            if (tx >= 1) {
                assertThat(c.readAbove(tx - 1)).as("tx %d", tx).isTrue();
            }
        }
    }

    @Test
    void exactUntilAReaderSkipsTheMark() {
        VersionChain c = chain();
        c.noteReader(100);
        c.noteReader(100 + VersionChain.READER_SLACK + 1); // far enough above: raises the mark exactly
        assertThat(c.readAbove(100 + VersionChain.READER_SLACK + 1)).isFalse();
        assertThat(c.readAbove(100 + VersionChain.READER_SLACK)).isTrue();
        c.noteReader(100 + VersionChain.READER_SLACK + 3); // within the slack: leaves the mark, bounds the skip
        assertThat(c.readAbove(100 + VersionChain.READER_SLACK + 2)).isTrue();
        assertThat(c.readAbove(100 + VersionChain.READER_SLACK + 3)).isTrue(); // one too many, never one too few
        assertThat(c.readAbove(100 + 2 * VersionChain.READER_SLACK + 1)).isFalse();
    }

    @Test
    void aWrittenKeyIsMarkedExactly() {
        VersionChain c = chain();
        c.put(0, VersionChain.Entry.value(0, null));
        for (int r = 1; r <= 100; r++) {
            c.noteReader(r);
            assertThat(c.readAbove(r)).as("reader %d", r).isFalse();
            assertThat(c.readAbove(r - 1)).as("reader %d", r).isTrue();
        }
    }
}
