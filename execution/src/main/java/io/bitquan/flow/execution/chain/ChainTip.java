package io.bitquan.flow.execution.chain;

/**
 * The active chain's tip, plus the counters the core keeps beside it: {@code arrivals} numbers
 * stored blocks (oldest is evicted first: deterministic, no clock), {@code storedCount} and
 * {@code storedBytes} are what the block store holds now (bounded, reported as metrics).
 */
public record ChainTip(long height, byte[] id, long arrivals, int storedCount, long storedBytes) {

    ChainTip withTip(long newHeight, byte[] newId) {
        return new ChainTip(newHeight, newId, arrivals, storedCount, storedBytes);
    }

    ChainTip withStored(int count, long bytes) {
        return new ChainTip(height, id, arrivals, count, bytes);
    }

    ChainTip nextArrival() {
        return new ChainTip(height, id, arrivals + 1, storedCount, storedBytes);
    }
}
