package io.bitquan.flow.model.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * Every released version of the feed schemas before the current one (docs/SCHEMAS.md rule 5):
 * a single-object decoder registers them, so records written by an older job still decode with
 * the current classes (fields added since take their defaults).
 */
public final class SchemaHistory {
    /** Record name -> released versions older than the compiled one, oldest first. */
    private static final Map<String, List<String>> EARLIER = Map.of(
            "BlockResult", List.of("BlockResult-v1.avsc"),
            "StateDiff", List.of("StateDiff-v1.avsc"),
            "Receipt", List.of("Receipt-v1.avsc"));

    private SchemaHistory() {}

    public static List<Schema> earlier(Schema current) {
        List<Schema> out = new ArrayList<>();
        for (String file : EARLIER.getOrDefault(current.getName(), List.of())) {
            try (InputStream in = SchemaHistory.class.getResourceAsStream("/io/bitquan/flow/model/avro/history/" + file)) {
                if (in == null) {
                    throw new IllegalStateException("missing schema history resource " + file);
                }
                out.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }
}
