package dev.outpost.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The native batch push of runs of inserts (applied set-wise by the server) over real HTTP on both databases: large
 * batches, inserts among updates and deletes, duplicates, and re-sent batches.
 */
class NativePushInsertRunsTest {
    private static final Map<TestDatabase, TestServer> SERVERS = new EnumMap<>(TestDatabase.class);

    static synchronized TestServer server(TestDatabase db) {
        return SERVERS.computeIfAbsent(db, d -> TestServer.start(d, b -> b.maxBatchOperations(2_000)));
    }

    @AfterAll
    static synchronized void stop() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    private static ObjectNode op(ArrayNode operations, String id, String table, String kind, String itemId) {
        return operations.addObject().put("id", id).put("table", table).put("kind", kind).put("itemId", itemId);
    }

    private static Reply push(TestServer server, ArrayNode operations) {
        ObjectNode body = TestServer.JSON.createObjectNode();
        body.set("operations", operations);
        Reply reply = server.send("POST", "/outpost/v1/push", body.toString(), Map.of());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply;
    }

    private static List<String> statuses(Reply reply) {
        List<String> statuses = new ArrayList<>();
        reply.json().get("results").forEach(r -> statuses.add(r.get("status").asText()
                + (r.has("httpStatus") ? " " + r.get("httpStatus").asInt() : "")));
        return statuses;
    }

    private static JsonNode changes(TestServer server, String table) {
        Reply reply = server.send("GET", "/outpost/v1/tables/" + table + "/changes?limit=10000", null, Map.of());
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.json().get("more").asBoolean()).isFalse();
        return reply.json().get("items");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aLargeBatchOfInsertsStoresEveryRecordWithItsOwnUpdatedAtInOperationOrder(TestDatabase db) {
        TestServer server = server(db);
        String t = TestServer.freshTable("many");
        String p = TestServer.freshTable("op");
        ArrayNode operations = TestServer.JSON.createArrayNode();
        int count = 1_200;
        for (int i = 0; i < count; i++) {
            // 40 columns: 45 parameters a row, so the rows take more than one multi-row INSERT.
            ObjectNode item = op(operations, p + i, t, "insert", "r" + ((i * 7_919) % count)).putObject("item");
            for (int c = 0; c < 40; c++) {
                item.put("c" + c, i * 100 + c);
            }
        }

        Reply reply = push(server, operations);

        JsonNode results = reply.json().get("results");
        JsonNode stored = changes(server, t);
        assertThat(results).hasSize(count);
        assertThat(stored).hasSize(count);
        // The changes feed is in updatedAt order: that is operation order, and no two records share an updatedAt.
        String previous = "";
        for (int i = 0; i < count; i++) {
            JsonNode result = results.get(i);
            JsonNode record = stored.get(i);
            assertThat(result.get("status").asText()).isEqualTo("applied");
            assertThat(result.get("item")).isEqualTo(record);
            assertThat(record.get("id").asText()).isEqualTo("r" + ((i * 7_919) % count));
            assertThat(record.get("c39").asLong()).isEqualTo(i * 100L + 39);
            assertThat(record.get("updatedAt").asText()).isGreaterThan(previous);
            previous = record.get("updatedAt").asText();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void insertsAmongUpdatesAndDeletesAnswerPerOperationAndAResentBatchWritesNothingNew(TestDatabase db) {
        TestServer server = server(db);
        String t = TestServer.freshTable("mix");
        String p = TestServer.freshTable("op");
        ArrayNode setup = TestServer.JSON.createArrayNode();
        op(setup, p + "s1", t, "insert", "taken").putObject("item").put("text", "server");
        push(server, setup);
        ArrayNode batch = TestServer.JSON.createArrayNode();
        op(batch, p + "1", t, "insert", "a").putObject("item").put("text", "a1");
        op(batch, p + "2", t, "insert", "taken").putObject("item").put("text", "client");
        op(batch, p + "3", t, "insert", "b").putObject("item").put("text", "b1");
        op(batch, p + "4", t, "insert", "a").putObject("item").put("text", "a again");
        op(batch, p + "5", t, "update", "a").putObject("item").put("text", "a2");
        op(batch, p + "6", t, "insert", "c").putObject("item").put("text", "c1");
        op(batch, p + "7", t, "insert", "a").putObject("item").put("text", "a3");
        op(batch, p + "8", t, "delete", "b");
        op(batch, p + "9", t, "insert", "d").putObject("item").put("text", "d1");
        op(batch, p + "10", t, "insert", "b").putObject("item").put("text", "b again");
        op(batch, p + "11", t, "update", "b").putObject("item").put("text", "b2");
        op(batch, p + "12", t, "insert", "e").putObject("item").put("text", "e1");
        op(batch, p + "13", t, "insert", "e").putObject("item").put("text", "e again");

        Reply first = push(server, batch);
        JsonNode changesBefore = changes(server, t);
        Reply again = push(server, batch);

        assertThat(statuses(first)).containsExactly("applied", "conflict 409", "applied", "conflict 409", "applied",
                "applied", "conflict 409", "applied", "applied", "conflict 409", "gone 410", "applied",
                "conflict 409");
        JsonNode results = first.json().get("results");
        assertThat(results.get(1).get("item").get("text").asText()).isEqualTo("server");
        assertThat(results.get(3).get("item")).isEqualTo(results.get(0).get("item"));
        assertThat(results.get(6).get("item")).isEqualTo(results.get(4).get("item"));
        assertThat(results.get(9).get("item")).isEqualTo(results.get(7).get("item"));
        assertThat(results.get(9).get("item").get("deleted").asBoolean()).isTrue();
        assertThat(results.get(12).get("item")).isEqualTo(results.get(11).get("item"));
        assertThat(results.get(12).get("item").get("text").asText()).isEqualTo("e1");
        // Each applied operation its own updatedAt, in operation order.
        List<String> updatedAt = new ArrayList<>();
        for (int i : new int[] {0, 2, 4, 5, 7, 8, 11}) {
            updatedAt.add(results.get(i).get("item").get("updatedAt").asText());
        }
        assertThat(updatedAt).isSorted().doesNotHaveDuplicates();
        assertThat(changesBefore).hasSize(6);

        List<String> resent = statuses(again);
        for (int i = 0; i < resent.size(); i++) {
            JsonNode result = again.json().get("results").get(i);
            if (statuses(first).get(i).equals("applied")) {
                assertThat(resent.get(i)).isEqualTo("alreadyApplied");
                assertThat(result.get("item")).isEqualTo(results.get(i).get("item"));
            } else {
                assertThat(resent.get(i)).isEqualTo(statuses(first).get(i));
            }
        }
        assertThat(changes(server, t)).isEqualTo(changesBefore);
    }
}
