package io.bitquan.flow.jobs.reorg;

import io.bitquan.flow.operators.model.CatalogEntry;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.runtime.checkpoint.Checkpoints;

/**
 * The savepoint catalog as the CLI reads it: the committer's entries (a chain's tip per
 * snapshot) joined with the snapshots that exist, savepoints ({@code <savepointDir>/savepoint-*})
 * and retained checkpoints ({@code <checkpointDir>/<jobId>/chk-<id>}). A snapshot is matched to
 * an entry by its checkpoint id (read from its {@code _metadata}) and job id. Any Flink
 * filesystem works (file:, s3:, hdfs:).
 */
public final class SnapshotCatalog {

    /** A catalog entry whose snapshot exists: what reorg-restore can restore. */
    public record Restorable(CatalogEntry entry, String path) {}

    private SnapshotCatalog() {}

    public static List<CatalogEntry> entries(String catalogDir, String chainId) throws IOException {
        List<CatalogEntry> out = new ArrayList<>();
        Path dir = new Path(catalogDir, chainId);
        FileSystem fs = dir.getFileSystem();
        if (!fs.exists(dir)) {
            return out;
        }
        for (FileStatus f : fs.listStatus(dir)) {
            if (!f.getPath().getName().endsWith(".entry")) {
                continue;
            }
            try (InputStream in = fs.open(f.getPath())) {
                out.add(CatalogEntry.decode(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IllegalArgumentException partial) {
                // a half-written entry (the job died while writing it): not restorable
            }
        }
        return out;
    }

    /** Entries with an existing snapshot, newest height first (ties: newest snapshot first). */
    public static List<Restorable> restorable(String catalogDir, String chainId, String savepointDir, String checkpointDir)
            throws IOException {
        List<Restorable> out = new ArrayList<>();
        List<Snapshot> snapshots = snapshots(savepointDir, checkpointDir);
        for (CatalogEntry e : entries(catalogDir, chainId)) {
            for (Snapshot s : snapshots) {
                if (s.checkpointId == e.checkpointId() && s.matchesJob(e.jobId())) {
                    out.add(new Restorable(e, s.path));
                    break;
                }
            }
        }
        out.sort(Comparator.comparingLong((Restorable r) -> r.entry().height())
                .thenComparingLong(r -> r.entry().checkpointId()).reversed());
        return out;
    }

    /** The newest restorable snapshot at or below {@code forkHeight}. */
    public static Optional<Restorable> atOrBelow(List<Restorable> restorable, long forkHeight) {
        return restorable.stream().filter(r -> r.entry().height() <= forkHeight).findFirst();
    }

    private record Snapshot(String path, long checkpointId, String jobId, String jobIdPrefix) {
        boolean matchesJob(String job) {
            return jobId != null ? jobId.equals(job) : job.startsWith(jobIdPrefix);
        }
    }

    private static List<Snapshot> snapshots(String savepointDir, String checkpointDir) throws IOException {
        List<Snapshot> out = new ArrayList<>();
        if (savepointDir != null) {
            Path dir = new Path(savepointDir);
            FileSystem fs = dir.getFileSystem();
            if (fs.exists(dir)) {
                for (FileStatus f : fs.listStatus(dir)) {
                    String name = f.getPath().getName();
                    // savepoint-<first 6 hex of the job id>-<random>
                    String[] parts = name.split("-");
                    if (name.startsWith("savepoint-") && parts.length >= 3) {
                        long id = checkpointId(new Path(f.getPath(), "_metadata"));
                        if (id >= 0) {
                            out.add(new Snapshot(f.getPath().toString(), id, null, parts[1]));
                        }
                    }
                }
            }
        }
        if (checkpointDir != null) {
            Path dir = new Path(checkpointDir);
            FileSystem fs = dir.getFileSystem();
            if (fs.exists(dir)) {
                for (FileStatus job : fs.listStatus(dir)) {
                    if (!job.isDir()) {
                        continue;
                    }
                    for (FileStatus chk : fs.listStatus(job.getPath())) {
                        if (chk.getPath().getName().startsWith("chk-")) {
                            long id = checkpointId(new Path(chk.getPath(), "_metadata"));
                            if (id >= 0) {
                                out.add(new Snapshot(chk.getPath().toString(), id, job.getPath().getName(), null));
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    /** The checkpoint id a complete snapshot's metadata names; -1 if there is none (incomplete). */
    static long checkpointId(Path metadata) {
        try {
            FileSystem fs = metadata.getFileSystem();
            if (!fs.exists(metadata)) {
                return -1;
            }
            try (DataInputStream in = new DataInputStream(fs.open(metadata))) {
                return Checkpoints.loadCheckpointMetadata(in, SnapshotCatalog.class.getClassLoader(),
                        metadata.getParent().toString()).getCheckpointId();
            }
        } catch (IOException | RuntimeException unreadable) {
            return -1;
        }
    }
}
