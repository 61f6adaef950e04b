package dev.outpost.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.FakeClock;
import dev.outpost.server.Purging;
import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The table clock and group commit: {@code updatedAt} is unique per table and increasing even when the wall clock
 * stands still, concurrent writers all commit, and a failing write in a shared transaction fails alone.
 */
class TableClockTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void writesInTheSameMillisecondGetDistinctIncreasingUpdatedAt(TestDatabase db) {
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        String url = db.createUrl();
        try (TestServer server = TestServer.startOn(db, url, b -> b, clock)) {
            List<String> stamps = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                stamps.add(server.v3("POST", "/tables/t", "{\"n\":" + i + "}").json().get("updatedAt").asText());
            }
            stamps.add(server.v3("PATCH", "/tables/t/" + server.v3("GET", "/tables/t?$top=1", null).json()
                    .get("items").get(0).get("id").asText(), "{\"n\":99}").json().get("updatedAt").asText());

            assertThat(new HashSet<>(stamps)).hasSize(21);
            assertThat(stamps).isSorted();
            assertThat(stamps.get(0)).isEqualTo("2026-01-01T00:00:00.000Z");
            assertThat(stamps.get(20)).isEqualTo("2026-01-01T00:00:00.020Z");

            clock.advance(Duration.ofSeconds(1));
            assertThat(server.v3("POST", "/tables/t", "{\"n\":1}").json().get("updatedAt").asText())
                    .isEqualTo("2026-01-01T00:00:01.000Z");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void concurrentWritersAllCommitWithUniqueUpdatedAtAndAFailingWriteFailsAlone(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, b -> b.pageSizeV3(1000))) {
            assertThat(server.v3("POST", "/tables/t", "{\"id\":\"taken\",\"n\":0}").status()).isEqualTo(201);
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                List<Future<Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 400; i++) {
                    String body = i % 50 == 0 ? "{\"id\":\"taken\",\"n\":" + i + "}" : "{\"n\":" + i + "}";
                    replies.add(pool.submit(() -> server.v3("POST", "/tables/t", body)));
                }
                int created = 0;
                int conflicts = 0;
                for (Future<Reply> reply : replies) {
                    int status = reply.get().status();
                    created += status == 201 ? 1 : 0;
                    conflicts += status == 409 ? 1 : 0;
                }
                assertThat(created).isEqualTo(392);
                assertThat(conflicts).isEqualTo(8);
            } finally {
                pool.shutdownNow();
            }
            JsonNode items = server.v3("GET", "/tables/t?$top=1000&$select=updatedAt,version&$orderby=updatedAt",
                    null).json().get("items");
            Set<String> stamps = new HashSet<>();
            Set<String> versions = new HashSet<>();
            items.forEach(item -> {
                stamps.add(item.get("updatedAt").asText());
                versions.add(item.get("version").asText());
            });
            assertThat(items).hasSize(393);
            assertThat(stamps).hasSize(393);
            assertThat(versions).hasSize(393);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theTestOnlyUnsafeOptionDisablesTheClockSoWritesShareATimestamp(TestDatabase db) {
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        String url = db.createUrl();
        try (TestServer server = TestServer.startOn(db, url, b -> b.unsafeDisableTableClock(true), clock)) {
            String first = server.v3("POST", "/tables/t", "{\"id\":\"a\"}").json().get("updatedAt").asText();
            String second = server.v3("POST", "/tables/t", "{\"id\":\"b\"}").json().get("updatedAt").asText();

            assertThat(second).isEqualTo(first);
            assertThat(server.v3("POST", "/tables/t", "{\"id\":\"a\"}").status()).isEqualTo(409);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void tombstonesOlderThanTheRetentionArePurged(TestDatabase db) {
        FakeClock clock = new FakeClock(Instant.parse("2026-01-01T00:00:00Z"));
        String url = db.createUrl();
        try (TestServer server = TestServer.startOn(db, url, b -> b.tombstoneRetention(Duration.ofDays(30)), clock)) {
            server.v3("POST", "/tables/t", "{\"id\":\"old\"}");
            server.v3("POST", "/tables/t", "{\"id\":\"young\"}");
            server.v3("DELETE", "/tables/t/old", null);
            clock.advance(Duration.ofDays(20));
            server.v3("DELETE", "/tables/t/young", null);
            clock.advance(Duration.ofDays(11));

            int purged = Purging.purge(server.server());

            assertThat(purged).isEqualTo(1);
            assertThat(server.v3("GET", "/tables/t/old?__includedeleted=true", null).status()).isEqualTo(404);
            assertThat(server.v3("GET", "/tables/t/young?__includedeleted=true", null).status()).isEqualTo(200);
        }
    }
}
