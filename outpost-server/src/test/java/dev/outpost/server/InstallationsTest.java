package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The fleet over real HTTP: installations by {@code X-ZUMO-INSTALLATION-ID} with their user, protocol, queue depth,
 * conflicts and how far each pulled each table behind its head; expiry; ids that are not ids.
 */
class InstallationsTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.000Z");

    private static Map<String, String> from(String installation, String... more) {
        Map<String, String> headers = new HashMap<>();
        headers.put("ZUMO-API-VERSION", "3.0.0");
        headers.put("X-ZUMO-INSTALLATION-ID", installation);
        for (int i = 0; i < more.length; i += 2) {
            headers.put(more[i], more[i + 1]);
        }
        return headers;
    }

    private static JsonNode installations(TestServer server, String query) {
        Reply reply = server.send("GET", "/outpost/v1/installations" + query, null, Map.of());
        assertThat(reply.status()).as(reply.body()).isEqualTo(200);
        return reply.json().get("installations");
    }

    private static JsonNode find(JsonNode installations, String id) {
        for (JsonNode installation : installations) {
            if (installation.get("id").asText().equals(id)) {
                return installation;
            }
        }
        throw new AssertionError("no installation " + id + " in " + installations);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void eachInstallationShowsHowFarItPulledEachTableBehindItsHead(TestDatabase db) {
        FakeClock clock = new FakeClock(T0);
        try (TestServer server = TestServer.startOn(db, db.createUrl(), b -> b.pageSizeV3(1), clock)) {
            assertThat(server.send("POST", "/tables/todo", "{\"id\":\"a\"}", from("writer")).status()).isEqualTo(201);
            clock.advance(Duration.ofSeconds(1));
            assertThat(server.send("POST", "/tables/todo", "{\"id\":\"b\"}", from("writer")).status()).isEqualTo(201);
            clock.advance(Duration.ofSeconds(1));

            // An incremental v3 pull's first page (more follow): pulled through its last record, a, one second behind.
            String pull = "/tables/todo?$filter=updatedAt%20ge%20cast(2026-01-01T00:00:00.000Z,Edm.DateTimeOffset)"
                    + "&$orderby=updatedAt";
            Reply first = server.send("GET", pull, null, from("phone"));
            assertThat(first.json().path("nextLink").isTextual()).as(first.body()).isTrue();
            // A native pull to the end: pulled through now.
            assertThat(server.send("GET", "/outpost/v1/tables/todo/changes", null, from("tablet")).status())
                    .isEqualTo(200);
            JsonNode fleet = installations(server, "");
            JsonNode phone = find(fleet, "phone").get("tables").get(0);
            assertThat(phone.get("table").asText()).isEqualTo("todo");
            assertThat(phone.get("pulledThrough").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
            assertThat(phone.get("head").asText()).isEqualTo("2026-03-01T10:00:01.000Z");
            assertThat(phone.get("behindMillis").asLong()).isEqualTo(1000);
            assertThat(find(fleet, "phone").get("protocol").asText()).isEqualTo("v3");
            JsonNode tablet = find(fleet, "tablet");
            assertThat(tablet.get("protocol").asText()).isEqualTo("native");
            assertThat(tablet.at("/tables/0/pulledThrough").asText()).isEqualTo("2026-03-01T10:00:02.000Z");
            assertThat(tablet.at("/tables/0/behindMillis").asLong()).isZero();
            assertThat(find(fleet, "writer").get("tables")).isEmpty();

            // The phone's last page: pulled through now; then a write five seconds later puts both behind.
            assertThat(server.send("GET", pull + "&$skip=1", null, from("phone")).json().get("nextLink").isNull())
                    .isTrue();
            clock.advance(Duration.ofSeconds(5));
            assertThat(server.send("POST", "/tables/todo", "{\"id\":\"c\"}", from("writer")).status()).isEqualTo(201);
            fleet = installations(server, "");
            assertThat(find(fleet, "phone").at("/tables/0/behindMillis").asLong()).isEqualTo(5000);
            assertThat(find(fleet, "tablet").at("/tables/0/behindMillis").asLong()).isEqualTo(5000);
            // Newest first, and ?limit= takes the first ones.
            assertThat(fleet.get(0).get("id").asText()).isEqualTo("writer");
            assertThat(fleet.get(0).get("firstSeen").asText()).isEqualTo("2026-03-01T10:00:00.000Z");
            assertThat(fleet.get(0).get("lastSeen").asText()).isEqualTo("2026-03-01T10:00:07.000Z");
            assertThat(installations(server, "?limit=1")).hasSize(1);
            assertThat(server.send("GET", "/outpost/v1/installations?limit=0", null, Map.of()).status())
                    .isEqualTo(400);
            assertThat(server.send("GET", "/outpost/v1/installations?limit=x", null, Map.of()).status())
                    .isEqualTo(400);

            String metrics = server.send("GET", "/metrics", null, Map.of()).body();
            assertThat(MetricsTest.sample(metrics, "outpost_installations_known")).isEqualTo(3);
            assertThat(MetricsTest.sample(metrics, "outpost_installations_active")).isEqualTo(3);
            assertThat(MetricsTest.sample(metrics, "outpost_installations_behind_max_seconds")).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void queueDepthUserAndConflictsComeWithTheRequests(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, b -> b.authSecret(Tokens.SECRET))) {
            String alice = "Bearer " + Tokens.signed("alice", Map.of());
            String batch = "{\"operations\":[{\"id\":\"op1\",\"table\":\"todo\",\"kind\":\"insert\",\"itemId\":\"a\","
                    + "\"item\":{\"id\":\"a\"}}]}";
            assertThat(server.send("POST", "/outpost/v1/push", batch, from("{phone-1}", "Authorization", alice,
                    "X-Outpost-Queue-Depth", "7")).status()).isEqualTo(200);
            // A depth that is not a whole number is ignored: the last one stands.
            assertThat(server.send("POST", "/outpost/v1/push", batch.replace("op1", "op2").replace("\"a\"", "\"b\""),
                    from("{phone-1}", "Authorization", alice, "X-Outpost-Queue-Depth", "lots")).status())
                    .isEqualTo(200);
            // A duplicate id in a batch and a stale version on a single update: two conflicts.
            assertThat(server.send("POST", "/outpost/v1/push", batch.replace("op1", "op3"),
                    from("{phone-1}", "Authorization", alice)).json().at("/results/0/httpStatus").asInt())
                    .isEqualTo(409);
            assertThat(server.send("PUT", "/tables/todo/a", "{\"id\":\"a\"}", from("{phone-1}",
                    "Authorization", alice, "If-Match", "\"stale\"")).status()).isEqualTo(412);

            JsonNode phone = find(server.send("GET", "/outpost/v1/installations", null, Map.of("Authorization",
                    "Bearer " + Tokens.signed("ada", Map.of("roles", "admin")))).json()
                    .get("installations"), "{phone-1}");
            assertThat(phone.get("user").asText()).isEqualTo("alice");
            assertThat(phone.get("queueDepth").asLong()).isEqualTo(7);
            assertThat(phone.get("conflicts").asLong()).isEqualTo(2);
            assertThat(phone.get("protocol").asText()).isEqualTo("v3");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void idsThatAreNotIdsAreIgnoredAndTheRequestServed(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            String tooLong = "x".repeat(129);
            for (String id : new String[] {tooLong, "two words", "a;b", "'; DROP TABLE outpost_installations; --",
                    ""}) {
                assertThat(server.send("GET", "/tables/todo", null, from(id)).status()).as(id).isEqualTo(200);
            }
            assertThat(server.send("GET", "/tables/todo", null, from("y".repeat(128))).status()).isEqualTo(200);
            JsonNode fleet = installations(server, "");
            assertThat(fleet).hasSize(1);
            assertThat(fleet.get(0).get("id").asText()).isEqualTo("y".repeat(128));
            assertThat(fleet.get(0).get("queueDepth").isNull()).isTrue();
            assertThat(MetricsTest.sample(server.send("GET", "/metrics", null, Map.of()).body(),
                    "outpost_installations_ignored_ids_total")).isEqualTo(5);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void installationsNotSeenForTheExpiryAreForgottenByThePurge(TestDatabase db) {
        FakeClock clock = new FakeClock(T0);
        try (TestServer server = TestServer.startOn(db, db.createUrl(),
                b -> b.installationExpiry(Duration.ofDays(30)), clock)) {
            assertThat(server.send("GET", "/outpost/v1/tables/todo/changes", null, from("old")).status())
                    .isEqualTo(200);
            assertThat(server.send("POST", "/tables/todo", "{\"id\":\"a\"}", from("old")).status()).isEqualTo(201);
            assertThat(server.send("GET", "/outpost/v1/tables/todo/changes", null, from("old")).status())
                    .isEqualTo(200);
            clock.advance(Duration.ofDays(20));
            assertThat(server.send("GET", "/tables/todo", null, from("recent")).status()).isEqualTo(200);
            assertThat(installations(server, "")).hasSize(2);
            clock.advance(Duration.ofDays(11));
            server.server().purgeTombstones();
            JsonNode fleet = installations(server, "");
            assertThat(fleet).hasSize(1);
            assertThat(fleet.get(0).get("id").asText()).isEqualTo("recent");
            JsonNode status = server.send("GET", "/outpost/v1/status", null, Map.of()).json();
            assertThat(status.at("/installations/total").asLong()).isEqualTo(1);
            // Seen 11 days ago: known, not active.
            assertThat(status.at("/installations/active24h").asLong()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void noExpiryKeepsEveryInstallation(TestDatabase db) {
        FakeClock clock = new FakeClock(T0);
        try (TestServer server = TestServer.startOn(db, db.createUrl(),
                b -> b.installationExpiry(Duration.ZERO), clock)) {
            assertThat(server.send("GET", "/tables/todo", null, from("old")).status()).isEqualTo(200);
            clock.advance(Duration.ofDays(400));
            server.server().purgeTombstones();
            assertThat(installations(server, "")).hasSize(1);
        }
    }
}
