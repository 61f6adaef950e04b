package dev.outpost.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.FakeClock;
import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The native cursor pull ({@code GET /outpost/v1/tables/{t}/changes}) over real HTTP on both databases. */
class NativePullTest {

    private static Reply changes(TestServer server, String table, String query) {
        return server.send("GET", "/outpost/v1/tables/" + table + "/changes" + query, null, Map.of());
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aPullAcrossPagesReturns5000RecordsOfOneMillisecondEachExactlyOnce(TestDatabase db) {
        FakeClock clock = new FakeClock(Instant.parse("2026-03-01T12:00:00Z"));
        String url = db.createUrl();
        try (TestServer server = TestServer.startOn(db, url, b -> b.maxBatchOperations(5000), clock)) {
            StringBuilder operations = new StringBuilder();
            for (int i = 0; i < 5000; i++) {
                operations.append(i == 0 ? "" : ",").append("{\"id\":\"op-").append(i)
                        .append("\",\"table\":\"items\",\"kind\":\"insert\",\"itemId\":\"item-").append(i)
                        .append("\",\"item\":{\"n\":").append(i).append("}}");
            }
            Reply pushed = server.send("POST", "/outpost/v1/push", "{\"operations\":[" + operations + "]}", Map.of());
            assertThat(pushed.status()).isEqualTo(200);

            Set<String> seen = new HashSet<>();
            List<String> order = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            boolean more = true;
            while (more) {
                Reply page = changes(server, "items", "?limit=700" + (cursor == null ? "" : "&cursor=" + cursor));
                assertThat(page.status()).isEqualTo(200);
                for (JsonNode item : page.json().get("items")) {
                    assertThat(seen.add(item.get("id").asText())).as("seen twice: %s", item.get("id")).isTrue();
                    order.add(item.get("updatedAt").asText() + " " + item.get("id").asText());
                }
                cursor = page.json().get("cursor").asText();
                more = page.json().get("more").asBoolean();
                pages++;
            }
            assertThat(seen).hasSize(5000);
            assertThat(order).isSorted();
            assertThat(pages).isEqualTo(8);

            server.v3("DELETE", "/tables/items/item-7", null);
            server.v3("POST", "/tables/items", "{\"id\":\"late\",\"n\":1}");
            Reply next = changes(server, "items", "?cursor=" + cursor);
            List<String> ids = new ArrayList<>();
            next.json().get("items").forEach(item -> ids.add(item.get("id").asText()
                    + (item.get("deleted").asBoolean() ? " deleted" : "")));
            assertThat(ids).containsExactly("item-7 deleted", "late");
            Reply empty = changes(server, "items", "?cursor=" + next.json().get("cursor").asText());
            assertThat(empty.json().get("items")).isEmpty();
            assertThat(empty.json().get("cursor").asText()).isEqualTo(next.json().get("cursor").asText());
            assertThat(empty.json().get("more").asBoolean()).isFalse();
        } finally {
            db.drop(url);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aPullFiltersCompressesAndRefusesBadParameters(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            for (int i = 0; i < 200; i++) {
                server.v3("POST", "/tables/notes", "{\"id\":\"n" + i + "\",\"text\":\"" + "note ".repeat(20)
                        + "\",\"even\":" + (i % 2 == 0) + "}");
            }
            Reply filtered = changes(server, "notes", "?$filter=even%20eq%20true&limit=10000");
            Reply zipped = server.send("GET", "/outpost/v1/tables/notes/changes", null,
                    Map.of("Accept-Encoding", "gzip"));

            assertThat(filtered.json().get("items")).hasSize(100);
            assertThat(zipped.header("Content-Encoding")).isEqualTo("gzip");
            assertThat(changes(server, "never", "").json().get("items")).isEmpty();
            assertThat(changes(server, "notes", "?cursor=not-a-cursor").status()).isEqualTo(400);
            assertThat(changes(server, "notes", "?limit=10001").status()).isEqualTo(400);
            assertThat(changes(server, "notes", "?limit=0").status()).isEqualTo(400);
            assertThat(changes(server, "notes", "?$filter=nosuch%20eq%201").status()).isEqualTo(400);
        }
    }
}
