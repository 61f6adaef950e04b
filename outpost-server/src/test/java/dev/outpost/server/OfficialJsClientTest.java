package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.outpost.testing.OfficialJsClient;
import dev.outpost.testing.TestDatabase;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The official Azure Mobile Apps JavaScript client (npm azure-mobile-apps-client 2.0.1, under Node.js; see
 * {@link OfficialJsClient}) against a real server with sign-in and a per-user table: signed in as alice it inserts,
 * reads, updates and deletes online; as bob it sees and reaches none of alice's rows; with no user it gets 401.
 * Offline, with its own SQLite store (MobileServiceSqliteStore on the harness's stand-in for Cordova's SQLite
 * plugin), alice queues changes while the server cannot be reached, then pushes and pulls against the server; bob's
 * pull brings down none of alice's rows. Every request the client makes is recorded by the harness: each carries
 * the user's token in X-ZUMO-AUTH, and the server's own data (read back over HTTP as alice) is checked too.
 */
class OfficialJsClientTest {
    private static final byte[] SECRET = "a-secret-of-at-least-thirty-two-bytes!!".getBytes(StandardCharsets.UTF_8);
    private static final String TABLES = "{\"todoitem\": {\"columns\": {\"text\": \"string\", \"complete\":"
            + " \"boolean\"}, \"access\": \"authenticated\", \"perUser\": true}}";
    /** The offline store's table, as an app declares it; userId is there to show what the pull brought down. */
    private static final Map<String, String> STORE_COLUMNS = new LinkedHashMap<>(Map.of("id", "string", "text",
            "string", "complete", "boolean", "userId", "string", "version", "string", "deleted", "boolean"));

    @TempDir
    Path dir;

    private static String token(String user) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject(user)
                .expirationTime(Date.from(Instant.now().plus(Duration.ofHours(1)))).build());
        jwt.sign(new MACSigner(SECRET));
        return jwt.serialize();
    }

    private TestServer server(TestDatabase db) throws Exception {
        Path tables = Files.writeString(dir.resolve("tables.json"), TABLES);
        return TestServer.startOn(db, db.createUrl(), b -> b.authSecret(SECRET).tablesFile(tables));
    }

    private static Map<String, Object> step(String op, Object... pairs) {
        Map<String, Object> step = new LinkedHashMap<>();
        step.put("op", op);
        for (int i = 0; i < pairs.length; i += 2) {
            step.put((String) pairs[i], pairs[i + 1]);
        }
        return step;
    }

    private static Map<String, Object> item(String id, String text, Boolean complete) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        if (text != null) {
            item.put("text", text);
        }
        if (complete != null) {
            item.put("complete", complete);
        }
        return item;
    }

    /** One harness run: the steps' outcomes and the requests the client made. */
    private record Run(List<JsonNode> results, List<JsonNode> requests) {
        JsonNode ok(int index) {
            JsonNode result = results.get(index);
            assertThat(result.get("ok").asBoolean()).as("step %d: %s", index, result).isTrue();
            return result.get("value");
        }

        JsonNode failed(int index) {
            JsonNode result = results.get(index);
            assertThat(result.get("ok").asBoolean()).as("step %d: %s", index, result).isFalse();
            return result.get("error");
        }
    }

    private static Run run(OfficialJsClient client, String url, String user, String token, boolean cordova,
                           List<Map<String, Object>> steps) throws Exception {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("url", url);
        spec.put("user", user == null ? null : Map.of("userId", user, "token", token));
        spec.put("cordova", cordova);
        spec.put("storeDir", client.storeDir().toString());
        spec.put("steps", steps);
        JsonNode out = TestServer.JSON.readTree(client.run(TestServer.JSON.writeValueAsString(spec)));
        List<JsonNode> results = new ArrayList<>();
        out.get("results").forEach(results::add);
        List<JsonNode> requests = new ArrayList<>();
        out.get("requests").forEach(requests::add);
        assertThat(results).hasSize(steps.size());
        return new Run(results, requests);
    }

    private static Map<String, JsonNode> byId(JsonNode items) {
        Map<String, JsonNode> rows = new TreeMap<>();
        items.forEach(row -> rows.put(row.get("id").asText(), row));
        return rows;
    }

    /** The rows as the user reads them from the server directly, tombstones included. */
    private static Map<String, JsonNode> serverRows(TestServer server, String token) {
        TestServer.Reply reply = server.send("GET", "/tables/todoitem?__includedeleted=true",
                null, Map.of("X-ZUMO-AUTH", token, "ZUMO-API-VERSION", "3.0.0"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return byId(reply.json().get("items"));
    }

    private static void assertAllSigned(Run run, String token) {
        assertThat(run.requests()).isNotEmpty();
        for (JsonNode request : run.requests()) {
            assertThat(request.path("headers").path("x-zumo-auth").asText()).as(request.toString()).isEqualTo(token);
            assertThat(request.path("headers").path("zumo-api-version").asText()).isEqualTo("2.0.0");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void onlineAsAliceAsBobAndSignedOut(TestDatabase db) throws Exception {
        OfficialJsClient js = OfficialJsClient.in(dir);
        String alice = token("alice");
        String bob = token("bob");
        try (TestServer server = server(db)) {
            Run asAlice = run(js, server.baseUrl(), "alice", alice, false, List.of(
                    step("insert", "table", "todoitem", "item", item("a1", "alice's first", false)),
                    step("insert", "table", "todoitem", "item", item("a2", "alice's second", false)),
                    step("read", "table", "todoitem"),
                    step("lookup", "table", "todoitem", "id", "a1"),
                    step("update", "table", "todoitem", "item", item("a1", "alice's first, done", true)),
                    step("del", "table", "todoitem", "item", item("a2", null, null)),
                    step("read", "table", "todoitem")));
            assertThat(asAlice.ok(0).get("userId").asText()).isEqualTo("alice");
            assertThat(asAlice.ok(0).get("version").asText()).isNotEmpty();
            assertThat(byId(asAlice.ok(2)).keySet()).containsExactly("a1", "a2");
            assertThat(asAlice.ok(3).get("text").asText()).isEqualTo("alice's first");
            assertThat(asAlice.ok(4).get("complete").asBoolean()).isTrue();
            asAlice.ok(5);
            assertThat(byId(asAlice.ok(6)).keySet()).containsExactly("a1");
            assertAllSigned(asAlice, alice);
            assertThat(asAlice.requests()).extracting(r -> r.get("method").asText() + " " + r.get("status").asInt())
                    .containsExactly("POST 201", "POST 201", "GET 200", "GET 200", "PATCH 200", "DELETE 200",
                            "GET 200");

            Map<String, JsonNode> before = serverRows(server, alice);
            assertThat(before.keySet()).containsExactly("a1", "a2");
            assertThat(before.get("a1").get("text").asText()).isEqualTo("alice's first, done");
            assertThat(before.get("a1").get("complete").asBoolean()).isTrue();
            assertThat(before.get("a1").get("userId").asText()).isEqualTo("alice");
            assertThat(before.get("a2").get("deleted").asBoolean()).isTrue();

            Run asBob = run(js, server.baseUrl(), "bob", bob, false, List.of(
                    step("read", "table", "todoitem"),
                    step("lookup", "table", "todoitem", "id", "a1"),
                    step("update", "table", "todoitem", "item", item("a1", "bob was here", false)),
                    step("del", "table", "todoitem", "item", item("a1", null, null)),
                    step("insert", "table", "todoitem", "item", item("b1", "bob's", false)),
                    step("read", "table", "todoitem")));
            assertThat(asBob.ok(0)).isEmpty();
            assertThat(asBob.failed(1).get("status").asInt()).isEqualTo(404);
            assertThat(asBob.failed(2).get("status").asInt()).isEqualTo(404);
            assertThat(asBob.failed(3).get("status").asInt()).isEqualTo(404);
            assertThat(asBob.ok(4).get("userId").asText()).isEqualTo("bob");
            assertThat(byId(asBob.ok(5)).keySet()).containsExactly("b1");
            assertAllSigned(asBob, bob);
            assertThat(serverRows(server, alice)).isEqualTo(before);

            Run signedOut = run(js, server.baseUrl(), null, null, false, List.of(
                    step("read", "table", "todoitem"),
                    step("insert", "table", "todoitem", "item", item("x1", "nobody's", false)),
                    step("lookup", "table", "todoitem", "id", "a1")));
            for (int i = 0; i < 3; i++) {
                JsonNode error = signedOut.failed(i);
                assertThat(error.get("status").asInt()).isEqualTo(401);
                assertThat(error.get("message").asText()).isNotEmpty();
            }
            for (JsonNode request : signedOut.requests()) {
                assertThat(request.get("headers").has("x-zumo-auth")).isFalse();
                assertThat(request.get("status").asInt()).isEqualTo(401);
            }
            assertThat(serverRows(server, alice)).isEqualTo(before);
            assertThat(serverRows(server, bob).keySet()).containsExactly("b1");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void offlineAsAliceThenBob(TestDatabase db) throws Exception {
        OfficialJsClient js = OfficialJsClient.in(dir);
        String alice = token("alice");
        String bob = token("bob");
        String unreachable;
        try (ServerSocket socket = new ServerSocket(0)) {
            unreachable = "http://127.0.0.1:" + socket.getLocalPort();
        }
        Map<String, Object> aliceStore = step("initStore", "name", "alice.db", "table", "todoitem",
                "columns", STORE_COLUMNS);
        try (TestServer server = server(db)) {
            // Offline: the app starts with no server to reach, writes to its store, and a push fails.
            Run offline = run(js, unreachable, "alice", alice, true, List.of(
                    aliceStore,
                    step("syncInsert", "table", "todoitem", "item", item("o1", "written offline", false)),
                    step("syncInsert", "table", "todoitem", "item", item("o2", "also offline", false)),
                    step("syncUpdate", "table", "todoitem", "item", item("o1", "written offline, done", true)),
                    step("syncRead", "table", "todoitem"),
                    step("pending"),
                    step("push"),
                    step("pending")));
            offline.ok(0);
            assertThat(byId(offline.ok(4)).keySet()).containsExactly("o1", "o2");
            assertThat(offline.ok(5)).hasSize(2);
            assertThat(offline.failed(6).get("status").asInt()).isZero();
            assertThat(offline.ok(7)).isEqualTo(offline.ok(5));
            assertThat(offline.requests()).hasSize(1);
            assertThat(offline.requests().get(0).get("status").asInt()).isZero();
            assertThat(offline.requests().get(0).get("headers").get("x-zumo-auth").asText()).isEqualTo(alice);
            assertThat(serverRows(server, alice)).isEmpty();

            // Rows written on the server meanwhile, over HTTP: one of alice's, one of bob's.
            assertThat(server.send("POST", "/tables/todoitem", "{\"id\":\"s1\",\"text\":\"alice's, from elsewhere\"}",
                    Map.of("X-ZUMO-AUTH", alice, "ZUMO-API-VERSION", "3.0.0")).status()).isEqualTo(201);
            assertThat(server.send("POST", "/tables/todoitem", "{\"id\":\"sb\",\"text\":\"bob's\"}",
                    Map.of("X-ZUMO-AUTH", bob, "ZUMO-API-VERSION", "3.0.0")).status()).isEqualTo(201);

            // Back online (the same store file): the queued operations push, then pulls bring down alice's rows.
            Run online = run(js, server.baseUrl(), "alice", alice, true, List.of(
                    aliceStore,
                    step("pending"),
                    step("push"),
                    step("pending"),
                    step("pull", "table", "todoitem", "queryId", "alice-todo"),
                    step("syncRead", "table", "todoitem"),
                    step("pull", "table", "todoitem", "queryId", "alice-todo")));
            online.ok(0);
            assertThat(online.ok(1)).hasSize(2);
            assertThat(online.ok(2).get("conflicts").asInt()).isZero();
            assertThat(online.ok(3)).isEmpty();
            online.ok(4);
            Map<String, JsonNode> local = byId(online.ok(5));
            assertThat(local.keySet()).containsExactly("o1", "o2", "s1");
            local.values().forEach(row -> assertThat(row.get("userId").asText()).isEqualTo("alice"));
            assertThat(local.get("o1").get("complete").asBoolean()).isTrue();
            online.ok(6);
            assertAllSigned(online, alice);
            assertThat(online.requests()).extracting(r -> r.get("method").asText() + " " + r.get("status").asInt())
                    .startsWith("POST 201", "POST 201");
            // The pulls ask for deleted rows too, in updatedAt order from the last one seen: the first from the
            // start, the second (same query id) from where the first ended, as kept in the store.
            List<String> pulls = online.requests().stream().filter(r -> r.get("method").asText().equals("GET"))
                    .map(r -> java.net.URLDecoder.decode(r.get("url").asText(), StandardCharsets.UTF_8)).toList();
            assertThat(pulls).allSatisfy(url -> assertThat(url).contains("__includeDeleted=true")
                    .contains("$filter=(updatedAt ge datetimeoffset'").contains("$orderby=updatedAt"));
            assertThat(pulls.get(0)).contains("datetimeoffset'1969-12-31T");
            String latest = serverRows(server, alice).values().stream().map(row -> row.get("updatedAt").asText())
                    .max(String::compareTo).orElseThrow();
            assertThat(pulls.get(pulls.size() - 1)).contains("datetimeoffset'" + latest.substring(0, 16));

            Map<String, JsonNode> onServer = serverRows(server, alice);
            assertThat(onServer.keySet()).containsExactly("o1", "o2", "s1");
            assertThat(onServer.get("o1").get("text").asText()).isEqualTo("written offline, done");
            assertThat(onServer.get("o1").get("complete").asBoolean()).isTrue();
            assertThat(onServer.get("o2").get("userId").asText()).isEqualTo("alice");

            // Bob's own store: his pull brings down his row and none of alice's.
            Run asBob = run(js, server.baseUrl(), "bob", bob, true, List.of(
                    step("initStore", "name", "bob.db", "table", "todoitem", "columns", STORE_COLUMNS),
                    step("pull", "table", "todoitem", "queryId", "bob-todo"),
                    step("syncRead", "table", "todoitem")));
            asBob.ok(1);
            Map<String, JsonNode> bobs = byId(asBob.ok(2));
            assertThat(bobs.keySet()).containsExactly("sb");
            assertThat(bobs.get("sb").get("userId").asText()).isEqualTo("bob");
            assertAllSigned(asBob, bob);
        }
    }
}
