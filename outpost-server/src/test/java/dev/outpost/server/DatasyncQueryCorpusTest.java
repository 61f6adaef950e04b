package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.testing.SharedReference;
import dev.outpost.testing.TestDatabase;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Datasync movie query corpus ({@code shared/reference/datasync-queries}: 248 movies and 446 cases with the
 * answers the .NET Datasync server's own tests expect) run against a real Outpost server over HTTP, on SQLite and on
 * PostgreSQL, in the v3 and the v2 dialect. v3-only syntax is skipped in v2 and v2-native syntax in v3; in v2 the
 * server's default page size is 50 and a {@code $top} is answered in full, so page sizes, next links and page counts
 * are rescaled from the corpus's 100.
 */
class DatasyncQueryCorpusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final int V3_PAGE = 100;
    private static final int V2_PAGE = 50;

    private static final List<Runnable> cleanups = new ArrayList<>();
    private final OkHttpClient http = new OkHttpClient();

    @TempDir
    static Path tempDir;

    @AfterAll
    static void cleanUp() {
        cleanups.forEach(Runnable::run);
    }

    @TestFactory
    Stream<DynamicContainer> corpusOnSqlite() throws IOException {
        return corpus(TestDatabase.SQLITE);
    }

    @TestFactory
    Stream<DynamicContainer> corpusOnPostgres() throws IOException {
        return corpus(TestDatabase.POSTGRES);
    }

    private Stream<DynamicContainer> corpus(TestDatabase database) throws IOException {
        Path dir = SharedReference.require("reference/datasync-queries");
        JsonNode movies = JSON.readTree(dir.resolve("movies.json").toFile());
        JsonNode cases = JSON.readTree(dir.resolve("cases.json").toFile()).get("cases");

        String url = database.createUrl();
        Path tables = tempDir.resolve("tables-" + database + ".json");
        Files.writeString(tables, TABLES);
        OutpostServer server = OutpostServer.builder()
                .config(ServerConfig.builder().database(url).tablesFile(tables).port(0).build())
                .build()
                .start();
        cleanups.add(() -> {
            server.stop();
            database.drop(url);
        });
        String base = "http://127.0.0.1:" + server.port();
        load(base, "movies", movies, false);
        load(base, "moviesctk", movies, true);

        List<DynamicTest> v3 = new ArrayList<>();
        List<DynamicTest> v2 = new ArrayList<>();
        for (JsonNode c : cases) {
            Set<String> dialects = texts(c.get("dialects"));
            if (dialects.contains("v3")) {
                v3.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> run(base, c, false)));
            }
            if (dialects.contains("v2")) {
                v2.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> run(base, c, true)));
            }
        }
        return Stream.of(DynamicContainer.dynamicContainer("v3", v3), DynamicContainer.dynamicContainer("v2", v2));
    }

    private void load(String base, String table, JsonNode movies, boolean ctkSpelling) throws IOException {
        for (JsonNode movie : movies) {
            ObjectNode record = ((ObjectNode) movie).deepCopy();
            if (ctkSpelling) {
                JsonNode rating = record.get("rating");
                record.put("rating", rating.isNull() ? "Unrated" : rating.asText().replace("-", ""));
            }
            Request request = new Request.Builder().url(base + "/tables/" + table)
                    .header("ZUMO-API-VERSION", "3.0.0")
                    .post(RequestBody.create(JSON.writeValueAsBytes(record), JSON_TYPE)).build();
            try (Response response = http.newCall(request).execute()) {
                assertThat(response.code()).as("loading %s into %s", movie.get("id"), table).isEqualTo(201);
            }
        }
    }

    private void run(String base, JsonNode c, boolean v2) throws IOException {
        String table = texts(c.get("datasets")).contains("ama") ? "movies" : "moviesctk";
        String query = c.get("query").asText();
        if (v2) {
            query = query.replace("$count=true", "$inlinecount=allpages");
        }
        JsonNode expect = c.get("expect");
        String kind = c.get("kind").asText();
        Page first = get(base, table, query, v2);
        assertThat(first.status).as("status of %s", query).isEqualTo(expect.get("status").asInt());
        if (first.status != 200) {
            return;
        }
        switch (kind) {
            case "query" -> checkQuery(c, query, first, v2);
            case "select" -> checkSelect(c, first);
            case "paging" -> checkPaging(base, table, c, first, v2);
            default -> throw new AssertionError("unknown case kind " + kind);
        }
    }

    private void checkQuery(JsonNode c, String query, Page page, boolean v2) {
        JsonNode expect = c.get("expect");
        Map<String, String> params = parameters(query, false);
        int pageSize = v2 ? V2_PAGE : V3_PAGE;
        int items = expect.get("items").asInt();
        boolean expectNext = !expect.get("nextLink").isNull();
        Map<String, String> expectedNext = expectNext ? parameters(expect.get("nextLink").asText(), false) : null;
        if (pageSize != V3_PAGE) {
            int skip = Integer.parseInt(params.getOrDefault("$skip", "0"));
            Integer top = params.containsKey("$top") ? Integer.parseInt(params.get("$top")) : null;
            int available = Math.max(0, c.get("matchCount").asInt() - skip);
            int wanted = top == null ? available : Math.min(top, available);
            // v2 answers a $top in full (up to --max-top), as the official Node server does.
            items = top == null ? Math.min(pageSize, wanted) : wanted;
            expectNext = items < wanted;
            if (expectNext) {
                expectedNext = new LinkedHashMap<>(params);
                expectedNext.put("$skip", Integer.toString(skip + items));
                if (top != null) {
                    expectedNext.put("$top", Integer.toString(top - items));
                }
            }
        } else if (expectNext && v2) {
            Map<String, String> translated = new LinkedHashMap<>();
            expectedNext.forEach((k, v) -> {
                if (k.equals("$count")) {
                    translated.put("$inlinecount", "allpages");
                } else {
                    translated.put(k, v);
                }
            });
            expectedNext = translated;
        }
        assertThat(page.items.size()).as("items of %s", query).isEqualTo(items);
        List<String> firstIds = texts(expect.get("firstIds")).stream().limit(items).toList();
        assertThat(page.ids().subList(0, firstIds.size())).as("first ids of %s", query).isEqualTo(firstIds);
        if (expect.get("count").isNull()) {
            assertThat(page.count).as("count of %s", query).isNull();
        } else {
            assertThat(page.count).as("count of %s", query).isEqualTo(expect.get("count").asLong());
        }
        if (expectNext) {
            assertThat(page.next).as("next link of %s", query).isNotNull();
            assertThat(parameters(page.next, true)).as("next link of %s", query).isEqualTo(expectedNext);
        } else {
            assertThat(page.next).as("next link of %s", query).isNull();
        }
    }

    private void checkSelect(JsonNode c, Page page) {
        JsonNode expect = c.get("expect");
        assertThat(page.items.size()).isEqualTo(expect.get("items").asInt());
        Set<String> keys = texts(expect.get("keys"));
        for (JsonNode item : page.items) {
            assertThat(texts(fieldNames(item))).as("keys of %s", item).isEqualTo(keys);
        }
    }

    private void checkPaging(String base, String table, JsonNode c, Page first, boolean v2) throws IOException {
        JsonNode expect = c.get("expect");
        Set<String> ids = new HashSet<>(first.ids());
        int pages = 1;
        Page page = first;
        while (page.next != null) {
            assertThat(pages).as("page count").isLessThan(100);
            page = follow(base, table, page.next, v2);
            assertThat(page.status).isEqualTo(200);
            ids.addAll(page.ids());
            pages++;
        }
        int collected = expect.get("collected").asInt();
        assertThat(ids).hasSize(collected);
        int expectedPages = v2 ? Math.max(1, (collected + V2_PAGE - 1) / V2_PAGE) : expect.get("pages").asInt();
        assertThat(pages).as("pages").isEqualTo(expectedPages);
    }

    /** GETs the first page of a corpus query (unencoded, as the corpus writes it). */
    private Page get(String base, String table, String query, boolean v2) throws IOException {
        HttpUrl.Builder builder = HttpUrl.get(base + "/tables/" + table).newBuilder();
        parameters(query, false).forEach(builder::addQueryParameter);
        return get(builder.build(), v2);
    }

    /** GETs the page a server-provided next link points at: an absolute URL (v2) or a query string (v3). */
    private Page follow(String base, String table, String link, boolean v2) throws IOException {
        return get(HttpUrl.get(link.startsWith("http") ? link : base + "/tables/" + table + "?" + link), v2);
    }

    private Page get(HttpUrl url, boolean v2) throws IOException {
        Request request = new Request.Builder().url(url).header("ZUMO-API-VERSION", v2 ? "2.0.0" : "3.0.0").build();
        try (Response response = http.newCall(request).execute()) {
            Page page = new Page();
            page.status = response.code();
            String body = response.body().string();
            if (page.status != 200) {
                assertThat(JSON.readTree(body).path("error").isTextual()).as("JSON error body: %s", body).isTrue();
                return page;
            }
            JsonNode json = JSON.readTree(body);
            if (v2) {
                page.items = (ArrayNode) (json.isArray() ? json : json.get("results"));
                page.count = json.isObject() ? json.get("count").asLong() : null;
                String link = response.header("Link");
                if (link != null) {
                    assertThat(link).endsWith("; rel=next").doesNotContain("<").doesNotContain(">");
                    page.next = link.substring(0, link.length() - "; rel=next".length());
                }
            } else {
                page.items = (ArrayNode) json.get("items");
                page.count = json.hasNonNull("count") ? json.get("count").asLong() : null;
                page.next = json.hasNonNull("nextLink") ? json.get("nextLink").asText() : null;
            }
            return page;
        }
    }

    /**
     * Query parameters of a query string or URL, in order: decoded when {@code encoded} (links the server wrote),
     * taken as they are otherwise (the corpus writes its queries and expected links unencoded).
     */
    private static Map<String, String> parameters(String text, boolean encoded) {
        String query = text;
        int question = text.indexOf('?');
        if (text.startsWith("http") || text.startsWith("/")) {
            query = question < 0 ? "" : text.substring(question + 1);
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return params;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : pair.substring(eq + 1);
            params.put(encoded ? decode(key) : key, encoded ? decode(value) : value);
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static Set<String> texts(JsonNode array) {
        Set<String> out = new LinkedHashSet<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asText()));
        }
        return out;
    }

    private static JsonNode fieldNames(JsonNode object) {
        ArrayNode names = JSON.createArrayNode();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static final class Page {
        int status;
        ArrayNode items = JSON.createArrayNode();
        Long count;
        String next;

        List<String> ids() {
            List<String> ids = new ArrayList<>();
            items.forEach(item -> ids.add(item.get("id").asText()));
            return ids;
        }
    }

    private static final String TABLES = """
            {
              "movies": {"columns": {"title": "string", "year": "integer", "releaseDate": "date",
                  "rating": "string", "bestPictureWinner": "boolean", "duration": "integer"}},
              "moviesctk": {"columns": {"title": "string", "year": "integer", "releaseDate": "date",
                  "rating": "string", "bestPictureWinner": "boolean", "duration": "integer"}}
            }
            """;
}
