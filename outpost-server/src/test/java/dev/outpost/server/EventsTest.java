package dev.outpost.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.EventReader.Event;
import dev.outpost.server.TestServer.Reply;
import dev.outpost.testing.ChaosProxy;
import dev.outpost.testing.TestDatabase;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The change events of {@code /outpost/v1/events} over real HTTP, on SQLite and PostgreSQL: positions and ids,
 * coalescing, resuming with {@code Last-Event-ID}, who hears what, replicas, a lost listening connection, a slow
 * reader, keep-alives, the end of a stream, and bad input.
 */
class EventsTest {
    private static final Map<String, String> V3 = Map.of("ZUMO-API-VERSION", "3.0.0");

    @TempDir
    Path dir;

    private static long updatedAt(Reply reply) {
        return Instant.parse(reply.json().get("updatedAt").asText()).toEpochMilli();
    }


    private static Map<String, String> as(String token) {
        return Map.of("ZUMO-API-VERSION", "3.0.0", "Authorization", "Bearer " + token);
    }

    private static String push(int count, String prefix) {
        return IntStream.range(0, count).mapToObj(i -> "{\"id\": \"" + prefix + "op" + i + "\", \"table\": \"todoitem\","
                + " \"kind\": \"insert\", \"itemId\": \"" + prefix + i + "\", \"item\": {\"id\": \"" + prefix + i
                + "\", \"text\": \"item " + i + "\"}}").collect(Collectors.joining(",", "{\"operations\": [", "]}"));
    }

    /** The next event that is neither a comment nor a keep-alive. */
    private static Event expect(EventReader events, String name) {
        Event event = events.nextEvent();
        assertThat(event.name()).as("event " + event).isEqualTo(name);
        return event;
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aStreamStartsReadyThenAnnouncesEachCommitWithItsPosition(TestDatabase db) {
        try (TestServer server = TestServer.start(db);
             EventReader events = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem,Tags", V3)) {
            assertThat(events.status()).isEqualTo(200);
            assertThat(events.header("Content-Type")).startsWith("text/event-stream");
            assertThat(events.header("Content-Encoding")).isNull();
            Event ready = expect(events, "ready");
            assertThat(ready.id()).isEqualTo("todoitem:0,tags:0");
            assertThat(ready.json().get("resumed").asBoolean()).isFalse();
            assertThat(ready.json().get("tables").toString()).isEqualTo("[\"todoitem\",\"Tags\"]");

            Reply inserted = server.v3("POST", "/tables/todoitem", "{\"id\": \"a1\", \"text\": \"milk\"}");
            assertThat(inserted.status()).isEqualTo(201);
            Event change = expect(events, "change");
            assertThat(change.json().get("table").asText()).isEqualTo("todoitem");
            assertThat(change.json().get("position").asText()).isEqualTo(String.valueOf(updatedAt(inserted)));
            assertThat(change.id()).isEqualTo("todoitem:" + updatedAt(inserted) + ",tags:0");

            Reply tag = server.v3("POST", "/tables/tags", "{\"id\": \"t1\", \"name\": \"home\"}");
            Event tagChange = expect(events, "change");
            assertThat(tagChange.json().get("table").asText()).isEqualTo("Tags");
            assertThat(tagChange.id()).isEqualTo("todoitem:" + updatedAt(inserted) + ",tags:" + updatedAt(tag));

            // Every kind of write is announced: update, delete, undelete.
            String version = inserted.json().get("version").asText();
            Reply updated = server.send("PUT", "/tables/todoitem/a1", "{\"id\": \"a1\", \"text\": \"oat milk\"}",
                    Map.of("ZUMO-API-VERSION", "3.0.0", "If-Match", "\"" + version + "\""));
            assertThat(updated.status()).isEqualTo(200);
            assertThat(expect(events, "change").json().get("position").asText())
                    .isEqualTo(String.valueOf(updatedAt(updated)));
            assertThat(server.v3("DELETE", "/tables/todoitem/a1", null).status()).isEqualTo(204);
            Event deleted = expect(events, "change");
            assertThat(Long.parseLong(deleted.json().get("position").asText())).isGreaterThan(updatedAt(updated));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aBatchPushIsOneEventAtItsLastPosition(TestDatabase db) {
        try (TestServer server = TestServer.start(db);
             EventReader events = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem", V3)) {
            expect(events, "ready");
            Reply pushed = server.send("POST", "/outpost/v1/push", push(50, "b"), Map.of());
            assertThat(pushed.status()).isEqualTo(200);
            long last = 0;
            for (var result : pushed.json().get("results")) {
                last = Math.max(last, Instant.parse(result.get("item").get("updatedAt").asText()).toEpochMilli());
            }
            Event change = expect(events, "change");
            assertThat(change.json().get("position").asText()).isEqualTo(String.valueOf(last));
            // Nothing else follows for that commit: the next write is the next event.
            Reply next = server.v3("POST", "/tables/todoitem", "{\"id\": \"n1\"}");
            assertThat(expect(events, "change").json().get("position").asText())
                    .isEqualTo(String.valueOf(updatedAt(next)));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void resumingWithTheLastEventIdReplaysOnlyTheTablesThatMoved(TestDatabase db) {
        try (TestServer server = TestServer.start(db)) {
            server.v3("POST", "/tables/todoitem", "{\"id\": \"a1\"}");
            server.v3("POST", "/tables/tags", "{\"id\": \"t1\"}");
            String id;
            try (EventReader events = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem,tags",
                    V3)) {
                id = expect(events, "ready").id();
            }
            Reply moved = server.v3("POST", "/tables/todoitem", "{\"id\": \"a2\"}");
            Map<String, String> headers = new HashMap<>(V3);
            headers.put("Last-Event-ID", id);
            try (EventReader events = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem,tags",
                    headers)) {
                Event ready = expect(events, "ready");
                assertThat(ready.json().get("resumed").asBoolean()).isTrue();
                assertThat(ready.id()).isEqualTo(id);
                Event change = expect(events, "change");
                assertThat(change.json().get("table").asText()).isEqualTo("todoitem");
                assertThat(change.json().get("position").asText()).isEqualTo(String.valueOf(updatedAt(moved)));
                // tags did not move: the next event is the next write's, not a replay of tags.
                Reply tag = server.v3("POST", "/tables/tags", "{\"id\": \"t2\"}");
                Event next = expect(events, "change");
                assertThat(next.json().get("table").asText()).isEqualTo("tags");
                assertThat(next.json().get("position").asText()).isEqualTo(String.valueOf(updatedAt(tag)));
            }
            // An id that does not name a watched table replays it.
            headers.put("Last-Event-ID", "todoitem:" + updatedAt(moved));
            try (EventReader events = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem,tags",
                    headers)) {
                expect(events, "ready");
                assertThat(expect(events, "change").json().get("table").asText()).isEqualTo("tags");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aStreamCutByTheNetworkResumesAndMissesNothing(TestDatabase db) {
        try (TestServer server = TestServer.start(db);
             ChaosProxy proxy = ChaosProxy.start("127.0.0.1", server.server().port())) {
            server.v3("POST", "/tables/todoitem", "{\"id\": \"a1\"}");
            String id;
            try (EventReader events = EventReader.open(proxy.url(), "/outpost/v1/events?tables=todoitem", V3)) {
                expect(events, "ready");
                Reply first = server.v3("POST", "/tables/todoitem", "{\"id\": \"a2\"}");
                Event change = expect(events, "change");
                assertThat(change.json().get("position").asText()).isEqualTo(String.valueOf(updatedAt(first)));
                id = change.id();
                proxy.cutAll();
                assertThat(events.nextEvent().name()).isEqualTo("end");
            }
            // Written while the client was cut off.
            List<Long> missed = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                missed.add(updatedAt(server.v3("POST", "/tables/todoitem", "{\"id\": \"m" + i + "\"}")));
            }
            Map<String, String> headers = new HashMap<>(V3);
            headers.put("Last-Event-ID", id);
            try (EventReader events = EventReader.open(proxy.url(), "/outpost/v1/events?tables=todoitem", headers)) {
                assertThat(expect(events, "ready").json().get("resumed").asBoolean()).isTrue();
                Event replayed = expect(events, "change");
                assertThat(replayed.json().get("position").asText()).isEqualTo(String.valueOf(missed.get(2)));
                assertThat(replayed.id()).isEqualTo("todoitem:" + missed.get(2));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void onAPerUserTableOnlyTheOwnersStreamsHearOfAChange(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, b -> b.authSecret(Tokens.SECRET)
                .dynamicAccess(ServerConfig.PER_USER))) {
            String alice = Tokens.signed("alice", Duration.ofHours(1), Map.of());
            String bob = Tokens.signed("bob", Duration.ofHours(1), Map.of());
            server.send("POST", "/tables/todoitem", "{\"id\": \"b0\"}", as(bob));
            String bobId;
            try (EventReader aliceEvents = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem",
                    as(alice));
                 EventReader bobEvents = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem",
                         as(bob))) {
                assertThat(expect(aliceEvents, "ready").id()).isEqualTo("todoitem:0");
                bobId = expect(bobEvents, "ready").id();
                assertThat(bobId).isNotEqualTo("todoitem:0");

                Reply a1 = server.send("POST", "/tables/todoitem", "{\"id\": \"a1\"}", as(alice));
                assertThat(expect(aliceEvents, "change").json().get("position").asText())
                        .isEqualTo(String.valueOf(updatedAt(a1)));
                Reply pushed = server.send("POST", "/outpost/v1/push", push(3, "a"), as(alice));
                assertThat(pushed.status()).isEqualTo(200);
                expect(aliceEvents, "change");
                // Bob heard nothing of alice's writes: his next event is his own.
                Reply b1 = server.send("POST", "/tables/todoitem", "{\"id\": \"b1\"}", as(bob));
                Event bobs = expect(bobEvents, "change");
                assertThat(bobs.json().get("position").asText()).isEqualTo(String.valueOf(updatedAt(b1)));
                bobId = bobs.id();
            }
            // Alice writes while bob is away: bob resumes to nothing.
            server.send("POST", "/tables/todoitem", "{\"id\": \"a9\"}", as(alice));
            Map<String, String> headers = new HashMap<>(as(bob));
            headers.put("Last-Event-ID", bobId);
            try (EventReader bobEvents = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem",
                    headers)) {
                expect(bobEvents, "ready");
                Reply b2 = server.send("POST", "/tables/todoitem", "{\"id\": \"b2\"}", as(bob));
                assertThat(expect(bobEvents, "change").json().get("position").asText())
                        .isEqualTo(String.valueOf(updatedAt(b2)));
            }
            // Anonymous callers hear nothing of rows that belong to users.
            Reply anonymous = server.send("GET", "/outpost/v1/events?tables=todoitem", null, V3);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.header("WWW-Authenticate")).startsWith("Bearer");
        }
    }

    @Test
    void aChangeThroughOneReplicaReachesTheStreamsOfEvery() {
        try (TestServer one = TestServer.start(TestDatabase.POSTGRES);
             TestServer two = TestServer.startOn(TestDatabase.POSTGRES, one.databaseUrl(), b -> b);
             EventReader onTwo = EventReader.open(two.baseUrl(), "/outpost/v1/events?tables=todoitem", V3);
             EventReader onOne = EventReader.open(one.baseUrl(), "/outpost/v1/events?tables=todoitem", V3)) {
            expect(onTwo, "ready");
            expect(onOne, "ready");
            Reply viaOne = one.v3("POST", "/tables/todoitem", "{\"id\": \"a1\"}");
            assertThat(expect(onTwo, "change").json().get("position").asText())
                    .isEqualTo(String.valueOf(updatedAt(viaOne)));
            assertThat(expect(onOne, "change").json().get("position").asText())
                    .isEqualTo(String.valueOf(updatedAt(viaOne)));
            Reply viaTwo = two.send("POST", "/outpost/v1/push", push(5, "p"), Map.of());
            assertThat(viaTwo.status()).isEqualTo(200);
            assertThat(expect(onOne, "change").name()).isEqualTo("change");
            assertThat(expect(onTwo, "change").name()).isEqualTo("change");
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void concurrentWritersThroughTwoServersEndWithTheTablesLastPosition(TestDatabase db) throws Exception {
        try (TestServer one = TestServer.start(db);
             TestServer two = db == TestDatabase.POSTGRES
                     ? TestServer.startOn(db, one.databaseUrl(), b -> b) : null;
             EventReader events = EventReader.open(one.baseUrl(), "/outpost/v1/events?tables=todoitem", V3)) {
            expect(events, "ready");
            TestServer other = two == null ? one : two;
            List<Thread> writers = new ArrayList<>();
            List<Long> positions = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int w = 0; w < 4; w++) {
                int writer = w;
                Thread thread = new Thread(() -> {
                    for (int i = 0; i < 25; i++) {
                        TestServer via = i % 2 == 0 ? one : other;
                        Reply reply = i % 5 == 0 ? via.send("POST", "/outpost/v1/push", push(3, "w" + writer + "-" + i
                                + "-"), Map.of()) : via.v3("POST", "/tables/todoitem", "{\"id\": \"w" + writer + "-" + i
                                + "\"}");
                        assertThat(reply.status()).isIn(200, 201);
                        if (reply.status() == 201) {
                            positions.add(updatedAt(reply));
                        } else {
                            reply.json().get("results").forEach(result -> positions.add(Instant.parse(
                                    result.get("item").get("updatedAt").asText()).toEpochMilli()));
                        }
                    }
                });
                thread.start();
                writers.add(thread);
            }
            for (Thread thread : writers) {
                thread.join();
            }
            long last = positions.stream().mapToLong(Long::longValue).max().orElseThrow();
            long seen = 0;
            while (seen < last) {
                Event change = expect(events, "change");
                long position = Long.parseLong(change.json().get("position").asText());
                assertThat(position).as("positions only grow").isGreaterThan(seen);
                seen = position;
            }
            assertThat(seen).isEqualTo(last);
        }
    }

    @Test
    void aReplicaThatLosesItsListeningConnectionReconnectsAndTellsItsStreamsToResync() throws Exception {
        try (TestServer server = TestServer.start(TestDatabase.POSTGRES);
             EventReader events = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem", V3)) {
            expect(events, "ready");
            String schema = server.databaseUrl().replaceAll(".*currentSchema=([a-z0-9_]+).*", "$1");
            try (Connection admin = DriverManager.getConnection(server.databaseUrl());
                 Statement statement = admin.createStatement()) {
                statement.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = "
                        + "'outpost-events' AND query LIKE '%" + schema + "%'");
            }
            Event resync = expect(events, "resync");
            assertThat(resync.json().get("reason").asText()).isEqualTo("reconnected");
            assertThat(resync.id()).isNull();
            Reply after = server.v3("POST", "/tables/todoitem", "{\"id\": \"a1\"}");
            assertThat(expect(events, "change").json().get("position").asText())
                    .isEqualTo(String.valueOf(updatedAt(after)));
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void idleStreamsGetKeepAlivesAndEndWhenTheServerStopsOrTheTokenExpires(TestDatabase db) throws Exception {
        try (TestServer server = TestServer.start(db, b -> b.authSecret(Tokens.SECRET)
                .eventsKeepAlive(Duration.ofMillis(100)))) {
            try (EventReader events = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem",
                    as(Tokens.signed("alice", Duration.ofSeconds(2), Map.of())))) {
                expect(events, "ready");
                Event keepAlive = events.next();
                assertThat(keepAlive.name()).isEqualTo("comment");
                assertThat(keepAlive.data()).isEqualTo("keepalive");
                Event event;
                do {
                    event = events.next();
                } while (event.name().equals("comment"));
                assertThat(event.name()).as("the stream ends when the token expires").isEqualTo("end");
            }
            try (EventReader events = EventReader.open(server.baseUrl(), "/outpost/v1/events?tables=todoitem",
                    as(Tokens.signed("alice", Duration.ofHours(1), Map.of())))) {
                expect(events, "ready");
                server.server().stop();
                assertThat(events.nextEvent().name()).isEqualTo("end");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void aSlowReaderGetsOneResyncInsteadOfAGrowingBuffer(TestDatabase db) throws Exception {
        // Long names make long event ids (about 4.5 kB per event), so that the connection fills quickly.
        List<String> tables = IntStream.range(0, 64).mapToObj(i -> String.format("slow_reader_%045d", i)).toList();
        try (TestServer server = TestServer.start(db);
             Socket socket = new Socket()) {
            socket.setReceiveBufferSize(2048);
            socket.connect(new InetSocketAddress("127.0.0.1", server.server().port()));
            OutputStream out = socket.getOutputStream();
            out.write(("GET /outpost/v1/events?tables=" + String.join(",", tables) + " HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The client reads nothing while every table moves 60 times (3,840 events of about 4.5 kB, far more than
            // the connection holds, even when the server coalesces some of them).
            int rounds = 60;
            for (int round = 0; round < rounds; round++) {
                int r = round;
                String operations = tables.stream().map(table -> "{\"id\": \"" + table + "-" + r + "\", \"table\": \""
                        + table + "\", \"kind\": \"insert\", \"itemId\": \"i" + r + "\", \"item\": {\"id\": \"i" + r
                        + "\"}}").collect(Collectors.joining(",", "{\"operations\": [", "]}"));
                assertThat(server.send("POST", "/outpost/v1/push", operations, Map.of()).status()).isEqualTo(200);
            }
            socket.setSoTimeout(500);
            String received = readAvailable(socket.getInputStream());
            assertThat(count(received, "event: resync\ndata: {\"reason\":\"behind\"}")).isEqualTo(1);
            assertThat(count(received, "event: change")).as("events the client received")
                    .isLessThan(rounds * tables.size());
            // Once the client reads again, events flow as before.
            server.v3("POST", "/tables/" + tables.get(5), "{\"id\": \"after\"}");
            String later = readAvailable(socket.getInputStream());
            assertThat(later).contains("event: change").contains("\"table\":\"" + tables.get(5) + "\"");
        }
    }

    /** Everything the server has sent until it pauses for half a second (chunk sizes left in: only searched). */
    private static String readAvailable(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        InputStream buffered = new BufferedInputStream(in);
        while (true) {
            int n;
            try {
                n = buffered.read(buffer);
            } catch (SocketTimeoutException e) {
                break;
            }
            if (n < 0) {
                break;
            }
            bytes.write(buffer, 0, n);
        }
        return bytes.toString(StandardCharsets.UTF_8).replaceAll("\r\n[0-9a-fA-F]+\r\n", "");
    }

    private static int count(String text, String what) {
        int count = 0;
        for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + 1)) {
            count++;
        }
        return count;
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/outpost/v1/events|                              |400|invalidQuery",
        "/outpost/v1/events?tables=|                      |400|invalidQuery",
        "/outpost/v1/events?tables=to-do|                 |400|invalidQuery",
        "/outpost/v1/events?tables=a,,b|                  |400|invalidQuery",
        "/outpost/v1/events?tables=todoitem|garbage       |400|invalidEventId",
        "/outpost/v1/events?tables=todoitem|todoitem:abc  |400|invalidEventId",
        "/outpost/v1/events?tables=todoitem|todoitem:-1   |400|invalidEventId",
        "/outpost/v1/events?tables=todoitem|todoitem:99999999999999999999|400|invalidEventId",
        "/outpost/v1/events?tables=todoitem|x'y:1         |400|invalidEventId",
        "/outpost/v1/events?tables=nosuch|                |404|",
        "/outpost/v1/events?tables=todoitem,nosuch|       |404|",
        "/outpost/v1/events?tables=secret|                |401|",
        "/outpost/v1/events?tables=closed|                |405|",
    })
    void badRequestsGetAJsonErrorAndNoStream(String path, String lastEventId, int status, String code)
            throws Exception {
        Path tables = Files.writeString(dir.resolve("tables.json"), "{\"todoitem\": {\"columns\": {\"text\": "
                + "\"string\"}}, \"secret\": {\"columns\": {}, \"access\": \"authenticated\"}, \"closed\": "
                + "{\"columns\": {}, \"access\": {\"read\": \"disabled\"}}}");
        try (TestServer server = TestServer.start(TestDatabase.SQLITE, b -> b.tablesFile(tables)
                .authSecret(Tokens.SECRET))) {
            // Signed in, except where the answer is about signing in.
            Map<String, String> headers = new HashMap<>(status == 401 ? V3 : as(Tokens.signed("alice", Duration.ofHours(1), Map.of())));
            if (lastEventId != null) {
                headers.put("Last-Event-ID", lastEventId);
            }
            Reply reply = server.send("GET", path, null, headers);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
            assertThat(reply.header("Content-Type")).startsWith("application/json");
            assertThat(reply.json().get("error").asText()).isNotBlank();
            if (code != null) {
                assertThat(reply.json().get("code").asText()).isEqualTo(code);
            }
        }
    }

    @Test
    void aStreamWatchesAtMostSixtyFourTables() {
        try (TestServer server = TestServer.start(TestDatabase.SQLITE)) {
            String tables = IntStream.range(0, 65).mapToObj(i -> "t" + i).collect(Collectors.joining(","));
            Reply reply = server.send("GET", "/outpost/v1/events?tables=" + tables, null, V3);
            assertThat(reply.status()).isEqualTo(400);
            assertThat(reply.json().get("error").asText()).contains("64");
        }
    }
}
