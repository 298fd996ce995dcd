package io.bitquan.flow.operators.model;

import java.nio.charset.StandardCharsets;

/**
 * One line of the savepoint catalog (docs/REORGS.md): a chain's active tip (height, block hash,
 * state root) as of a snapshot (checkpoint or savepoint) {@code checkpointId} of job {@code jobId}.
 * The committer writes one file per (chain, job, snapshot) when it takes part in the snapshot;
 * the CLI joins entries with the snapshots that exist. Text, tab separated, VERSION 1:
 * {@code v1 chain height blockHashHex stateRootHex jobId checkpointId}.
 */
public record CatalogEntry(String chainId, long height, String blockHash, String stateRoot, String jobId, long checkpointId) {

    public String fileName() {
        return jobId + "-" + checkpointId + ".entry";
    }

    public byte[] encode() {
        return String.join("\t", "v1", chainId, Long.toString(height), blockHash, stateRoot, jobId, Long.toString(checkpointId))
                .concat("\n").getBytes(StandardCharsets.UTF_8);
    }

    public static CatalogEntry decode(String line) {
        String[] f = line.strip().split("\t");
        if (f.length != 7 || !f[0].equals("v1")) {
            throw new IllegalArgumentException("not a v1 catalog entry: " + line);
        }
        return new CatalogEntry(f[1], Long.parseLong(f[2]), f[3], f[4], f[5], Long.parseLong(f[6]));
    }
}
