package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Per-user and row-rule tables over real HTTP: bob tries every way to read, change, delete, take over, plant rows
 * into or learn of alice's rows, over v2, v3 and the native endpoints, and alice's rows are unchanged afterwards
 * (compared as alice reads them, tombstones included, before and after); team and tenant rules; the dynamic
 * schema's per-user tables; two users pushing at once.
 */
class RowIsolationTest {
    private static final String SECRET_TEXT = "alice-secret";
    private static final String TABLES = "{\"todoitem\": {\"columns\": {\"text\": \"string\", \"complete\":"
            + " \"boolean\"}, \"access\": \"authenticated\", \"perUser\": true}}";

    @TempDir
    Path dir;


    private TestServer server(TestDatabase db, String tables, String dynamicAccess) throws Exception {
        Path file = tables == null ? null : Files.writeString(dir.resolve("tables.json"), tables);
        return TestServer.startOn(db, db.createUrl(), b -> {
            b.authSecret(Tokens.SECRET).tablesFile(file);
            return dynamicAccess == null ? b : b.dynamicAccess(dynamicAccess);
        });
    }

    /** Requests as one user, in one protocol. */
    private record As(TestServer server, String token, String version) {
        Reply send(String method, String path, String body) {
            return send(method, path, body, Map.of());
        }

        Reply send(String method, String path, String body, Map<String, String> more) {
            Map<String, String> headers = new HashMap<>(more);
            headers.put("X-ZUMO-AUTH", token);
            if (version != null) {
                headers.put("ZUMO-API-VERSION", version);
            }
            return server.send(method, path, body, headers);
        }
    }

    /** Alice's rows as she reads them: v3, tombstones included, in id order. */
    private static String alicesRows(As alice) {
        Reply reply = alice.send("GET", "/tables/todoitem?$orderby=id&__includedeleted=true", null);
        assertThat(reply.status()).isEqualTo(200);
        return reply.json().get("items").toString();
    }

    private static void assertTellsNothing(String probe, Reply reply) {
        assertThat(reply.body()).as(probe).doesNotContain(SECRET_TEXT).doesNotContain("\"alice\"");
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void bobCannotReachAlicesRowsByAnyRoute(TestDatabase db) throws Exception {
        try (TestServer server = server(db, TABLES, null)) {
            As alice = new As(server, Tokens.signed("alice", Map.of()), "3.0.0");
            assertThat(alice.send("POST", "/tables/todoitem", "{\"id\":\"a1\",\"text\":\"" + SECRET_TEXT + " 1\"}")
                    .json().get("userId").asText()).isEqualTo("alice");
            assertThat(alice.send("POST", "/tables/todoitem", "{\"id\":\"a2\",\"text\":\"" + SECRET_TEXT + " 2\"}")
                    .status()).isEqualTo(201);
            assertThat(alice.send("DELETE", "/tables/todoitem/a2", null).status()).isEqualTo(204);
            assertThat(server.send("POST", "/outpost/v1/push", "{\"operations\":[{\"id\":\"op-alice-1\","
                    + "\"table\":\"todoitem\",\"kind\":\"insert\",\"itemId\":\"a3\",\"item\":{\"id\":\"a3\","
                    + "\"text\":\"" + SECRET_TEXT + " 3\"}}]}", Map.of("Authorization", "Bearer " + alice.token()))
                    .json().get("results").get(0).get("status").asText()).isEqualTo("applied");
            String before = alicesRows(alice);
            assertThat(before).contains("a1", "a2", "a3");

            String bobToken = Tokens.signed("bob", Map.of());
            for (String version : new String[] {"2.0.0", "3.0.0"}) {
                As bob = new As(server, bobToken, version);
                boolean v3 = version.startsWith("3");
                // Reads: by id, lists, filters on any column (the owner's too), counts, deleted rows.
                for (String path : List.of("/tables/todoitem/a1", "/tables/todoitem/a2?__includedeleted=true",
                        "/tables/todoitem/a3")) {
                    Reply reply = bob.send("GET", path, null);
                    assertThat(reply.status()).as(version + " GET " + path).isEqualTo(404);
                    assertTellsNothing(path, reply);
                }
                Reply conditional = bob.send("GET", "/tables/todoitem/a1", null, Map.of("If-None-Match", "*"));
                assertThat(conditional.status()).isEqualTo(404);
                for (String query : List.of("", "?$filter=userId%20eq%20'alice'", "?$filter=id%20eq%20'a1'",
                        "?$filter=startswith(text,'alice')", "?__includedeleted=true", "?$count=true",
                        "?$inlinecount=allpages", "?$filter=userId%20ne%20'bob'&__includedeleted=true&$count=true",
                        "?$select=id,userId&$orderby=userId")) {
                    Reply reply = bob.send("GET", "/tables/todoitem" + query, null);
                    assertThat(reply.status()).as(version + " list " + query).isEqualTo(200);
                    assertTellsNothing(query, reply);
                    assertThat(reply.body()).as(query).doesNotContain("a1").doesNotContain("a2")
                            .doesNotContain("a3");
                    JsonNode count = reply.json().get("count");
                    if (count != null) {
                        // Counts only bob's own rows (those he planted so far).
                        JsonNode items = reply.json().has("items") ? reply.json().get("items")
                                : reply.json().get("results");
                        assertThat(count.asLong()).as(query).isEqualTo(items.size());
                    }
                }
                // Writes: every one answers as for a missing record and changes nothing.
                Map<String, Reply> writes = new HashMap<>();
                writes.put("PATCH", bob.send("PATCH", "/tables/todoitem/a1", "{\"text\":\"bob was here\"}"));
                writes.put("PATCH If-Match *", bob.send("PATCH", "/tables/todoitem/a1", "{\"text\":\"bob\"}",
                        Map.of("If-Match", "*")));
                writes.put("PATCH to undelete", bob.send("PATCH", "/tables/todoitem/a2?__includedeleted=true",
                        "{\"deleted\":false}"));
                writes.put("PUT", bob.send("PUT", "/tables/todoitem/a1", "{\"id\":\"a1\",\"text\":\"bob\"}"));
                writes.put("DELETE", bob.send("DELETE", "/tables/todoitem/a1", null));
                writes.put("undelete", bob.send("POST", "/tables/todoitem/a2", null));
                writes.put("PATCH without id in URL", bob.send("PATCH", "/tables/todoitem",
                        "{\"id\":\"a1\",\"text\":\"bob\"}"));
                writes.forEach((what, reply) -> {
                    if (v3 || !what.equals("PATCH to undelete")) {
                        assertThat(reply.status()).as(version + " " + what + ": " + reply).isEqualTo(404);
                    }
                    assertThat(reply.status()).as(what).isGreaterThanOrEqualTo(400).isLessThan(500);
                    assertTellsNothing(what, reply);
                });
                // Taking over an id: refused, with nothing of alice's record.
                Reply takeover = bob.send("POST", "/tables/todoitem", "{\"id\":\"a1\",\"text\":\"mine now\"}");
                assertThat(takeover.status()).isEqualTo(409);
                assertThat(takeover.json().get("code").asText()).isEqualTo("idTaken");
                assertTellsNothing("takeover", takeover);
                Reply tombstoneTakeover = bob.send("POST", "/tables/todoitem", "{\"id\":\"a2\",\"text\":\"x\"}");
                assertThat(tombstoneTakeover.status()).isEqualTo(409);
                assertTellsNothing("tombstone takeover", tombstoneTakeover);
                // Planting a row into alice's list: the owner is always the caller.
                Reply planted = bob.send("POST", "/tables/todoitem", "{\"id\":\"planted-" + version
                        + "\",\"text\":\"planted\",\"userId\":\"alice\"}");
                assertThat(planted.status()).isEqualTo(201);
                assertThat(planted.json().get("userId").asText()).isEqualTo("bob");
                Reply moved = bob.send("PATCH", "/tables/todoitem/planted-" + version, "{\"userId\":\"alice\","
                        + "\"text\":\"moved?\"}");
                assertThat(moved.status()).isEqualTo(200);
                assertThat(moved.json().get("userId").asText()).isEqualTo("bob");
                assertThat(moved.json().get("text").asText()).isEqualTo("moved?");
                Reply replaced = bob.send("PUT", "/tables/todoitem/planted-" + version, "{\"id\":\"planted-"
                        + version + "\",\"text\":\"replaced\"}");
                assertThat(replaced.json().get("userId").asText()).isEqualTo("bob");
            }

            // The native endpoints: the cursor pull and the batch push.
            Map<String, String> bobNative = Map.of("Authorization", "Bearer " + bobToken);
            for (String query : List.of("", "?$filter=userId%20eq%20'alice'", "?limit=10000")) {
                Reply pull = server.send("GET", "/outpost/v1/tables/todoitem/changes" + query, null, bobNative);
                assertThat(pull.status()).isEqualTo(200);
                assertTellsNothing("changes" + query, pull);
                assertThat(pull.body()).doesNotContain("\"a1\"").doesNotContain("\"a2\"").doesNotContain("\"a3\"");
            }
            Reply push = server.send("POST", "/outpost/v1/push", "{\"operations\":["
                    + "{\"id\":\"b1\",\"table\":\"todoitem\",\"kind\":\"update\",\"itemId\":\"a1\","
                    + "\"item\":{\"text\":\"bob\"}},"
                    + "{\"id\":\"b2\",\"table\":\"todoitem\",\"kind\":\"delete\",\"itemId\":\"a1\"},"
                    + "{\"id\":\"b3\",\"table\":\"todoitem\",\"kind\":\"insert\",\"itemId\":\"a1\","
                    + "\"item\":{\"id\":\"a1\",\"text\":\"bob\"}},"
                    + "{\"id\":\"b4\",\"table\":\"todoitem\",\"kind\":\"insert\",\"itemId\":\"a2\","
                    + "\"item\":{\"id\":\"a2\",\"text\":\"bob\"}},"
                    + "{\"id\":\"b5\",\"table\":\"todoitem\",\"kind\":\"insert\",\"itemId\":\"b-native\","
                    + "\"item\":{\"id\":\"b-native\",\"text\":\"bob\",\"userId\":\"alice\"}},"
                    + "{\"id\":\"op-alice-1\",\"table\":\"todoitem\",\"kind\":\"update\",\"itemId\":\"a3\","
                    + "\"item\":{\"text\":\"replayed\"}}]}", bobNative);
            assertThat(push.status()).isEqualTo(200);
            assertTellsNothing("push", push);
            JsonNode results = push.json().get("results");
            assertThat(results.get(0).get("status").asText()).isEqualTo("notFound");
            assertThat(results.get(1).get("status").asText()).isEqualTo("applied");
            assertThat(results.get(2).get("status").asText()).isEqualTo("rejected");
            assertThat(results.get(2).get("httpStatus").asInt()).isEqualTo(409);
            assertThat(results.get(3).get("status").asText()).isEqualTo("rejected");
            assertThat(results.get(4).get("item").get("userId").asText()).isEqualTo("bob");
            // Alice's operation id is a new operation of bob's: not "already applied" with her record.
            assertThat(results.get(5).get("status").asText()).isEqualTo("notFound");
            // A set-wise run of inserts meeting alice's ids.
            Reply run = server.send("POST", "/outpost/v1/push", "{\"operations\":["
                    + "{\"id\":\"r1\",\"table\":\"todoitem\",\"kind\":\"insert\",\"itemId\":\"r-1\","
                    + "\"item\":{\"id\":\"r-1\",\"text\":\"bob\"}},"
                    + "{\"id\":\"r2\",\"table\":\"todoitem\",\"kind\":\"insert\",\"itemId\":\"a3\","
                    + "\"item\":{\"id\":\"a3\",\"text\":\"bob\"}},"
                    + "{\"id\":\"r3\",\"table\":\"todoitem\",\"kind\":\"insert\",\"itemId\":\"r-3\","
                    + "\"item\":{\"id\":\"r-3\",\"text\":\"bob\"}}]}", bobNative);
            assertTellsNothing("run", run);
            assertThat(run.json().get("results").get(0).get("status").asText()).isEqualTo("applied");
            assertThat(run.json().get("results").get(1).get("status").asText()).isEqualTo("rejected");
            assertThat(run.json().get("results").get(2).get("status").asText()).isEqualTo("applied");

            // Alice's rows are exactly as they were; bob's rows are his alone.
            assertThat(alicesRows(alice)).isEqualTo(before);
            Reply bobs = new As(server, bobToken, "3.0.0").send("GET", "/tables/todoitem?$count=true", null);
            assertThat(bobs.json().get("count").asLong()).isEqualTo(5);
            for (JsonNode item : bobs.json().get("items")) {
                assertThat(item.get("userId").asText()).isEqualTo("bob");
            }
            // Anonymous callers are refused before any rule.
            assertThat(server.v3("GET", "/tables/todoitem", null).status()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void teamRulesShowATeamItsRowsAndRefuseRowsForOtherTeams(TestDatabase db) throws Exception {
        String tables = "{\"project\": {\"columns\": {\"name\": \"string\", \"teamId\": \"string\"},"
                + " \"access\": \"authenticated\", \"rows\": \"teamId in $user.teams\"},"
                + " \"invoice\": {\"columns\": {\"amount\": \"integer\", \"tenantId\": \"string\", \"status\": \"string\"},"
                + " \"access\": \"authenticated\", \"rows\": \"tenantId eq $user.tenant and status ne 'secret'\"}}";
        try (TestServer server = server(db, tables, null)) {
            As alice = new As(server, Tokens.signed("alice", Map.of("teams", List.of("red"), "tenant", "acme")), "3.0.0");
            As bob = new As(server, Tokens.signed("bob", Map.of("teams", List.of("blue"), "tenant", "globex")), "3.0.0");
            As carol = new As(server, Tokens.signed("carol", Map.of("teams", List.of("red", "blue"))), "3.0.0");
            As nobody = new As(server, Tokens.signed("dave", Map.of("teams", List.of())), "3.0.0");

            assertThat(alice.send("POST", "/tables/project", "{\"id\":\"p-red\",\"name\":\"r\",\"teamId\":\"red\"}")
                    .status()).isEqualTo(201);
            Reply refused = bob.send("POST", "/tables/project", "{\"id\":\"p-x\",\"name\":\"x\",\"teamId\":\"red\"}");
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.json().get("code").asText()).isEqualTo("forbidden");
            assertThat(bob.send("GET", "/tables/project/p-x", null).status()).isEqualTo(404);
            assertThat(bob.send("POST", "/tables/project", "{\"id\":\"p-blue\",\"name\":\"b\",\"teamId\":\"blue\"}")
                    .status()).isEqualTo(201);
            // A single-valued team claim sets the column.
            As single = new As(server, Tokens.signed("erin", Map.of("teams", "green")), "3.0.0");
            assertThat(single.send("POST", "/tables/project", "{\"id\":\"p-green\",\"name\":\"g\"}").json()
                    .get("teamId").asText()).isEqualTo("green");

            assertThat(ids(alice.send("GET", "/tables/project", null))).containsExactly("p-red");
            assertThat(ids(bob.send("GET", "/tables/project", null))).containsExactly("p-blue");
            assertThat(ids(carol.send("GET", "/tables/project?$orderby=id", null))).containsExactly("p-blue", "p-red");
            assertThat(ids(nobody.send("GET", "/tables/project", null))).isEmpty();
            // The team column is pinned: an update cannot move a row out of its team.
            Reply moved = carol.send("PATCH", "/tables/project/p-red", "{\"teamId\":\"blue\",\"name\":\"moved\"}");
            assertThat(moved.status()).isEqualTo(200);
            assertThat(moved.json().get("teamId").asText()).isEqualTo("red");
            assertThat(bob.send("DELETE", "/tables/project/p-red", null).status()).isEqualTo(404);

            // Tenant and a condition on the record: the tenant is stamped; a write leaving the view is refused.
            Reply invoice = alice.send("POST", "/tables/invoice", "{\"id\":\"i1\",\"amount\":5,\"tenantId\":\"globex\","
                    + "\"status\":\"open\"}");
            assertThat(invoice.status()).isEqualTo(201);
            assertThat(invoice.json().get("tenantId").asText()).isEqualTo("acme");
            assertThat(alice.send("PATCH", "/tables/invoice/i1", "{\"status\":\"secret\"}").status()).isEqualTo(403);
            assertThat(alice.send("GET", "/tables/invoice/i1", null).json().get("status").asText()).isEqualTo("open");
            assertThat(alice.send("POST", "/tables/invoice", "{\"id\":\"i2\",\"amount\":1,\"status\":\"secret\"}")
                    .status()).isEqualTo(403);
            assertThat(alice.send("GET", "/tables/invoice/i2", null).status()).isEqualTo(404);
            assertThat(ids(bob.send("GET", "/tables/invoice", null))).isEmpty();
            // A caller without the claim sees nothing and writes nothing.
            assertThat(ids(carol.send("GET", "/tables/invoice", null))).isEmpty();
            assertThat(carol.send("POST", "/tables/invoice", "{\"id\":\"i3\",\"amount\":1,\"status\":\"open\"}")
                    .status()).isEqualTo(403);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void dynamicPerUserTablesKeepEachUsersRowsApart(TestDatabase db) throws Exception {
        try (TestServer server = server(db, null, "per-user")) {
            As alice = new As(server, Tokens.signed("alice", Map.of()), "3.0.0");
            As bob = new As(server, Tokens.signed("bob", Map.of()), "2.0.0");
            assertThat(bob.send("GET", "/tables/notes", null).status()).isEqualTo(200);
            assertThat(alice.send("POST", "/tables/notes", "{\"id\":\"n1\",\"text\":\"" + SECRET_TEXT + "\"}")
                    .json().get("userId").asText()).isEqualTo("alice");
            Reply list = bob.send("GET", "/tables/notes", null);
            assertThat(list.json()).isEmpty();
            assertThat(bob.send("GET", "/tables/notes/n1", null).status()).isEqualTo(404);
            assertThat(bob.send("POST", "/tables/notes", "{\"id\":\"n2\",\"text\":\"b\"}").json().get("userId")
                    .asText()).isEqualTo("bob");
            assertThat(ids(alice.send("GET", "/tables/notes", null))).containsExactly("n1");
            assertThat(server.v3("GET", "/tables/notes", null).status()).isEqualTo(401);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void twoUsersPushingAtOnceEachGetExactlyTheirRows(TestDatabase db) throws Exception {
        try (TestServer server = server(db, TABLES, null)) {
            Map<String, String> tokens = Map.of("alice", Tokens.signed("alice", Map.of()), "bob", Tokens.signed("bob", Map.of()));
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Integer>> pushes = new ArrayList<>();
                for (String user : tokens.keySet()) {
                    for (int batch = 0; batch < 10; batch++) {
                        int b = batch;
                        Callable<Integer> push = () -> {
                            StringBuilder body = new StringBuilder("{\"operations\":[");
                            for (int i = 0; i < 20; i++) {
                                // Both users use the same operation ids, and some of the same record ids.
                                String itemId = i % 5 == 0 ? "shared-" + b + "-" + i : user + "-" + b + "-" + i;
                                body.append(i == 0 ? "" : ",").append("{\"id\":\"op-").append(b).append('-')
                                        .append(i).append("\",\"table\":\"todoitem\",\"kind\":\"insert\","
                                        + "\"itemId\":\"").append(itemId).append("\",\"item\":{\"id\":\"")
                                        .append(itemId).append("\",\"text\":\"").append(user).append("\"}}");
                            }
                            Reply reply = server.send("POST", "/outpost/v1/push", body.append("]}").toString(),
                                    Map.of("Authorization", "Bearer " + tokens.get(user)));
                            assertThat(reply.status()).isEqualTo(200);
                            return reply.status();
                        };
                        pushes.add(pool.submit(push));
                    }
                }
                for (Future<Integer> push : pushes) {
                    push.get();
                }
            } finally {
                pool.shutdownNow();
            }
            int shared = 0;
            Map<String, Long> counts = new HashMap<>();
            for (String user : tokens.keySet()) {
                // v2 answers a whole $top in one page.
                Reply rows = new As(server, tokens.get(user), "2.0.0").send("GET", "/tables/todoitem?$top=1000",
                        null);
                for (JsonNode item : rows.json()) {
                    assertThat(item.get("userId").asText()).isEqualTo(user);
                    assertThat(item.get("text").asText()).isEqualTo(user);
                    if (item.get("id").asText().startsWith("shared-")) {
                        shared++;
                    }
                }
                counts.put(user, (long) rows.json().size());
            }
            // Each shared id went to exactly one of them.
            assertThat(shared).as(counts.toString()).isEqualTo(40);
            assertThat(counts.get("alice") + counts.get("bob")).isEqualTo(360);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aDeclaredTableWithARuleIsIndexedForItsRule(TestDatabase db) throws Exception {
        String tables = "{\"todoitem\": {\"columns\": {\"text\": \"string\"}, \"perUser\": true},"
                + " \"project\": {\"columns\": {\"teamId\": \"string\"}, \"rows\": \"teamId in $user.teams\"}}";
        try (TestServer server = server(db, tables, null);
             Connection connection = DriverManager.getConnection(server.databaseUrl())) {
            assertThat(indexColumns(connection, "todoitem")).contains(List.of("userId", "updatedAt", "id"));
            assertThat(indexColumns(connection, "project")).contains(List.of("teamId", "updatedAt", "id"));
        }
    }

    /** The columns of each index of {@code table} whose name marks it as a row rule's, in index order. */
    private static List<List<String>> indexColumns(Connection connection, String table) throws Exception {
        Map<String, List<String>> byIndex = new HashMap<>();
        try (ResultSet rs = connection.getMetaData().getIndexInfo(null, connection.getSchema(), table, false,
                false)) {
            while (rs.next()) {
                String index = rs.getString("INDEX_NAME");
                if (index != null && index.endsWith("_rows")) {
                    List<String> columns = byIndex.computeIfAbsent(index, k -> new ArrayList<>());
                    int position = rs.getInt("ORDINAL_POSITION");
                    while (columns.size() < position) {
                        columns.add(null);
                    }
                    columns.set(position - 1, rs.getString("COLUMN_NAME").replace("\"", ""));
                }
            }
        }
        return new ArrayList<>(byIndex.values());
    }

    private static List<String> ids(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode items = reply.json().has("items") ? reply.json().get("items") : reply.json();
        List<String> ids = new ArrayList<>();
        items.forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }
}
