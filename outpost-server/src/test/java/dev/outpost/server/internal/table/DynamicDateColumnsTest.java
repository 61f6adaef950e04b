package dev.outpost.server.internal.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.SharedServers;
import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dynamic schema makes a {@code date} column of a string in the canonical form the official clients send dates
 * in ({@code 2008-07-18T00:00:00.000Z}): such values read back identical, date functions and comparisons work on
 * them, a later value that is not a canonical date is a 400 naming the column, and any other first string makes a
 * string column.
 */
class DynamicDateColumnsTest extends SharedServers {

    private static Reply insert(TestServer server, String table, String body) {
        return server.v3("POST", "/tables/" + table, body);
    }

    private static List<String> ids(TestServer server, String table, String filter, boolean v2) {
        String path = "/tables/" + table + "?$filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)
                .replace("+", "%20") + "&$select=id";
        Reply reply = v2 ? server.v2("GET", path, null) : server.v3("GET", path, null);
        assertThat(reply.status()).as("%s: %s", filter, reply).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        (v2 ? reply.json() : reply.json().get("items")).forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void canonicalDateStringsMakeDateColumnsThatRoundTripExactly(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("dates");
        String[] values = {"2008-07-18T00:00:00.000Z", "0001-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z",
                "2024-02-29T12:34:56.789Z"};

        for (int i = 0; i < values.length; i++) {
            assertThat(insert(server, table, "{\"id\":\"d" + i + "\",\"due\":\"" + values[i] + "\"}").status())
                    .isEqualTo(201);
        }
        assertThat(insert(server, table, "{\"id\":\"none\",\"due\":null}").status()).isEqualTo(201);

        for (int i = 0; i < values.length; i++) {
            assertThat(server.v3("GET", "/tables/" + table + "/d" + i, null).json().get("due").asText())
                    .isEqualTo(values[i]);
            assertThat(server.v2("GET", "/tables/" + table + "/d" + i, null).json().get("due").asText())
                    .isEqualTo(values[i]);
        }
        JsonNode page = server.v3("GET", "/tables/" + table + "?$orderby=due", null).json().get("items");
        assertThat(page.get(0).get("due").isNull()).isTrue();
        assertThat(page.get(1).get("due").asText()).isEqualTo("0001-01-01T00:00:00.000Z");
        assertThat(page.get(4).get("due").asText()).isEqualTo("9999-12-31T23:59:59.999Z");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void dateFunctionsAndComparisonsWorkOnDynamicDateColumns(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("dates");
        insert(server, table, "{\"id\":\"a\",\"due\":\"2008-07-18T00:00:00.000Z\"}");
        insert(server, table, "{\"id\":\"b\",\"due\":\"2009-01-02T13:14:15.000Z\"}");

        assertThat(ids(server, table, "year(due) eq 2008", false)).containsExactly("a");
        assertThat(ids(server, table, "month(due) eq 7 and day(due) eq 18", false)).containsExactly("a");
        assertThat(ids(server, table, "hour(due) eq 13", false)).containsExactly("b");
        assertThat(ids(server, table, "due gt '2008-12-31T00:00:00.000Z'", false)).containsExactly("b");
        assertThat(ids(server, table, "due lt cast(2008-12-31T00:00:00.000Z,Edm.DateTimeOffset)", false))
                .containsExactly("a");
        assertThat(ids(server, table, "year(due) eq 2009", true)).containsExactly("b");
        assertThat(ids(server, table, "due ge datetime'2008-07-18T00:00:00.000Z'", true)).containsExactly("a", "b");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aLaterValueThatIsNotACanonicalDateIsRefusedNamingTheColumn(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("dates");
        insert(server, table, "{\"id\":\"a\",\"due\":\"2008-07-18T00:00:00.000Z\"}");

        for (String bad : List.of("\"2008-07-18\"", "\"2008-07-18T00:00:00Z\"", "\"2008-07-18T02:00:00.000+02:00\"",
                "\"2008-07-18T00:00:00.0000Z\"", "\"tomorrow\"", "5", "true")) {
            Reply reply = insert(server, table, "{\"id\":\"b\",\"due\":" + bad + "}");
            assertThat(reply.status()).as(bad).isEqualTo(400);
            assertThat(reply.header("Content-Type")).startsWith("application/json");
            assertThat(reply.json().get("code").asText()).isEqualTo("wrongType");
            assertThat(reply.json().get("property").asText()).isEqualTo("due");
            assertThat(reply.json().get("error").asText()).contains("'due'");
            Reply update = server.v3("PATCH", "/tables/" + table + "/a", "{\"due\":" + bad + "}");
            assertThat(update.status()).as(bad).isEqualTo(400);
        }
        assertThat(server.v3("GET", "/tables/" + table + "/b", null).status()).isEqualTo(404);
        assertThat(server.v3("PATCH", "/tables/" + table + "/a", "{\"due\":\"2010-01-01T00:00:00.000Z\"}").json()
                .get("due").asText()).isEqualTo("2010-01-01T00:00:00.000Z");
        assertThat(server.v3("PATCH", "/tables/" + table + "/a", "{\"due\":null}").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anyOtherFirstStringMakesAStringColumn(TestDatabase db) {
        TestServer server = server(db);
        String table = TestServer.freshTable("dates");
        String body = "{\"id\":\"a\",\"noMillis\":\"2008-07-18T00:00:00Z\",\"dateOnly\":\"2008-07-18\","
                + "\"notADay\":\"2008-02-30T00:00:00.000Z\",\"lower\":\"2008-07-18t00:00:00.000z\","
                + "\"offset\":\"2008-07-18T00:00:00.000+00:00\",\"empty\":\"\"}";

        assertThat(insert(server, table, body).status()).isEqualTo(201);

        JsonNode read = server.v3("GET", "/tables/" + table + "/a", null).json();
        JsonNode sent = readBody(body);
        for (String column : List.of("noMillis", "dateOnly", "notADay", "lower", "offset", "empty")) {
            assertThat(read.get(column).asText()).isEqualTo(sent.get(column).asText());
            Reply filter = server.v3("GET", "/tables/" + table + "?$filter=year(" + column + ")%20eq%202008", null);
            assertThat(filter.status()).as(column).isEqualTo(400);
        }
        assertThat(insert(server, table, "{\"id\":\"b\",\"noMillis\":\"any text\"}").status()).isEqualTo(201);
    }

    private static JsonNode readBody(String body) {
        try {
            return TestServer.JSON.readTree(body);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
