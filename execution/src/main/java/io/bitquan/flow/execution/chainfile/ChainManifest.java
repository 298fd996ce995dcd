package io.bitquan.flow.execution.chainfile;

import io.bitquan.flow.model.avro.BlockConnected;
import io.bitquan.flow.model.avro.BlockDisconnected;
import io.bitquan.flow.model.avro.ChainEvent;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code chain.manifest}: what {@code generate} wrote, so a reader can tell a complete chain from
 * a damaged one. Plain text, one fact per line, in a fixed order (same chain => same bytes):
 * <pre>
 * bitquan-flow chain manifest 1
 * chain-id &lt;id&gt;
 * genesis-id &lt;64 hex&gt;
 * genesis.avro &lt;bytes&gt; &lt;sha256&gt;
 * events.avro &lt;bytes&gt; &lt;sha256&gt;       (whole file: `sha256sum events.avro` checks it)
 * events &lt;count&gt;
 * blocks &lt;count of connected blocks&gt;
 * header &lt;end offset&gt; &lt;sha256&gt;            (the Avro header of events.avro)
 * event &lt;index&gt; &lt;connected|disconnected|...&gt; &lt;height&gt; &lt;end offset&gt; &lt;sha256&gt;
 * </pre>
 * Every event is its own Avro block, hashed separately: a reader finds the first damaged byte
 * range and so the last intact block, without trusting the damaged bytes.
 */
public record ChainManifest(String chainId, String genesisId, FileDigest genesis, FileDigest events,
                            long headerEnd, String headerSha256, List<Segment> segments) {
    public static final String FILE = "chain.manifest";
    static final String MAGIC = "bitquan-flow chain manifest 1";
    private static final HexFormat HEX = HexFormat.of();

    public ChainManifest {
        segments = List.copyOf(segments);
    }

    /** Size and SHA-256 of a whole file. */
    public record FileDigest(long bytes, String sha256) {}

    /** One event's bytes in events.avro: [previous end, end). */
    public record Segment(int index, String kind, long height, long end, String sha256) {
        public boolean connected() {
            return kind.equals(CONNECTED);
        }
    }

    static final String CONNECTED = "connected";

    /** connected, disconnected, or the lower-case name of an event type added later. */
    static String kind(ChainEvent event) {
        Object e = event.getEvent();
        if (e instanceof BlockConnected) {
            return CONNECTED;
        }
        if (e instanceof BlockDisconnected) {
            return "disconnected";
        }
        return e.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** The height an event is about, or -1 for an event type that names none. */
    static long height(ChainEvent event) {
        Object e = event.getEvent();
        if (e instanceof BlockConnected c) {
            return c.getBlock().getHeader().getHeight();
        }
        if (e instanceof BlockDisconnected d) {
            return d.getHeight();
        }
        return -1;
    }

    public int eventCount() {
        return segments.size();
    }

    public long blockCount() {
        return segments.stream().filter(Segment::connected).count();
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    String format() {
        StringBuilder b = new StringBuilder();
        b.append(MAGIC).append('\n');
        b.append("chain-id ").append(chainId).append('\n');
        b.append("genesis-id ").append(genesisId).append('\n');
        b.append(ChainFiles.GENESIS).append(' ').append(genesis.bytes()).append(' ').append(genesis.sha256()).append('\n');
        b.append(ChainFiles.EVENTS).append(' ').append(events.bytes()).append(' ').append(events.sha256()).append('\n');
        b.append("events ").append(eventCount()).append('\n');
        b.append("blocks ").append(blockCount()).append('\n');
        b.append("header ").append(headerEnd).append(' ').append(headerSha256).append('\n');
        for (Segment s : segments) {
            b.append("event ").append(s.index()).append(' ').append(s.kind())
                    .append(' ').append(s.height()).append(' ').append(s.end()).append(' ').append(s.sha256()).append('\n');
        }
        return b.toString();
    }

    /** Parses and checks the manifest's own consistency (counts, increasing offsets). */
    static ChainManifest read(Path file) throws ChainFileException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ChainFileException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Parser p = new Parser(file, lines);
        p.expectLine(MAGIC);
        String chainId = p.value("chain-id");
        String genesisId = p.value("genesis-id");
        String[] g = p.fields(ChainFiles.GENESIS, 2);
        String[] e = p.fields(ChainFiles.EVENTS, 2);
        long events = p.number(p.fields("events", 1)[0]);
        long blocks = p.number(p.fields("blocks", 1)[0]);
        String[] h = p.fields("header", 2);
        long headerEnd = p.number(h[0]);
        List<Segment> segments = new ArrayList<>();
        long previousEnd = headerEnd;
        while (p.hasMore()) {
            String[] s = p.fields("event", 5);
            long end = p.number(s[3]);
            if (p.number(s[0]) != segments.size() || end <= previousEnd || !s[1].matches("[a-z]+")) {
                throw p.malformed("event entries must be numbered from 0, have a kind, and increasing end offsets");
            }
            long height = s[2].equals("-1") ? -1 : p.number(s[2]);
            segments.add(new Segment(segments.size(), s[1], height, end, p.sha(s[4])));
            previousEnd = end;
        }
        ChainManifest m = new ChainManifest(chainId, genesisId, new FileDigest(p.number(g[0]), p.sha(g[1])),
                new FileDigest(p.number(e[0]), p.sha(e[1])), headerEnd, p.sha(h[1]), segments);
        if (m.eventCount() != events || m.blockCount() != blocks || previousEnd != m.events().bytes()) {
            throw p.malformed("the event entries disagree with the events/blocks counts or the events.avro size");
        }
        return m;
    }

    /** Line-by-line reader that names the line of anything unexpected. */
    private static final class Parser {
        private final Path file;
        private final List<String> lines;
        private int next;

        Parser(Path file, List<String> lines) {
            this.file = file;
            this.lines = lines;
        }

        boolean hasMore() {
            return next < lines.size();
        }

        void expectLine(String line) throws ChainFileException {
            if (!hasMore() || !lines.get(next).equals(line)) {
                throw malformed("expected '" + line + "'");
            }
            next++;
        }

        String value(String key) throws ChainFileException {
            if (!hasMore() || !lines.get(next).startsWith(key + " ")) {
                throw malformed("expected '" + key + " ...'");
            }
            return lines.get(next++).substring(key.length() + 1);
        }

        String[] fields(String key, int count) throws ChainFileException {
            String[] f = value(key).split(" ", -1);
            if (f.length != count) {
                next--;
                throw malformed("expected " + count + " values after '" + key + "'");
            }
            return f;
        }

        long number(String s) throws ChainFileException {
            try {
                long v = Long.parseLong(s);
                if (v >= 0) {
                    return v;
                }
            } catch (NumberFormatException ignored) {
                // reported below
            }
            throw malformedAt(next - 1, "'" + s + "' is not a non-negative number");
        }

        String sha(String s) throws ChainFileException {
            if (s.length() != 64 || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                throw malformedAt(next - 1, "'" + s + "' is not a SHA-256 in hex");
            }
            return s;
        }

        ChainFileException malformed(String why) {
            return malformedAt(next, why);
        }

        ChainFileException malformedAt(int index, String why) {
            return new ChainFileException(file + " is malformed at line " + (index + 1) + ": " + why
                    + " (regenerate the chain with 'generate')");
        }
    }
}
