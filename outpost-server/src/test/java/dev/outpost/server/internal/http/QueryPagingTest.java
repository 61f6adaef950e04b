package dev.outpost.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.SharedServers;
import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Query options, page sizes and next-page links (v2 {@code Link}, v3 {@code nextLink}) over real HTTP. */
class QueryPagingTest extends SharedServers {

    private static String tableWith(TestServer server, int records) {
        String table = TestServer.freshTable("page");
        for (int i = 0; i < records; i++) {
            Reply reply = server.v2("POST", "/tables/" + table, String.format(
                    "{\"id\":\"id-%03d\",\"text\":\"t%d\",\"complete\":%s}", i, i % 7, i % 2 == 0));
            assertThat(reply.status()).isEqualTo(201);
        }
        return table;
    }

    private static List<String> ids(JsonNode items) {
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void v2PagesBy50WithALinkHeaderWithoutAngleBracketsOnTheTablePath(TestDatabase db) {
        TestServer server = server(db);
        String table = tableWith(server, 120);

        Reply first = server.v2("GET", "/tables/" + table + "?$orderby=text", null);
        Reply second = server.v2("GET", "/tables/" + table + "?$orderby=text&$skip=50", null);
        Reply last = server.v2("GET", "/tables/" + table + "?$orderby=text&$skip=100", null);

        assertThat(first.json()).hasSize(50);
        assertThat(first.header("Link")).isEqualTo(server.baseUrl() + "/tables/" + table
                + "?$orderby=text&$skip=50; rel=next");
        assertThat(second.json()).hasSize(50);
        assertThat(second.header("Link")).isEqualTo(server.baseUrl() + "/tables/" + table
                + "?$orderby=text&$skip=100; rel=next");
        assertThat(last.json()).hasSize(20);
        assertThat(last.header("Link")).isNull();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void v2AnswersATopUpToMaxTopInOneAnswerAsTheOfficialNodeServerDoes(TestDatabase db) {
        try (TestServer server = TestServer.start(db, b -> b.maxTop(150))) {
            String table = tableWith(server, 160);

            Reply top = server.v2("GET", "/tables/" + table + "?$top=125&$select=id", null);
            Reply max = server.v2("GET", "/tables/" + table + "?$top=150&$skip=5&$inlinecount=allpages", null);
            Reply over = server.v2("GET", "/tables/" + table + "?$top=151", null);

            assertThat(ids(top.json())).hasSize(125).isSorted().startsWith("id-000").endsWith("id-124");
            assertThat(top.header("Link")).isNull();
            assertThat(ids(max.json().get("results"))).hasSize(150).startsWith("id-005").endsWith("id-154");
            assertThat(max.json().get("count").asLong()).isEqualTo(160);
            assertThat(max.header("Link")).isNull();
            assertThat(over.status()).isEqualTo(400);
            assertThat(over.json().get("code").asText()).isEqualTo("invalidQuery");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void v3CapsATopAtThePageSizeAndContinuesWithNextLink(TestDatabase db) {
        try (TestServer server = TestServer.start(db, b -> b.maxTop(150))) {
            String table = tableWith(server, 160);

            Reply first = server.v3("GET", "/tables/" + table + "?$top=150&$select=id", null);
            Reply rest = server.v3("GET", "/tables/" + table + "?" + first.json().get("nextLink").asText(), null);

            assertThat(ids(first.json().get("items"))).hasSize(100).endsWith("id-099");
            assertThat(first.json().get("nextLink").asText()).isEqualTo("$select=id&$skip=100&$top=50");
            assertThat(ids(rest.json().get("items"))).hasSize(50).startsWith("id-100").endsWith("id-149");
            assertThat(rest.json().get("nextLink").isNull()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void followingV2LinksReturnsEveryRecordExactlyOnce(TestDatabase db) {
        TestServer server = server(db);
        String table = tableWith(server, 120);
        Set<String> seen = new HashSet<>();
        String next = "/tables/" + table + "?$orderby=complete&$select=id";
        int pages = 0;
        while (next != null) {
            Reply page = server.v2("GET", next, null);
            page.json().forEach(item -> assertThat(seen.add(item.get("id").asText())).isTrue());
            String link = page.header("Link");
            next = link == null ? null : link.substring(server.baseUrl().length(), link.length() - "; rel=next".length());
            pages++;
        }
        assertThat(seen).hasSize(120);
        assertThat(pages).isEqualTo(3);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void v3PagesBy100WithABareQueryStringNextLinkOrAPathOnRequest(TestDatabase db) {
        TestServer server = server(db);
        String table = tableWith(server, 130);

        Reply bare = server.v3("GET", "/tables/" + table + "?$count=true&$top=125", null);
        Reply path = server.send("GET", "/tables/" + table + "?$filter=complete%20eq%20true", null,
                Map.of("ZUMO-API-VERSION", "3.0.0", "X-ZUMO-Options", "nextLink=path"));
        Reply small = server.v3("GET", "/tables/" + table + "?$filter=complete%20eq%20true", null);

        assertThat(bare.json().get("items")).hasSize(100);
        assertThat(bare.json().get("count").asLong()).isEqualTo(130);
        assertThat(bare.json().get("nextLink").asText()).isEqualTo("$count=true&$skip=100&$top=25");
        assertThat(path.json().get("items")).hasSize(65);
        assertThat(path.json().get("nextLink").isNull()).isTrue();
        assertThat(small.json().has("count")).isFalse();
        Reply rest = server.v3("GET", "/tables/" + table + "?" + bare.json().get("nextLink").asText(), null);
        assertThat(rest.json().get("items")).hasSize(25);
        assertThat(rest.json().get("nextLink").isNull()).isTrue();

        Reply pathPage = server.send("GET", "/tables/" + table + "?$select=id", null,
                Map.of("ZUMO-API-VERSION", "3.0.0", "X-ZUMO-Options", "nextLink=path"));
        assertThat(pathPage.json().get("nextLink").asText()).isEqualTo("/tables/" + table + "?$select=id&$skip=100");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void selectReturnsExactlyTheSelectedPropertiesAndCountsMatchTheFilter(TestDatabase db) {
        TestServer server = server(db);
        String table = tableWith(server, 10);

        Reply v2 = server.v2("GET", "/tables/" + table + "?$select=text,id&$inlinecount=allpages"
                + "&$filter=complete%20eq%20true&$top=2", null);

        JsonNode results = v2.json().get("results");
        assertThat(v2.json().get("count").asLong()).isEqualTo(5);
        assertThat(results).hasSize(2);
        List<String> names = new ArrayList<>();
        results.get(0).fieldNames().forEachRemaining(names::add);
        assertThat(names).containsExactly("text", "id");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void orderByAlwaysEndsWithIdAndNoOrderByMeansId(TestDatabase db) {
        TestServer server = server(db);
        String table = tableWith(server, 21);

        List<String> byText = ids(server.v3("GET", "/tables/" + table + "?$orderby=text%20desc&$select=id", null)
                .json().get("items"));
        List<String> byDefault = ids(server.v3("GET", "/tables/" + table + "?$select=id", null).json().get("items"));

        assertThat(byText.subList(0, 3)).containsExactly("id-006", "id-013", "id-020");
        assertThat(byDefault).isSorted();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void includeDeletedShowsTombstonesAndUnknownNonDollarParametersAreIgnored(TestDatabase db) {
        TestServer server = server(db);
        String table = tableWith(server, 3);
        server.v2("DELETE", "/tables/" + table + "/id-001", null);

        assertThat(server.v2("GET", "/tables/" + table + "?orderby=nonsense&foo=bar", null).json()).hasSize(2);
        assertThat(server.v2("GET", "/tables/" + table + "?__INCLUDEDELETED=true", null).json()).hasSize(3);
        assertThat(server.v3("GET", "/tables/" + table + "?__includedeleted=true&$filter=deleted%20eq%20true",
                null).json().get("items")).hasSize(1);
        assertThat(server.send("GET", "/tables/" + table, null, Map.of("ZUMO-API-VERSION", "3.0.0",
                "X-ZUMO-Options", "include:deleted")).json().get("items")).hasSize(3);
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void gzipIsUsedWhenAskedFor(TestDatabase db) {
        TestServer server = server(db);
        String table = tableWith(server, 60);

        Reply reply = server.send("GET", "/tables/" + table, null, Map.of("ZUMO-API-VERSION", "3.0.0",
                "Accept-Encoding", "gzip"));

        assertThat(reply.header("Content-Encoding")).isEqualTo("gzip");
    }
}
