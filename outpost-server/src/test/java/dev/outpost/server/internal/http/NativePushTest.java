package dev.outpost.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The native batch push ({@code POST /outpost/v1/push}) over real HTTP on both databases. */
class NativePushTest {
    private static final Map<TestDatabase, TestServer> SERVERS = new EnumMap<>(TestDatabase.class);

    static synchronized TestServer server(TestDatabase db) {
        return SERVERS.computeIfAbsent(db, d -> TestServer.start(d, b -> b.maxBatchOperations(50)
                .maxBatchBody(64 * 1024)));
    }

    @AfterAll
    static synchronized void stop() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    private static Reply push(TestServer server, String operations) {
        return server.send("POST", "/outpost/v1/push", "{\"operations\":[" + operations + "]}", Map.of());
    }

    private static String op(String id, String table, String kind, String itemId, String rest) {
        return "{\"id\":\"" + id + "\",\"table\":\"" + table + "\",\"kind\":\"" + kind + "\",\"itemId\":\"" + itemId
                + "\"" + (rest.isEmpty() ? "" : "," + rest) + "}";
    }

    private static String fresh(String prefix) {
        return TestServer.freshTable(prefix);
    }

    private static List<String> statuses(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        List<String> statuses = new ArrayList<>();
        reply.json().get("results").forEach(r -> statuses.add(r.get("status").asText()
                + (r.has("httpStatus") ? " " + r.get("httpStatus").asInt() : "")));
        return statuses;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aBatchAppliesInOrderAndAnswersEveryOperation(TestDatabase db) {
        TestServer server = server(db);
        String t = fresh("push");
        String p = fresh("op");
        Reply reply = push(server, String.join(",",
                op(p + "1", t, "insert", "a1", "\"item\":{\"id\":\"a1\",\"text\":\"milk\"}"),
                op(p + "2", t, "update", "a1", "\"item\":{\"text\":\"oat milk\"}"),
                op(p + "3", t, "insert", "a1", "\"item\":{\"text\":\"again\"}"),
                op(p + "4", t, "update", "a1", "\"version\":\"AAAAAAAAAAA=\",\"item\":{\"text\":\"stale\"}"),
                op(p + "5", t, "update", "nope", "\"item\":{\"text\":\"x\"}"),
                op(p + "6", t, "delete", "nope", ""),
                op(p + "7", t, "insert", "b2", "\"item\":{\"text\":\"x\"}"),
                op(p + "8", t, "delete", "b2", ""),
                op(p + "9", t, "update", "b2", "\"item\":{\"text\":\"y\"}"),
                op(p + "10", t, "delete", "b2", ""),
                op(p + "11", t, "insert", "bad id", "\"item\":{}"),
                op(p + "12", t, "update", "a1", "\"item\":{\"text\":5}"),
                op(p + "13", t, "insert", "c3", "\"item\":{\"id\":\"other\"}")));

        assertThat(statuses(reply)).containsExactly("applied", "applied", "conflict 409", "conflict 412",
                "notFound 404", "applied", "applied", "applied", "gone 410", "applied", "rejected 400",
                "rejected 400", "rejected 400");
        JsonNode results = reply.json().get("results");
        assertThat(results.get(1).get("item").get("text").asText()).isEqualTo("oat milk");
        assertThat(results.get(2).get("item").get("text").asText()).isEqualTo("oat milk");
        assertThat(results.get(5).get("item").isNull()).isTrue();
        assertThat(results.get(7).get("item").get("deleted").asBoolean()).isTrue();
        assertThat(results.get(10).get("error").get("code").asText()).isEqualTo("invalidId");
        assertThat(results.get(11).get("error").get("code").asText()).isEqualTo("wrongType");
        assertThat(results.get(0).get("item").get("updatedAt").asText())
                .isLessThan(results.get(1).get("item").get("updatedAt").asText());
        assertThat(reply.header("X-Outpost-Server")).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aResentBatchAnswersAlreadyAppliedAndWritesNothingNew(TestDatabase db) {
        TestServer server = server(db);
        String t = fresh("push");
        String p = fresh("op");
        String batch = String.join(",",
                op(p + "1", t, "insert", "a1", "\"item\":{\"text\":\"milk\"}"),
                op(p + "2", t, "update", "a1", "\"item\":{\"text\":\"bread\"}"),
                op(p + "3", t, "delete", "a1", ""));
        Reply first = push(server, batch);
        Reply changesBefore = server.send("GET", "/outpost/v1/tables/" + t + "/changes", null, Map.of());

        Reply again = push(server, batch);

        assertThat(statuses(first)).containsExactly("applied", "applied", "applied");
        assertThat(statuses(again)).containsExactly("alreadyApplied", "alreadyApplied", "alreadyApplied");
        assertThat(again.json().get("results").get(0).get("item"))
                .isEqualTo(first.json().get("results").get(0).get("item"));
        assertThat(again.json().get("results").get(2).get("item"))
                .isEqualTo(first.json().get("results").get(2).get("item"));
        // The same records (the cursor differs: it carries the time of the pull that it ends).
        assertThat(server.send("GET", "/outpost/v1/tables/" + t + "/changes", null, Map.of()).json().get("items"))
                .isEqualTo(changesBefore.json().get("items"));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aConflictInTheMiddleAppliesTheOthersAndMayBeResentOnceResolved(TestDatabase db) {
        TestServer server = server(db);
        String t = fresh("push");
        String p = fresh("op");
        push(server, op(p + "0", t, "insert", "taken", "\"item\":{\"text\":\"server\"}"));

        Reply reply = push(server, String.join(",",
                op(p + "1", t, "insert", "x1", "\"item\":{\"text\":\"a\"}"),
                op(p + "2", t, "insert", "taken", "\"item\":{\"text\":\"client\"}"),
                op(p + "3", t, "insert", "x3", "\"item\":{\"text\":\"c\"}")));
        Reply resent = push(server, op(p + "2", t, "update", "taken", "\"item\":{\"text\":\"client\"}"));

        assertThat(statuses(reply)).containsExactly("applied", "conflict 409", "applied");
        assertThat(reply.json().get("results").get(1).get("item").get("text").asText()).isEqualTo("server");
        assertThat(server.v3("GET", "/tables/" + t + "/x3", null).status()).isEqualTo(200);
        assertThat(statuses(resent)).containsExactly("applied");
    }

    static Stream<Arguments> malformedBatches() {
        String[][] rows = {
            {"not JSON", "{\"operations\":["},
            {"not an object", "[]"},
            {"no operations", "{}"},
            {"operations not an array", "{\"operations\":{}}"},
            {"operation not an object", "{\"operations\":[1]}"},
            {"no id", "{\"operations\":[{\"table\":\"T\",\"kind\":\"insert\",\"itemId\":\"a\",\"item\":{}}]}"},
            {"bad id", "{\"operations\":[{\"id\":\"a b\",\"table\":\"T\",\"kind\":\"insert\",\"itemId\":\"a\",\"item\":{}}]}"},
            {"no table", "{\"operations\":[{\"id\":\"o\",\"kind\":\"insert\",\"itemId\":\"a\",\"item\":{}}]}"},
            {"no kind", "{\"operations\":[{\"id\":\"o\",\"table\":\"T\",\"itemId\":\"a\",\"item\":{}}]}"},
            {"unknown kind", "{\"operations\":[{\"id\":\"o\",\"table\":\"T\",\"kind\":\"upsert\",\"itemId\":\"a\",\"item\":{}}]}"},
            {"no itemId", "{\"operations\":[{\"id\":\"o\",\"table\":\"T\",\"kind\":\"insert\",\"item\":{}}]}"},
            {"insert without item", "{\"operations\":[{\"id\":\"o\",\"table\":\"T\",\"kind\":\"insert\",\"itemId\":\"a\"}]}"},
            {"version not a string", "{\"operations\":[{\"id\":\"o\",\"table\":\"T\",\"kind\":\"delete\",\"itemId\":\"a\",\"version\":1}]}"},
            {"duplicate operation ids", "{\"operations\":["
                    + "{\"id\":\"o\",\"table\":\"T\",\"kind\":\"insert\",\"itemId\":\"a\",\"item\":{}},"
                    + "{\"id\":\"o\",\"table\":\"T\",\"kind\":\"insert\",\"itemId\":\"b\",\"item\":{}}]}"},
        };
        List<Arguments> arguments = new ArrayList<>();
        for (TestDatabase db : TestDatabase.values()) {
            for (String[] row : rows) {
                arguments.add(Arguments.of(db, row[0], row[1]));
            }
        }
        return arguments.stream();
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("malformedBatches")
    void aMalformedBatchIsA400AndAppliesNothing(TestDatabase db, String name, String body) {
        TestServer server = server(db);
        String t = fresh("mal");
        String valid = "{\"id\":\"" + fresh("ok") + "\",\"table\":\"" + t
                + "\",\"kind\":\"insert\",\"itemId\":\"first\",\"item\":{}}";
        String withValidFirst = body.replace("\"T\"", "\"" + t + "\"").replace("{\"operations\":[",
                "{\"operations\":[" + valid + ",");

        Reply reply = server.send("POST", "/outpost/v1/push", withValidFirst, Map.of());

        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.json().get("code").asText()).isIn("invalidBatch", "invalidJson");
        assertThat(server.send("GET", "/outpost/v1/tables/" + t + "/changes", null, Map.of()).json()
                .get("items")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void batchesOverTheLimitsAreRefusedWhole(TestDatabase db) {
        TestServer server = server(db);
        String t = fresh("lim");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            many.add(op(fresh("op"), t, "insert", "i" + i, "\"item\":{}"));
        }
        String big = op(fresh("op"), t, "insert", "big", "\"item\":{\"text\":\"" + "x".repeat(70_000) + "\"}");

        Reply tooMany = push(server, String.join(",", many));
        Reply tooBig = push(server, big);

        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.json().get("code").asText()).isEqualTo("tooManyOperations");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(server.send("GET", "/outpost/v1/tables/" + t + "/changes", null, Map.of()).json()
                .get("items")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aGzipRequestBodyIsAccepted(TestDatabase db) throws IOException {
        TestServer server = server(db);
        String t = fresh("gz");
        byte[] body = ("{\"operations\":[" + op(fresh("op"), t, "insert", "z", "\"item\":{\"text\":\"zip\"}") + "]}")
                .getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
            gzip.write(body);
        }
        HttpURLConnection connection = (HttpURLConnection) new URL(server.baseUrl() + "/outpost/v1/push")
                .openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setRequestProperty("Content-Encoding", "gzip");
        connection.getOutputStream().write(zipped.toByteArray());
        try {
            assertThat(connection.getResponseCode()).isEqualTo(200);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            connection.disconnect();
        }
        assertThat(server.v3("GET", "/tables/" + t + "/z", null).json().get("text").asText()).isEqualTo("zip");
    }
}
