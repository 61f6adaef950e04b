package dev.outpost.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.SharedServers;
import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Routes, statuses, headers and bodies of the v2 and v3 table protocols, over real HTTP on both databases. */
class TableApiTest extends SharedServers {

    private static String insert(TestServer server, String table, String body) {
        Reply reply = server.v2("POST", "/tables/" + table, body);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("version").asText();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void insertWithoutIdGetsAUuidAndEveryColumnInOrder(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        server.v2("POST", "/tables/" + table, "{\"text\":\"first\",\"complete\":false}");
        Reply reply = server.v2("POST", "/tables/" + table, "{\"text\":\"only text\"}");

        assertThat(reply.status()).isEqualTo(201);
        JsonNode record = reply.json();
        assertThat(record.get("id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(List.of(record.fieldNames().next())).containsExactly("text");
        assertThat(iterable(record)).containsExactly("text", "complete", "id", "createdAt", "updatedAt", "version",
                "deleted");
        assertThat(record.get("complete").isNull()).isTrue();
        assertThat(record.get("updatedAt").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
        assertThat(reply.header("ETag")).isEqualTo("\"" + record.get("version").asText() + "\"");
        assertThat(reply.header("X-Outpost-Server")).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aStreamedPageWritesEveryValueAsTheSingleRecordReadDoes(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("values");
        for (String body : List.of(
                "{\"id\":\"a\",\"text\":\"été ✓ 😀 \\\"quoted\\\" back\\\\slash \\u0001 tab\\t line\\n\","
                        + "\"n\":1.5,\"flag\":true,\"doc\":{\"k\":[1,\"two\",null]}}",
                "{\"id\":\"b\",\"text\":\"\",\"n\":3,\"flag\":false,\"doc\":[]}",
                "{\"id\":\"c\",\"text\":null,\"n\":-0.25,\"flag\":null,\"doc\":null}")) {
            Reply reply = server.v3("POST", "/tables/" + table, body);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        }

        JsonNode items = server.v3("GET", "/tables/" + table + "?$orderby=id", null).json().get("items");

        assertThat(items).hasSize(3);
        for (JsonNode item : items) {
            Reply single = server.v3("GET", "/tables/" + table + "/" + item.get("id").asText(), null);
            assertThat(item).isEqualTo(single.json());
        }
        assertThat(items.get(0).get("text").asText()).isEqualTo("été ✓ 😀 \"quoted\" back\\slash \u0001 tab\t line\n");
        assertThat(items.get(1).get("text").asText()).isEmpty();
        assertThat(items.get(2).get("text").isNull()).isTrue();
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void insertOfExistingIdAnswers409WithTheServerRecordAndItsETag(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        String version = insert(server, table, "{\"id\":\"item-1\",\"text\":\"original\"}");

        Reply v2 = server.v2("POST", "/tables/" + table, "{\"id\":\"item-1\",\"text\":\"duplicate\"}");
        Reply v3 = server.v3("POST", "/tables/" + table, "{\"id\":\"item-1\",\"text\":\"duplicate\"}");

        for (Reply reply : List.of(v2, v3)) {
            assertThat(reply.status()).isEqualTo(409);
            assertThat(reply.json().get("text").asText()).isEqualTo("original");
            assertThat(reply.header("ETag")).isEqualTo("\"" + version + "\"");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void insertOfATombstonesIdIsAConflictToo(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        insert(server, table, "{\"id\":\"gone\",\"text\":\"x\"}");
        assertThat(server.v2("DELETE", "/tables/" + table + "/gone", null).status()).isEqualTo(200);

        Reply reply = server.v2("POST", "/tables/" + table, "{\"id\":\"gone\",\"text\":\"again\"}");

        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.json().get("deleted").asBoolean()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void v3InsertAnswers201WithLocationAndNumericIdsAreStoredAsStrings(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        Reply reply = server.v3("POST", "/tables/" + table, "{\"id\":12345,\"text\":\"numeric\"}");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().get("id").isTextual()).isTrue();
        assertThat(reply.json().get("id").asText()).isEqualTo("12345");
        assertThat(reply.header("Location")).isEqualTo(server.baseUrl().replace("127.0.0.1", "127.0.0.1")
                + "/tables/" + table + "/12345");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void v3IgnoresServerManagedPropertiesWhileV2RefusesThem(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        String body = "{\"id\":\"a\",\"text\":\"x\",\"updatedAt\":\"2020-01-01T00:00:00.000Z\",\"deleted\":true}";

        Reply v2 = server.v2("POST", "/tables/" + table, body);
        Reply v3 = server.v3("POST", "/tables/" + table, body);

        assertThat(v2.status()).isEqualTo(400);
        assertThat(v2.json().get("code").asText()).isEqualTo("reservedProperty");
        assertThat(v3.status()).isEqualTo(201);
        assertThat(v3.json().get("deleted").asBoolean()).isFalse();
        assertThat(v3.json().get("updatedAt").asText()).doesNotStartWith("2020");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void readAnswersTheRecordWithItsETagAndMissingIsA404(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        String version = insert(server, table, "{\"id\":\"item-1\",\"text\":\"x\"}");

        Reply found = server.v2("GET", "/tables/" + table.toUpperCase() + "/item-1", null);
        Reply missing = server.v2("GET", "/tables/" + table + "/nope", null);

        assertThat(found.status()).isEqualTo(200);
        assertThat(found.header("ETag")).isEqualTo("\"" + version + "\"");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.json().get("error").asText()).isEqualTo("The item does not exist");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void v3IfNoneMatchOfTheCurrentVersionAnswers304(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        String version = insert(server, table, "{\"id\":\"item-1\",\"text\":\"x\"}");

        Reply v3 = server.send("GET", "/tables/" + table + "/item-1", null,
                Map.of("ZUMO-API-VERSION", "3.0.0", "If-None-Match", "\"" + version + "\""));
        Reply other = server.send("GET", "/tables/" + table + "/item-1", null,
                Map.of("ZUMO-API-VERSION", "3.0.0", "If-None-Match", "\"AAAAAAAAAAA=\""));

        assertThat(v3.status()).isEqualTo(304);
        assertThat(v3.header("ETag")).isEqualTo("\"" + version + "\"");
        assertThat(other.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void patchWithTheCurrentVersionMergesAndChangesTheVersion(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        String version = insert(server, table, "{\"id\":\"item-1\",\"text\":\"x\",\"complete\":false}");

        Reply quoted = server.send("PATCH", "/tables/" + table + "/item-1", "{\"text\":\"y\"}",
                Map.of("ZUMO-API-VERSION", "2.0.0", "If-Match", "\"" + version + "\""));
        String second = quoted.json().get("version").asText();
        Reply unquoted = server.send("PATCH", "/tables/" + table + "/item-1", "{\"complete\":true}",
                Map.of("ZUMO-API-VERSION", "2.0.0", "If-Match", second));
        Reply inBody = server.v2("PATCH", "/tables/" + table + "/item-1",
                "{\"complete\":null,\"version\":\"" + unquoted.json().get("version").asText() + "\"}");

        assertThat(quoted.status()).isEqualTo(200);
        assertThat(second).isNotEqualTo(version);
        assertThat(unquoted.status()).isEqualTo(200);
        assertThat(unquoted.json().get("text").asText()).isEqualTo("y");
        assertThat(inBody.status()).isEqualTo(200);
        assertThat(inBody.json().get("complete").isNull()).isTrue();
        assertThat(inBody.header("ETag")).isEqualTo("\"" + inBody.json().get("version").asText() + "\"");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void staleIfMatchIs412AndStaleBodyVersionIs409BothWithTheServerRecord(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        String version = insert(server, table, "{\"id\":\"item-1\",\"text\":\"server\"}");

        Reply header = server.send("PATCH", "/tables/" + table + "/item-1", "{\"text\":\"stale\"}",
                Map.of("ZUMO-API-VERSION", "2.0.0", "If-Match", "\"AAAAAAAAAAA=\""));
        Reply body = server.v2("PATCH", "/tables/" + table + "/item-1",
                "{\"text\":\"stale\",\"version\":\"AAAAAAAAAAA=\"}");
        Reply delete = server.send("DELETE", "/tables/" + table + "/item-1", null,
                Map.of("ZUMO-API-VERSION", "3.0.0", "If-Match", "\"AAAAAAAAAAA=\""));
        Reply wildcard = server.send("PATCH", "/tables/" + table + "/item-1", "{\"text\":\"any\"}",
                Map.of("ZUMO-API-VERSION", "2.0.0", "If-Match", "*"));

        assertThat(header.status()).isEqualTo(412);
        assertThat(body.status()).isEqualTo(409);
        assertThat(delete.status()).isEqualTo(412);
        for (Reply reply : List.of(header, body, delete)) {
            assertThat(reply.json().get("text").asText()).isEqualTo("server");
            assertThat(reply.header("ETag")).isEqualTo("\"" + version + "\"");
        }
        assertThat(wildcard.status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void v3PutReplacesEveryColumnAndRefusesAMismatchedId(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        insert(server, table, "{\"id\":\"item-1\",\"text\":\"x\",\"complete\":true}");

        Reply mismatch = server.v3("PUT", "/tables/" + table + "/item-1", "{\"id\":\"item-2\",\"text\":\"y\"}");
        Reply replaced = server.v3("PUT", "/tables/" + table + "/item-1", "{\"id\":\"item-1\",\"text\":\"y\"}");

        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.json().get("code").asText()).isEqualTo("idMismatch");
        assertThat(replaced.status()).isEqualTo(200);
        assertThat(replaced.json().get("complete").isNull()).isTrue();
        assertThat(replaced.json().get("text").asText()).isEqualTo("y");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void v2DeleteAnswersTheTombstoneAndV3Answers204ThenTheyDiffer(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        insert(server, table, "{\"id\":\"a\",\"text\":\"x\"}");
        insert(server, table, "{\"id\":\"b\",\"text\":\"x\"}");

        Reply v2 = server.v2("DELETE", "/tables/" + table + "/a", null);
        Reply v3 = server.v3("DELETE", "/tables/" + table + "/b", null);

        assertThat(v2.status()).isEqualTo(200);
        assertThat(v2.json().get("deleted").asBoolean()).isTrue();
        assertThat(v3.status()).isEqualTo(204);
        assertThat(server.v2("DELETE", "/tables/" + table + "/a", null).status()).isEqualTo(404);
        assertThat(server.v3("DELETE", "/tables/" + table + "/a", null).status()).isEqualTo(410);
        assertThat(server.v2("GET", "/tables/" + table + "/a", null).status()).isEqualTo(404);
        assertThat(server.v2("GET", "/tables/" + table + "/a?__includeDeleted=true", null).status()).isEqualTo(404);
        assertThat(server.v3("GET", "/tables/" + table + "/a", null).status()).isEqualTo(410);
        assertThat(server.v3("GET", "/tables/" + table + "/a?__includedeleted=true", null).status()).isEqualTo(200);
        assertThat(server.v2("PATCH", "/tables/" + table + "/a", "{\"text\":\"y\"}").status()).isEqualTo(404);
        assertThat(server.v3("PATCH", "/tables/" + table + "/a", "{\"text\":\"y\"}").status()).isEqualTo(410);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void undeleteIsV2PostToTheIdAndV3PatchDeletedFalse(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        insert(server, table, "{\"id\":\"a\",\"text\":\"x\"}");
        insert(server, table, "{\"id\":\"b\",\"text\":\"x\"}");
        server.v2("DELETE", "/tables/" + table + "/a", null);
        server.v2("DELETE", "/tables/" + table + "/b", null);

        Reply v2 = server.v2("POST", "/tables/" + table + "/a", null);
        Reply v3 = server.v3("PATCH", "/tables/" + table + "/b", "{\"deleted\":false}");

        assertThat(v2.status()).isEqualTo(201);
        assertThat(v2.json().get("deleted").asBoolean()).isFalse();
        assertThat(v3.status()).isEqualTo(200);
        assertThat(v3.json().get("deleted").asBoolean()).isFalse();
        assertThat(server.v2("POST", "/tables/" + table + "/nope", null).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void apiVersionComesFromHeaderOrQueryParameterOfAnyCase(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        insert(server, table, "{\"id\":\"a\",\"text\":\"x\"}");

        Reply query = server.send("GET", "/tables/" + table + "?zumo-api-version=2.0.0", null, Map.of());
        Reply header = server.send("GET", "/tables/" + table, null, Map.of("zumo-api-version", "2.0.1"));
        Reply missing = server.send("GET", "/tables/" + table, null, Map.of());
        Reply unknown = server.send("GET", "/tables/" + table, null, Map.of("ZUMO-API-VERSION", "1.0.0"));

        assertThat(query.json().isArray()).isTrue();
        assertThat(header.json().isArray()).isTrue();
        assertThat(missing.json().has("items")).isTrue();
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().get("code").asText()).isEqualTo("invalidApiVersion");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aQueryOnATableThatDoesNotExistYetIsEmptyAndUnknownRoutesAreJson404s(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("never");

        assertThat(server.v2("GET", "/tables/" + table, null).body()).isEqualTo("[]");
        assertThat(server.v3("GET", "/tables/" + table + "?$count=true", null).json().get("count").asLong())
                .isZero();
        assertThat(server.v2("GET", "/tables/" + table + "/x", null).status()).isEqualTo(404);
        Reply route = server.v2("GET", "/nothing/here", null);
        assertThat(route.status()).isEqualTo(404);
        assertThat(route.json().get("code").asText()).isEqualTo("noRoute");
        assertThat(route.header("X-Outpost-Server")).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aBodyWithoutContentTypeIsReadAsJson(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");

        Reply reply = server.send("POST", "/tables/" + table, "{\"text\":\"no type\"}",
                Map.of("ZUMO-API-VERSION", "2.0.0", "Content-Type", ""));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().get("text").asText()).isEqualTo("no type");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void v2PatchToTheTableUrlTakesTheIdFromTheBody(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("todo");
        insert(server, table, "{\"id\":\"item-1\",\"text\":\"x\"}");

        Reply reply = server.v2("PATCH", "/tables/" + table, "{\"id\":\"item-1\",\"text\":\"via table url\"}");
        Reply noId = server.v2("PATCH", "/tables/" + table, "{\"text\":\"which?\"}");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("text").asText()).isEqualTo("via table url");
        assertThat(noId.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void healthChecksTheDatabase(TestDatabase db) {
        Reply reply = server(db).send("GET", "/health", null, Map.of());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().get("status").asText()).isEqualTo("ok");
        assertThat(reply.header("X-Outpost-Server")).isNotBlank();
    }
}
