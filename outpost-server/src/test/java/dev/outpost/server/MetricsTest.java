package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /metrics}, {@code GET /outpost/v1/status} and their protection over real HTTP: the Prometheus text
 * holds the requests just made (by route template, method, status and protocol, with histogram buckets), records
 * pushed and pulled, conflicts, batch sizes and the pool; non-admins are refused; {@code --metrics-port} moves it.
 */
class MetricsTest {

    /** The value of the sample {@code name{…}} whose labels include all of {@code labels}, or -1. */
    static double sample(String text, String name, String... labels) {
        Matcher lines = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{(.*)\\} (\\S+)$").matcher(text);
        while (lines.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= lines.group(1).contains(label);
            }
            if (all) {
                return Double.parseDouble(lines.group(2));
            }
        }
        Matcher bare = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(text);
        return labels.length == 0 && bare.find() ? Double.parseDouble(bare.group(1)) : -1;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void metricsCountTheRequestsRecordsAndConflictsJustMade(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            for (int i = 0; i < 3; i++) {
                assertThat(server.v3("POST", "/tables/todo", "{\"id\":\"t" + i + "\",\"text\":\"x\"}").status())
                        .isEqualTo(201);
            }
            assertThat(server.v2("GET", "/tables/todo", null).status()).isEqualTo(200);
            // A duplicate id (409) and a stale version (412).
            assertThat(server.v3("POST", "/tables/todo", "{\"id\":\"t0\",\"text\":\"y\"}").status()).isEqualTo(409);
            assertThat(server.send("PUT", "/tables/todo/t1", "{\"id\":\"t1\",\"text\":\"y\"}",
                    Map.of("ZUMO-API-VERSION", "3.0.0", "If-Match", "\"stale\"")).status()).isEqualTo(412);
            Reply batch = server.send("POST", "/outpost/v1/push", "{\"operations\":[{\"id\":\"op1\",\"table\":\"todo\","
                    + "\"kind\":\"insert\",\"itemId\":\"b1\",\"item\":{\"id\":\"b1\",\"text\":\"z\"}},{\"id\":\"op2\","
                    + "\"table\":\"todo\",\"kind\":\"insert\",\"itemId\":\"b2\",\"item\":{\"id\":\"b2\"}}]}", Map.of());
            assertThat(batch.status()).isEqualTo(200);
            assertThat(server.send("GET", "/outpost/v1/tables/todo/changes", null, Map.of()).status()).isEqualTo(200);
            assertThat(server.v3("GET", "/tables/nosuchtable/x", null).status()).isEqualTo(404);

            Reply metrics = server.send("GET", "/metrics", null, Map.of());
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).startsWith("text/plain");
            String text = metrics.body();
            assertThat(sample(text, "outpost_http_requests_seconds_count", "route=\"/tables/{table}\"",
                    "method=\"POST\"", "status=\"201\"", "protocol=\"v3\"")).isEqualTo(3);
            assertThat(sample(text, "outpost_http_requests_seconds_count", "route=\"/tables/{table}\"",
                    "method=\"GET\"", "status=\"200\"", "protocol=\"v2\"")).isEqualTo(1);
            assertThat(sample(text, "outpost_http_requests_seconds_count", "route=\"/outpost/v1/push\"",
                    "protocol=\"native\"")).isEqualTo(1);
            assertThat(sample(text, "outpost_http_requests_seconds_bucket", "route=\"/tables/{table}\"",
                    "status=\"201\"", "le=\"+Inf\"")).isEqualTo(3);
            assertThat(text).doesNotContain("route=\"/tables/todo");
            assertThat(sample(text, "outpost_records_pushed_total", "table=\"todo\"")).isEqualTo(5);
            // The v2 list and the native pull sent 3 and 5 records.
            assertThat(sample(text, "outpost_records_pulled_total", "table=\"todo\"")).isEqualTo(8);
            assertThat(sample(text, "outpost_conflicts_total", "kind=\"duplicate\"")).isEqualTo(1);
            assertThat(sample(text, "outpost_conflicts_total", "kind=\"version\"")).isEqualTo(1);
            assertThat(sample(text, "outpost_conflicts_total", "kind=\"gone\"")).isEqualTo(0);
            assertThat(sample(text, "outpost_push_batch_size_operations_count")).isEqualTo(1);
            assertThat(sample(text, "outpost_push_batch_size_operations_sum")).isEqualTo(2);
            assertThat(sample(text, "outpost_events_streams")).isEqualTo(0);
            assertThat(text).contains("hikaricp_connections_active{").contains("jvm_memory_used_bytes{");

            JsonNode status = server.send("GET", "/outpost/v1/status", null, Map.of()).json();
            assertThat(status.get("status").asText()).isEqualTo("ok");
            assertThat(status.get("version").asText()).isEqualTo(OutpostServer.version());
            assertThat(status.get("database").asText()).isEqualTo(db == TestDatabase.SQLITE ? "sqlite" : "postgresql");
            assertThat(status.get("schema").asText()).isEqualTo("dynamic");
            assertThat(status.get("uptimeSeconds").isIntegralNumber()).isTrue();
            assertThat(status.get("eventStreams").asInt()).isZero();
            assertThat(status.at("/installations/total").asLong()).isZero();
            assertThat(status.at("/installations/active24h").asLong()).isZero();
            // The requests above and the scrape of /metrics.
            assertThat(status.at("/requests/total").asLong()).isGreaterThanOrEqualTo(10);
            assertThat(status.at("/requests/errors5xx").asLong()).isZero();
            assertThat(status.at("/requests/p50Millis").asDouble()).isPositive();
            assertThat(status.at("/requests/p99Millis").asDouble())
                    .isGreaterThanOrEqualTo(status.at("/requests/p50Millis").asDouble());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void operatorViewsNeedTheAdminRoleWhenTheServerHasSignIn(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, b -> b.authSecret(Tokens.SECRET))) {
            for (String path : new String[] {"/metrics", "/outpost/v1/installations", "/outpost/v1/status"}) {
                Reply anonymous = server.send("GET", path, null, Map.of());
                assertThat(anonymous.status()).as(path).isEqualTo(401);
                assertThat(anonymous.json().get("code").asText()).isNotEmpty();
                Reply user = server.send("GET", path, null, Map.of("Authorization", "Bearer "
                        + Tokens.signed("bob", Map.of("roles", "user"))));
                assertThat(user.status()).as(path).isEqualTo(403);
                Reply admin = server.send("GET", path, null, Map.of("Authorization", "Bearer "
                        + Tokens.signed("ada", Map.of("roles", "admin"))));
                assertThat(admin.status()).as(path).isEqualTo(200);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void metricsPortServesMetricsAloneAndTheMainPortNoLonger(TestDatabase db) throws Exception {
        int free;
        try (ServerSocket socket = new ServerSocket(0)) {
            free = socket.getLocalPort();
        }
        try (TestServer server = TestServer.start(db, b -> b.host("127.0.0.1").metricsPort(free))) {
            assertThat(server.server().metricsPort()).isEqualTo(free).isNotEqualTo(server.server().port());
            assertThat(server.v3("GET", "/tables/todo", null).status()).isEqualTo(200);
            assertThat(server.send("GET", "/metrics", null, Map.of()).status()).isEqualTo(404);
            Reply metrics = TestServer.get("http://127.0.0.1:" + free + "/metrics");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(sample(metrics.body(), "outpost_http_requests_seconds_count", "route=\"/tables/{table}\"",
                    "status=\"200\"")).isEqualTo(1);
            // The main port's 404 for /metrics is counted, as unmatched.
            assertThat(metrics.body()).contains("route=\"unmatched\"");
            assertThat(TestServer.get("http://127.0.0.1:" + free + "/tables/todo").status()).isEqualTo(404);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void metricsPortKeepsTheAdminGate(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, b -> b.metricsPort(0).authSecret(Tokens.SECRET))) {
            String url = "http://127.0.0.1:" + server.server().metricsPort() + "/metrics";
            assertThat(TestServer.get(url).status()).isEqualTo(401);
            assertThat(TestServer.get(url, "Bearer " + Tokens.signed("ada", Map.of("roles", "admin")))
                    .status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void tombstonesPurgedAreCounted(TestDatabase db) {
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00.000Z"));
        String url = db.createUrl();
        try (TestServer server = TestServer.startOn(db, url, b -> b, clock)) {
            assertThat(server.v3("POST", "/tables/todo", "{\"id\":\"a\"}").status()).isEqualTo(201);
            assertThat(server.v3("DELETE", "/tables/todo/a", null).status()).isBetween(200, 204);
            clock.advance(java.time.Duration.ofDays(31));
            assertThat(server.server().purgeTombstones()).isEqualTo(1);
            assertThat(sample(server.send("GET", "/metrics", null, Map.of()).body(),
                    "outpost_tombstones_purged_total")).isEqualTo(1);
        }
    }
}
