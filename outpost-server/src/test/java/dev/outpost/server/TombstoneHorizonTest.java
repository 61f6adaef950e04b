package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tombstone horizon is not silent: a pull position older than the tombstone retention (deletions before it may
 * have been purged) gets a distinct answer: the native pull a 410 {@code cursorExpired}, v2/v3 list answers the
 * horizon in {@code X-Outpost-Tombstone-Horizon} (and the server's time in {@code X-Outpost-Server-Time}) for the
 * client to compare with how far it has seen. A cursor that ended a pull has seen every change up to the time of
 * that pull, not only up to its last record.
 */
class TombstoneHorizonTest {
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private static String changes(TestServer server, String cursor) {
        return "/outpost/v1/tables/t/changes" + (cursor == null ? ""
                : "?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aNativeCursorOlderThanTheRetentionIsRefusedWith410AndAFreshPullIsServed(TestDatabase db) {
        FakeClock clock = new FakeClock(START);
        try (TestServer server = TestServer.startOn(db, db.createUrl(), b -> b.tombstoneRetention(Duration.ofDays(7)),
                clock)) {
            server.v3("POST", "/tables/t", "{\"id\":\"a\"}");
            String cursor = server.send("GET", changes(server, null), null, Map.of()).json().get("cursor").asText();
            server.v3("POST", "/tables/t", "{\"id\":\"b\"}");
            server.v3("DELETE", "/tables/t/a", null);

            clock.advance(Duration.ofDays(6));
            Reply recent = server.send("GET", changes(server, cursor), null, Map.of());
            assertThat(recent.status()).isEqualTo(200);
            String renewed = recent.json().get("cursor").asText();

            clock.advance(Duration.ofDays(2));
            Purging.purge(server.server());
            Reply expired = server.send("GET", changes(server, cursor), null, Map.of());
            // A cursor that ended a pull two days ago has seen every change up to then: it is still good.
            assertThat(server.send("GET", changes(server, renewed), null, Map.of()).status()).isEqualTo(200);

            assertThat(expired.status()).isEqualTo(410);
            assertThat(expired.header("Content-Type")).startsWith("application/json");
            assertThat(expired.json().get("code").asText()).isEqualTo("cursorExpired");
            assertThat(expired.json().get("error").asText()).contains("without a cursor");
            Reply fresh = server.send("GET", changes(server, null), null, Map.of());
            assertThat(fresh.status()).isEqualTo(200);
            assertThat(fresh.json().get("items")).extracting(item -> item.get("id").asText()).containsExactly("b");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void listAnswersCarryTheHorizonAndNoneWhenTombstonesAreKeptForever(TestDatabase db) {
        FakeClock clock = new FakeClock(START);
        try (TestServer server = TestServer.startOn(db, db.createUrl(), b -> b.tombstoneRetention(Duration.ofDays(7)),
                clock)) {
            server.v3("POST", "/tables/t", "{\"id\":\"a\"}");

            assertThat(server.v3("GET", "/tables/t", null).header("X-Outpost-Tombstone-Horizon"))
                    .isEqualTo("2025-12-25T00:00:00.000Z");
            assertThat(server.v2("GET", "/tables/t", null).header("X-Outpost-Tombstone-Horizon"))
                    .isEqualTo("2025-12-25T00:00:00.000Z");
            assertThat(server.v3("GET", "/tables/t", null).header("X-Outpost-Server-Time"))
                    .isEqualTo("2026-01-01T00:00:00.000Z");
        }
        try (TestServer server = TestServer.startOn(db, db.createUrl(), b -> b.tombstoneRetention(Duration.ZERO),
                clock)) {
            server.v3("POST", "/tables/t", "{\"id\":\"a\"}");
            Reply list = server.v3("GET", "/tables/t", null);

            assertThat(list.status()).isEqualTo(200);
            assertThat(list.header("X-Outpost-Tombstone-Horizon")).isNull();
            assertThat(server.send("GET", changes(server, null), null, Map.of()).status()).isEqualTo(200);
        }
    }
}
