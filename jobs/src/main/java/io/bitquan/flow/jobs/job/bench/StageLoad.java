package io.bitquan.flow.jobs.job.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.api.common.JobID;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Where a running job's time goes, per stage (Flink task = chain of operators): the share of its
 * subtasks' time spent busy, back-pressured (waiting for buffers downstream) and idle (waiting for
 * input), from Flink's own accumulated task counters ({@code accumulated-busy-time},
 * {@code accumulated-backpressured-time}, {@code accumulated-idle-time}) as the REST API serves
 * them in {@code GET /jobs/<id>}. The stage with the highest busy share and nothing back-pressuring
 * it is the bottleneck; stages upstream of it show back-pressure, downstream idle.
 *
 * <p>A local job's MiniCluster shuts down with the job, so the numbers are polled while it runs and
 * the last answer is kept ({@link #sample()}); the REST answer for running subtasks is at most one
 * metric-fetch interval old (ChainJob sets it to 1 s on a local cluster with a REST port).
 *
 * <p>Since round 8 the bench reads the same numbers in-process ({@link ReportedStages}); this REST
 * poll stays for comparison ({@code -Dbitquan.bench.stages=rest}): it costs the job's JVM a metric
 * dump over RPC, JSON and their JIT every second (docs/PERFORMANCE.md, round 8).
 */
public final class StageLoad implements StageReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI job;
    private volatile JsonNode latest;
    private volatile JsonNode checkpoints;
    /** vertex id -> its latest {@code GET /jobs/<id>/vertices/<vid>} answer (per-subtask numbers). */
    private final java.util.Map<String, JsonNode> vertices = new java.util.concurrent.ConcurrentHashMap<>();

    public StageLoad(int restPort, JobID jobId) {
        this.job = URI.create("http://127.0.0.1:" + restPort + "/jobs/" + jobId);
    }

    /** One poll; a refused or failed request (cluster starting or gone) keeps the previous answer. */
    @Override
    public void sample() {
        try {
            JsonNode node = get("");
            if (node == null || !node.has("vertices")) {
                return;
            }
            latest = node;
            for (JsonNode v : node.get("vertices")) {
                JsonNode detail = get("/vertices/" + v.path("id").asText());
                if (detail != null && detail.has("subtasks")) {
                    vertices.put(v.path("id").asText(), detail);
                }
            }
            JsonNode cp = get("/checkpoints");
            if (cp != null && cp.has("counts")) {
                checkpoints = cp;
            }
        } catch (java.io.IOException e) {
            // not up yet, or already shut down: keep what we have
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private JsonNode get(String path) throws java.io.IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(job + path)).timeout(Duration.ofSeconds(2)).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
    }

    /**
     * The report lines (empty when no poll succeeded). Shares are of the subtasks' summed running
     * time; "busiest subtask" matters for keyed stages: with one chain, one subtask does all the work.
     */
    @Override
    public List<String> table() {
        List<String> rows = new ArrayList<>();
        JsonNode node = latest;
        if (node == null) {
            return rows;
        }
        rows.add(HEADER);
        rows.add(RULE);
        for (JsonNode v : node.get("vertices")) {
            int parallelism = v.path("parallelism").asInt(1);
            double subtaskMillis = v.path("duration").asDouble(0) * parallelism;
            JsonNode m = v.path("metrics");
            rows.add(String.format("| %s | %d | %s | %s | %s | %s |", shortName(v.path("name").asText()), parallelism,
                    percent(m.path("accumulated-busy-time"), subtaskMillis),
                    percent(m.path("accumulated-backpressured-time"), subtaskMillis),
                    percent(m.path("accumulated-idle-time"), subtaskMillis),
                    busiest(vertices.get(v.path("id").asText()))));
        }
        return rows;
    }

    /** One line on the checkpoints seen so far: how many, and how long one took end to end (ms). */
    @Override
    public String checkpointLine() {
        JsonNode node = checkpoints;
        if (node == null) {
            return "checkpoints: ?";
        }
        JsonNode d = node.path("summary").path("end_to_end_duration");
        String failure = node.path("latest").path("failed").path("failure_message").asText("");
        return String.format("checkpoints: %d completed, %d failed; end-to-end duration avg %s ms, max %s ms%s",
                node.path("counts").path("completed").asInt(), node.path("counts").path("failed").asInt(),
                d.path("avg").asText("?"), d.path("max").asText("?"),
                failure.isEmpty() ? "" : "; last failure: " + failure.lines().findFirst().orElse(""));
    }

    /** The highest busy share among a stage's subtasks. */
    private static String busiest(JsonNode detail) {
        if (detail == null) {
            return "?";
        }
        double max = -1;
        for (JsonNode subtask : detail.get("subtasks")) {
            double busy = subtask.path("metrics").path("accumulated-busy-time").asDouble(Double.NaN);
            double duration = subtask.path("duration").asDouble(0);
            if (!Double.isNaN(busy) && duration > 0) {
                max = Math.max(max, 100 * busy / duration);
            }
        }
        return max < 0 ? "?" : String.format("%.0f", max);
    }

    private static String percent(JsonNode millis, double subtaskMillis) {
        if (!millis.isNumber() || subtaskMillis <= 0 || Double.isNaN(millis.asDouble())) {
            return "?";
        }
        return String.format("%.0f", 100 * millis.asDouble() / subtaskMillis);
    }

    /** Flink names a chained task "Source: x -> y -> z"; keep the operator names only. */
    static String shortName(String name) {
        return name.replace("Source: ", "").replace("Sink: ", "").replaceAll("\\s+", " ").replace("|", "/");
    }
}
