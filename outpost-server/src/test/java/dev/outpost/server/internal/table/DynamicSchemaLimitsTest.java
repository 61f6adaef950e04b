package dev.outpost.server.internal.table;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.server.TestServer;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.TestDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dynamic schema's limits hold on a table's first insert, under concurrent requests and across replicas: at most
 * {@value TableRegistry#MAX_DYNAMIC_COLUMNS} user columns per table and at most {@code --max-dynamic-tables} tables,
 * counted in the database. Over a limit is a 400 with the JSON error body, and nothing is created.
 */
class DynamicSchemaLimitsTest {

    private static String record(String id, int properties, String prefix) {
        ObjectNode body = TestServer.JSON.createObjectNode().put("id", id);
        for (int i = 0; i < properties; i++) {
            body.put(prefix + i, i);
        }
        return body.toString();
    }

    private static void assertRefused(Reply reply, String code) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(400);
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().get("code").asText()).isEqualTo(code);
        assertThat(reply.json().get("error").asText()).contains("dynamic schema");
    }

    private static long count(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url);
             Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs the calls at once (released together by a latch) and returns their answers in order. */
    private static List<Reply> together(int calls, IntFunction<Callable<Reply>> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(calls);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Reply>> futures = new ArrayList<>();
            for (int i = 0; i < calls; i++) {
                Callable<Reply> work = call.apply(i);
                futures.add(pool.submit(() -> {
                    go.await();
                    return work.call();
                }));
            }
            go.countDown();
            List<Reply> replies = new ArrayList<>();
            for (Future<Reply> future : futures) {
                replies.add(future.get());
            }
            return replies;
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aFirstInsertWithTooManyPropertiesIsRefusedAndCreatesNoTable(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            assertRefused(server.v3("POST", "/tables/wide", record("a", 250, "p")), "tooManyColumns");
            assertRefused(server.v2("POST", "/tables/wide", record("a", 201, "p")), "tooManyColumns");

            assertThat(count(server.databaseUrl(), "SELECT COUNT(*) FROM outpost_clock")).isZero();
            assertThat(server.v3("GET", "/tables/wide", null).json().get("items")).isEmpty();
            assertThat(server.v3("POST", "/tables/wide", record("a", 200, "p")).status()).isEqualTo(201);
            assertRefused(server.v3("POST", "/tables/wide", record("b", 1, "q")), "tooManyColumns");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void theNumberOfDynamicTablesIsBounded(TestDatabase db) {
        try (TestServer server = TestServer.start(db, b -> b.maxDynamicTables(3))) {
            for (String table : List.of("one", "two", "three")) {
                assertThat(server.v3("POST", "/tables/" + table, "{\"id\":\"a\",\"n\":1}").status()).isEqualTo(201);
            }

            assertRefused(server.v3("POST", "/tables/four", "{\"id\":\"a\",\"n\":1}"), "tooManyTables");
            assertRefused(server.v2("POST", "/tables/four", "{\"id\":\"a\"}"), "tooManyTables");

            assertThat(server.v3("POST", "/tables/TWO", "{\"id\":\"b\",\"n\":2}").status()).isEqualTo(201);
            assertThat(server.v3("GET", "/tables/four", null).json().get("items")).isEmpty();
            assertThat(count(server.databaseUrl(), "SELECT COUNT(*) FROM outpost_clock")).isEqualTo(3);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aNativePushBeyondTheLimitsRejectsThoseOperationsAlone(TestDatabase db) {
        try (TestServer server = TestServer.start(db, b -> b.maxDynamicTables(1))) {
            Reply reply = server.send("POST", "/outpost/v1/push", """
                    {"operations": [
                      {"id": "o1", "table": "first", "kind": "insert", "itemId": "a", "item": {"n": 1}},
                      {"id": "o2", "table": "second", "kind": "insert", "itemId": "a", "item": {"n": 1}},
                      {"id": "o3", "table": "first", "kind": "insert", "itemId": "w", "item": %s}
                    ]}""".formatted(record("w", 201, "p")), Map.of());

            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode results = reply.json().get("results");
            assertThat(results.get(0).get("status").asText()).isEqualTo("applied");
            assertThat(results.get(1).get("status").asText()).isEqualTo("rejected");
            assertThat(results.get(1).get("httpStatus").asInt()).isEqualTo(400);
            assertThat(results.get(1).get("error").get("code").asText()).isEqualTo("tooManyTables");
            assertThat(results.get(2).get("status").asText()).isEqualTo("rejected");
            assertThat(results.get(2).get("error").get("code").asText()).isEqualTo("tooManyColumns");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void concurrentFirstInsertsThroughTwoReplicasCreateNoMoreTablesThanTheLimit(TestDatabase db) throws Exception {
        TestServer first = TestServer.start(db, b -> b.maxDynamicTables(5));
        TestServer second = TestServer.startOn(db, first.databaseUrl(), b -> b.maxDynamicTables(5));
        try {
            List<Reply> replies = together(16, i -> () -> (i % 2 == 0 ? first : second)
                    .v3("POST", "/tables/t" + i, "{\"id\":\"a\",\"n\":" + i + "}"));

            assertThat(replies).filteredOn(r -> r.status() == 201).hasSize(5);
            replies.stream().filter(r -> r.status() != 201).forEach(r -> assertRefused(r, "tooManyTables"));
            assertThat(count(first.databaseUrl(), "SELECT COUNT(*) FROM outpost_clock")).isEqualTo(5);
        } finally {
            second.stopKeepingDatabase();
            first.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void concurrentNewColumnsThroughTwoReplicasStayWithinTheColumnLimit(TestDatabase db) throws Exception {
        TestServer first = TestServer.start(db);
        TestServer second = TestServer.startOn(db, first.databaseUrl(), b -> b);
        try {
            assertThat(first.v3("POST", "/tables/growing", "{\"id\":\"seed\"}").status()).isEqualTo(201);
            second.v3("GET", "/tables/growing", null);

            // Ten writes of 30 new columns each: six fit in 200 columns, the seventh would make 210.
            List<Reply> replies = together(10, i -> () -> (i % 2 == 0 ? first : second)
                    .v3("POST", "/tables/growing", record("r" + i, 30, "c" + i + "_")));

            assertThat(replies).filteredOn(r -> r.status() == 201).hasSize(6);
            replies.stream().filter(r -> r.status() != 201).forEach(r -> assertRefused(r, "tooManyColumns"));
            assertThat(count(first.databaseUrl(), "SELECT COUNT(*) FROM outpost_columns")).isEqualTo(180);
        } finally {
            second.stopKeepingDatabase();
            first.close();
        }
    }
}
