package dev.outpost.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.testing.MutableClock;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.protocol.Timestamps;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import dev.outpost.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server's fleet view and metrics with two real clients (issue 14's "done when"): a phone that pushes with
 * operations queued and meets a conflict, and a tablet that pulled once and falls behind; the server's
 * {@code /outpost/v1/installations} and {@code /metrics} show both as they are.
 */
class FleetTest {
    private static final OkHttpClient HTTP = new OkHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String get(OutpostServer server, String path) throws IOException {
        Request request = new Request.Builder().url("http://127.0.0.1:" + server.port() + path).build();
        try (Response response = HTTP.newCall(request).execute()) {
            assertThat(response.code()).as(path).isEqualTo(200);
            return response.body().string();
        }
    }

    private static JsonNode installation(JsonNode fleet, String id) {
        for (JsonNode installation : fleet.get("installations")) {
            if (installation.get("id").asText().equals(id)) {
                return installation;
            }
        }
        throw new AssertionError("no installation " + id + " in " + fleet);
    }

    /** The value of the Prometheus sample {@code name} whose labels contain {@code label}. */
    private static double sample(String metrics, String name, String label) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{(.*)\\} (\\S+)$").matcher(metrics);
        while (line.find()) {
            if (label == null || line.group(1).contains(label)) {
                return Double.parseDouble(line.group(2));
            }
        }
        Matcher bare = Pattern.compile("(?m)^" + Pattern.quote(name) + " (\\S+)$").matcher(metrics);
        return label == null && bare.find() ? Double.parseDouble(bare.group(1)) : -1;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theFleetViewAndMetricsShowTwoClientsAsTheyAre(TestDatabase db) throws IOException {
        MutableClock clock = new MutableClock();
        Instant start = Instant.parse("2026-06-01T08:00:00Z");
        clock.freeze(start);
        String url = db.createUrl();
        OutpostServer server = OutpostServer.builder().config(ServerConfig.builder().port(0).host("127.0.0.1")
                .database(url).shutdownTimeout(Duration.ZERO).build()).clock(clock).build().start();
        String base = "http://127.0.0.1:" + server.port();
        try (SyncContext phone = OutpostClient.builder().baseUrl(base).installationId("phone-a").build()
                .newSyncContext(SqliteLocalStore.open(dir.resolve("phone.db")), ConflictHandlers.park());
             SyncContext tablet = OutpostClient.builder().baseUrl(base).installationId("tablet-b").build()
                     .newSyncContext(SqliteLocalStore.open(dir.resolve("tablet.db")), ConflictHandlers.park())) {
            SyncTable<ObjectNode> phoneTodos = phone.getSyncTable("todoitem");
            SyncTable<ObjectNode> tabletTodos = tablet.getSyncTable("todoitem");
            phoneTodos.insert(SyncFixture.todo("t1", "milk"));
            phoneTodos.insert(SyncFixture.todo("t2", "bread"));
            assertThat(phone.push().pushed()).isEqualTo(2);
            tabletTodos.pull("all");

            // The tablet changes t1; the phone, not having pulled, changes it too and adds two: its push of three
            // queued operations meets one conflict (parked), and moves the table's head a second on.
            clock.freeze(start.plusSeconds(1));
            tabletTodos.update(SyncFixture.todo("t1", "oat milk"));
            tablet.push();
            clock.freeze(start.plusSeconds(2));
            phoneTodos.update(SyncFixture.todo("t1", "whole milk"));
            phoneTodos.insert(SyncFixture.todo("t3", "eggs"));
            phoneTodos.insert(SyncFixture.todo("t4", "tea"));
            phone.push();

            JsonNode fleet = JSON.readTree(get(server, "/outpost/v1/installations"));
            assertThat(fleet.get("installations")).hasSize(2);
            JsonNode phoneSeen = installation(fleet, "phone-a");
            assertThat(phoneSeen.get("protocol").asText()).isEqualTo("native");
            assertThat(phoneSeen.get("queueDepth").asLong()).isEqualTo(3);
            assertThat(phoneSeen.get("conflicts").asLong()).isEqualTo(1);
            assertThat(phoneSeen.get("user").isNull()).isTrue();
            assertThat(phoneSeen.get("firstSeen").asText()).isEqualTo("2026-06-01T08:00:00.000Z");
            assertThat(phoneSeen.get("lastSeen").asText()).isEqualTo("2026-06-01T08:00:02.000Z");
            assertThat(phoneSeen.get("tables")).isEmpty();

            JsonNode tabletSeen = installation(fleet, "tablet-b");
            assertThat(tabletSeen.get("queueDepth").asLong()).isEqualTo(1);
            assertThat(tabletSeen.get("conflicts").asLong()).isZero();
            JsonNode todo = tabletSeen.get("tables").get(0);
            assertThat(todo.get("table").asText()).isEqualTo("todoitem");
            Instant pulledThrough = Timestamps.parse(todo.get("pulledThrough").asText());
            Instant head = Timestamps.parse(todo.get("head").asText());
            // The tablet pulled at the start (through the last record it got, a millisecond in); the phone's last
            // insert is the head, two seconds on.
            assertThat(pulledThrough).isBetween(start, start.plusMillis(1));
            assertThat(head).isBetween(start.plusSeconds(2), start.plusSeconds(2).plusMillis(10));
            assertThat(todo.get("behindMillis").asLong()).isEqualTo(Duration.between(pulledThrough, head).toMillis())
                    .isGreaterThan(1900);
            // Newest first: the phone was seen last.
            assertThat(fleet.at("/installations/0/id").asText()).isEqualTo("phone-a");

            String metrics = get(server, "/metrics");
            // 2 + 2 inserts of the phone, the tablet's update; the phone's stale update was not applied.
            assertThat(sample(metrics, "outpost_records_pushed_total", "table=\"todoitem\"")).isEqualTo(5);
            assertThat(sample(metrics, "outpost_records_pulled_total", "table=\"todoitem\"")).isEqualTo(2);
            assertThat(sample(metrics, "outpost_conflicts_total", "kind=\"version\"")).isEqualTo(1);
            assertThat(sample(metrics, "outpost_push_batch_size_operations_count", null)).isEqualTo(3);
            assertThat(sample(metrics, "outpost_push_batch_size_operations_sum", null)).isEqualTo(6);
            assertThat(sample(metrics, "outpost_http_requests_seconds_count", "route=\"/outpost/v1/push\""))
                    .isEqualTo(3);
            assertThat(sample(metrics, "outpost_installations_known", null)).isEqualTo(2);
            assertThat(sample(metrics, "outpost_installations_active", null)).isEqualTo(2);
            assertThat(sample(metrics, "outpost_installations_queued_operations", null)).isEqualTo(4);
            assertThat(sample(metrics, "outpost_installations_behind_max_seconds", null)).isGreaterThan(1.9);
        } finally {
            server.stop();
            db.drop(url);
        }
    }
}
