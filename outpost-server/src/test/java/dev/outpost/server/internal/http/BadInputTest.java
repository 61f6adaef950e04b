package dev.outpost.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invariant 6: every hostile input is a 4xx with a JSON error naming the problem, and nothing is written. One row
 * per input, against both databases, on a server with a declared {@code todoitem} table.
 */
class BadInputTest {
    private static final String TABLES = """
            {"todoitem": {"columns": {"text": "string", "complete": "boolean", "due": "date", "rank": "integer"}}}
            """;
    private static final Map<TestDatabase, TestServer> SERVERS = new EnumMap<>(TestDatabase.class);
    private static final String V2 = "2.0.0";
    private static final String V3 = "3.0.0";

    static synchronized TestServer server(TestDatabase db) {
        return SERVERS.computeIfAbsent(db, d -> {
            try {
                Path file = Files.createTempFile("outpost-tables-", ".json");
                Files.writeString(file, TABLES);
                TestServer server = TestServer.start(d, b -> b.tablesFile(file));
                assertThat(server.v3("POST", "/tables/todoitem", "{\"id\":\"a\",\"text\":\"seed\"}").status())
                        .isEqualTo(201);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @AfterAll
    static synchronized void stop() {
        SERVERS.values().forEach(TestServer::close);
        SERVERS.clear();
    }

    private static Object[] row(String name, String version, String method, String path, String body, int status,
                                String code) {
        return new Object[] {name, version, method, path, body, null, status, code};
    }

    private static Object[] typed(String name, String contentType, String body, int status, String code) {
        return new Object[] {name, V3, "POST", "/tables/todoitem", body, contentType, status, code};
    }

    static Stream<Arguments> hostileInputs() {
        String longFilter = "text eq '" + "x".repeat(9000) + "'";
        String deepFilter = "(".repeat(100) + "text eq 'a'" + ")".repeat(100);
        String bigBody = "{\"text\":\"" + "x".repeat(1_100_000) + "\"}";
        Object[][] rows = {
            row("malformed JSON", V3, "POST", "/tables/todoitem", "{\"text\":", 400, "invalidJson"),
            row("array body", V3, "POST", "/tables/todoitem", "[{\"text\":\"a\"}]", 400, "invalidBody"),
            row("scalar body", V3, "POST", "/tables/todoitem", "\"text\"", 400, "invalidBody"),
            row("empty body", V3, "POST", "/tables/todoitem", "", 400, "invalidJson"),
            row("trailing garbage", V3, "POST", "/tables/todoitem", "{\"text\":\"a\"} x", 400, "invalidJson"),
            row("duplicate property", V3, "POST", "/tables/todoitem", "{\"text\":\"a\",\"text\":\"b\"}", 400,
                    "invalidJson"),
            row("same property in two cases", V3, "POST", "/tables/todoitem", "{\"text\":\"a\",\"TEXT\":\"b\"}",
                    400, "duplicateProperty"),
            row("number for a string column", V3, "POST", "/tables/todoitem", "{\"text\":5}", 400, "wrongType"),
            row("string for a boolean column", V3, "POST", "/tables/todoitem", "{\"complete\":\"yes\"}", 400,
                    "wrongType"),
            row("not a date", V3, "POST", "/tables/todoitem", "{\"due\":\"tomorrow\"}", 400, "wrongType"),
            row("fraction for an integer column", V3, "POST", "/tables/todoitem", "{\"rank\":1.5}", 400,
                    "wrongType"),
            row("object for a string column", V3, "POST", "/tables/todoitem", "{\"text\":{\"a\":1}}", 400,
                    "wrongType"),
            row("NUL character in a string", V3, "POST", "/tables/todoitem", "{\"text\":\"a\\u0000b\"}", 400,
                    "invalidValue"),
            row("unknown column on a declared table", V3, "POST", "/tables/todoitem", "{\"nosuch\":1}", 400,
                    "unknownColumn"),
            row("wrong type in a patch", V3, "PATCH", "/tables/todoitem/a", "{\"complete\":1}", 400, "wrongType"),
            row("reserved createdAt in a v2 body", V2, "POST", "/tables/todoitem",
                    "{\"text\":\"x\",\"createdAt\":\"2020-01-01T00:00:00.000Z\"}", 400, "reservedProperty"),
            row("reserved UPDATEDAT in a v2 patch", V2, "PATCH", "/tables/todoitem/a",
                    "{\"UPDATEDAT\":\"2020-01-01T00:00:00.000Z\"}", 400, "reservedProperty"),
            row("reserved deleted in a v2 body", V2, "POST", "/tables/todoitem", "{\"deleted\":false}", 400,
                    "reservedProperty"),
            row("id with a space", V3, "POST", "/tables/todoitem", "{\"id\":\"bad id\"}", 400, "invalidId"),
            row("id with a slash", V3, "POST", "/tables/todoitem", "{\"id\":\"a/b\"}", 400, "invalidId"),
            row("id ..", V3, "POST", "/tables/todoitem", "{\"id\":\"..\"}", 400, "invalidId"),
            row("id starting with -", V3, "POST", "/tables/todoitem", "{\"id\":\"-a\"}", 400, "invalidId"),
            row("id of 128 characters", V3, "POST", "/tables/todoitem", "{\"id\":\"" + "a".repeat(128) + "\"}",
                    400, "invalidId"),
            row("id that is an object", V3, "POST", "/tables/todoitem", "{\"id\":{}}", 400, "invalidId"),
            row("id with a control character", V3, "POST", "/tables/todoitem", "{\"id\":\"a\\u0001\"}", 400,
                    "invalidId"),
            row("invalid id in the URL", V3, "GET", "/tables/todoitem/bad%20id", null, 400, "invalidId"),
            row("URL id differs from body id", V3, "PATCH", "/tables/todoitem/a", "{\"id\":\"b\",\"text\":\"x\"}",
                    400, "idMismatch"),
            row("incomplete $filter", V3, "GET", "/tables/todoitem?$filter=text%20eq", null, 400, "invalidQuery"),
            row("too long $filter", V3, "GET", "/tables/todoitem?$filter=" + enc(longFilter), null, 400,
                    "invalidQuery"),
            row("too deep $filter", V3, "GET", "/tables/todoitem?$filter=" + enc(deepFilter), null, 400,
                    "invalidQuery"),
            row("unknown column in $filter", V3, "GET", "/tables/todoitem?$filter=nosuch%20eq%201", null, 400,
                    "unknownColumn"),
            row("unknown function in $filter", V3, "GET", "/tables/todoitem?$filter=nosuchfn(text)%20eq%20'a'", null,
                    400, "invalidQuery"),
            row("type mismatch in $filter", V3, "GET", "/tables/todoitem?$filter=text%20eq%201", null, 400,
                    "invalidQuery"),
            row("unknown column in $orderby", V3, "GET", "/tables/todoitem?$orderby=nosuch", null, 400,
                    "unknownColumn"),
            row("bad direction in $orderby", V3, "GET", "/tables/todoitem?$orderby=text%20fizz", null, 400,
                    "invalidQuery"),
            row("unknown column in $select", V3, "GET", "/tables/todoitem?$select=nosuch", null, 400,
                    "unknownColumn"),
            row("$top negative", V3, "GET", "/tables/todoitem?$top=-1", null, 400, "invalidQuery"),
            row("$top not a number", V3, "GET", "/tables/todoitem?$top=NaN", null, 400, "invalidQuery"),
            row("$top over the maximum", V3, "GET", "/tables/todoitem?$top=1001", null, 400, "invalidQuery"),
            row("$skip negative", V3, "GET", "/tables/todoitem?$skip=-1", null, 400, "invalidQuery"),
            row("$skip not a number", V3, "GET", "/tables/todoitem?$skip=abc", null, 400, "invalidQuery"),
            row("unknown $ option", V3, "GET", "/tables/todoitem?$expand=x", null, 400, "invalidQuery"),
            row("body over the limit", V3, "POST", "/tables/todoitem", bigBody, 413, "bodyTooLarge"),
            row("unknown ZUMO-API-VERSION", "1.0.0", "POST", "/tables/todoitem", "{\"text\":\"x\"}", 400,
                    "invalidApiVersion"),
            row("injection in a table name", V3, "POST", "/tables/todoitem%3B%20DROP%20TABLE%20todoitem",
                    "{\"text\":\"x\"}", 404, "unknownTable"),
            row("injection in a table name query", V3, "GET", "/tables/todoitem'%20OR%20'1'='1", null, 404,
                    "unknownTable"),
            row("reserved system table", V3, "GET", "/tables/outpost_clock", null, 404, "unknownTable"),
            row("injection in a column name", V3, "POST", "/tables/todoitem",
                    "{\"text\\\"; DROP TABLE todoitem; --\":\"x\"}", 400, "invalidColumnName"),
            row("injection in an id", V3, "GET", "/tables/todoitem/x'%3B%20DROP%20TABLE%20todoitem%3B--", null, 400,
                    "invalidId"),
            row("injection in a $filter", V3, "GET",
                    "/tables/todoitem?$filter=" + enc("text eq 'a'; DROP TABLE todoitem; --"), null, 400,
                    "invalidQuery"),
            row("injection in an $orderby", V3, "GET",
                    "/tables/todoitem?$orderby=" + enc("text; DROP TABLE todoitem"), null, 400, "invalidQuery"),
            row("injection in a $select", V3, "GET",
                    "/tables/todoitem?$select=" + enc("text FROM todoitem; --"), null, 400, "invalidQuery"),
            typed("text/plain body", "text/plain", "{\"text\":\"x\"}", 415, "unsupportedMediaType"),
            typed("form body", "application/x-www-form-urlencoded", "{\"text\":\"x\"}", 415, "unsupportedMediaType"),
        };
        List<Arguments> arguments = new ArrayList<>();
        for (TestDatabase db : TestDatabase.values()) {
            for (Object[] row : rows) {
                Object[] withDb = new Object[row.length + 1];
                withDb[0] = db;
                System.arraycopy(row, 0, withDb, 1, row.length);
                arguments.add(Arguments.of(withDb));
            }
        }
        return arguments.stream();
    }

    private static String enc(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("hostileInputs")
    void hostileInputIsA4xxWithAJsonErrorAndWritesNothing(TestDatabase db, String name, String version,
                                                          String method, String path, String body,
                                                          String contentType, int status, String code) {
        TestServer server = server(db);
        String before = snapshot(server);
        Map<String, String> headers = new HashMap<>();
        headers.put("ZUMO-API-VERSION", version);
        if (contentType != null) {
            headers.put("Content-Type", contentType);
        }

        Reply reply = server.send(method, path, body, headers);

        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().get("code").asText()).isEqualTo(code);
        assertThat(reply.json().get("error").asText()).isNotBlank();
        assertThat(snapshot(server)).isEqualTo(before);
    }

    private static String snapshot(TestServer server) {
        Reply all = server.v3("GET", "/tables/todoitem?__includedeleted=true&$count=true", null);
        assertThat(all.status()).isEqualTo(200);
        return all.body();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anInjectionAttemptAsAValueIsStoredVerbatimAndTheTableSurvives(TestDatabase db) {
        TestServer server = server(db);
        String value = "'; DROP TABLE todoitem; --";

        Reply inserted = server.v3("POST", "/tables/todoitem", "{\"id\":\"inj\",\"text\":\"" + value + "\"}");
        Reply found = server.v3("GET", "/tables/todoitem?$filter=" + enc("text eq '''; DROP TABLE todoitem; --'"),
                null);
        Reply quoted = server.v3("GET", "/tables/todoitem?$filter=" + enc("text eq 'x'' OR 1=1 --'"), null);

        assertThat(inserted.status()).isEqualTo(201);
        assertThat(inserted.json().get("text").asText()).isEqualTo(value);
        assertThat(found.json().get("items")).hasSize(1);
        assertThat(quoted.json().get("items")).isEmpty();
        assertThat(server.v3("DELETE", "/tables/todoitem/inj", null).status()).isEqualTo(204);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aStrictServerRefusesRequestsWithoutAnApiVersion(TestDatabase db) {
        try (TestServer strict = TestServer.start(db, b -> b.strictVersion(true))) {
            Reply missing = strict.send("POST", "/tables/todoitem", "{\"text\":\"x\"}", Map.of());
            Reply given = strict.v2("GET", "/tables/todoitem", null);

            assertThat(missing.status()).isEqualTo(400);
            assertThat(missing.json().get("code").asText()).isEqualTo("invalidApiVersion");
            assertThat(given.body()).isEqualTo("[]");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theDynamicSchemaRefusesAValueOfAnotherTypeThanTheColumnAndAddsNothing(TestDatabase db) {
        try (TestServer dynamic = TestServer.start(db)) {
            assertThat(dynamic.v3("POST", "/tables/notes", "{\"id\":\"n1\",\"n\":1}").status()).isEqualTo(201);

            Reply wrong = dynamic.v3("POST", "/tables/notes", "{\"id\":\"n2\",\"n\":\"one\",\"extra\":true}");
            Reply badName = dynamic.v3("POST", "/tables/notes", "{\"id\":\"n3\",\"bad name\":1}");
            Reply badTable = dynamic.v3("POST", "/tables/1notes", "{\"id\":\"n3\"}");

            assertThat(wrong.status()).isEqualTo(400);
            assertThat(wrong.json().get("code").asText()).isEqualTo("wrongType");
            assertThat(badName.status()).isEqualTo(400);
            assertThat(badTable.status()).isEqualTo(404);
            Reply list = dynamic.v3("GET", "/tables/notes", null);
            assertThat(list.json().get("items")).hasSize(1);
            assertThat(list.json().get("items").get(0).has("extra")).isFalse();
        }
    }
}
