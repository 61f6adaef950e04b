package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.exception.ServerUnavailableException;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.testing.RecordingSyncListener;
import dev.outpost.protocol.query.Query;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scripted answers a real server cannot give on cue: 401, 400, 5xx, 429, HTML pages, a refused connection. v2 single
 * requests. What parks an operation and what stops the push is the table in {@code docs/client.md}.
 */
class PushOutcomesTest {
    @TempDir
    Path dir;
    MockWebServer server = new MockWebServer();
    SqliteLocalStore store;
    SyncContext sync;
    SyncTable<com.fasterxml.jackson.databind.node.ObjectNode> todos;
    RecordingSyncListener events = new RecordingSyncListener();

    @BeforeEach
    void start() throws IOException {
        server.start();
        store = SqliteLocalStore.open(dir.resolve("app.db"));
        OutpostClient client = OutpostClient.builder().baseUrl(server.url("/").toString()).protocol(Protocol.V2)
                .authToken(() -> "token-1").installationId("install-1").build();
        sync = client.newSyncContext(store, ConflictHandlers.park(), events);
        todos = sync.getSyncTable("todoitem");
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    private static MockResponse json(int status, String body) {
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json").body(body)
                .build();
    }

    private static String stored(String id, String text) {
        return "{\"id\":\"" + id + "\",\"text\":\"" + text + "\",\"complete\":false,\"createdAt\":"
                + "\"2026-11-24T10:00:00.000Z\",\"updatedAt\":\"2026-11-24T10:00:00.000Z\",\"version\":\"MQ==\","
                + "\"deleted\":false}";
    }

    @Test
    void pushSendsTheHeadersTheOfficialClientsSendAndNoSystemProperties() throws Exception {
        todos.insert(todo("a", "milk"));
        server.enqueue(json(201, stored("a", "milk")));

        sync.push();

        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getUrl().encodedPath()).isEqualTo("/tables/todoitem");
        assertThat(request.getHeaders().get("ZUMO-API-VERSION")).isEqualTo("2.0.0");
        assertThat(request.getHeaders().get("X-ZUMO-INSTALLATION-ID")).isEqualTo("install-1");
        assertThat(request.getHeaders().get("X-ZUMO-VERSION")).startsWith("ZUMO/2.0 (lang=Java");
        assertThat(request.getHeaders().get("X-ZUMO-AUTH")).isEqualTo("token-1");
        assertThat(request.getBody().utf8()).isEqualTo("{\"id\":\"a\",\"text\":\"milk\",\"complete\":false}");
    }

    @Test
    void updatesUsePatchWithIfMatchAndNoVersionInTheBody() throws Exception {
        store.upsert("todoitem", java.util.List.of(todo("a", "milk").put("version", "MQ==")));
        todos.update(todo("a", "oat milk"));
        server.enqueue(json(200, stored("a", "oat milk")));

        sync.push();

        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("PATCH");
        assertThat(request.getHeaders().get("If-Match")).isEqualTo("\"MQ==\"");
        assertThat(request.getBody().utf8()).doesNotContain("version").doesNotContain("updatedAt");
    }

    @Test
    void a401StopsThePushWithTheQueueIntact() {
        todos.insert(todo("a", "milk"));
        todos.insert(todo("b", "bread"));
        server.enqueue(json(401, "{\"error\":\"token expired\"}"));

        assertThatThrownBy(() -> sync.push()).isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("401");

        assertThat(sync.pendingOperations()).extracting(PendingOperation::state)
                .containsOnly(PendingOperation.State.PENDING);
        assertThat(server.getRequestCount()).isEqualTo(1);
        assertThat(events.events()).contains("pushFailed AuthenticationException");
    }

    @Test
    void aRefusalIsParkedWithItsStatusAndBodyAndTheRestFlows() {
        todos.insert(todo("a", "milk"));
        todos.insert(todo("b", "bread"));
        server.enqueue(json(400, "{\"error\":\"text is too long\",\"code\":\"invalidRecord\"}"));
        server.enqueue(json(201, stored("b", "bread")));

        PushResult result = sync.push();

        assertThat(result.pushed()).isEqualTo(1);
        assertThat(result.parked()).hasSize(1);
        PendingOperation parked = sync.parkedOperations().get(0);
        assertThat(parked.itemId()).isEqualTo("a");
        assertThat(parked.httpStatus()).isEqualTo(400);
        assertThat(parked.error().error()).isEqualTo("text is too long");
        assertThat(parked.error().code()).isEqualTo("invalidRecord");
    }

    @Test
    void aParkedRefusalIsRetriedAfterTheAppFixesIt() {
        todos.insert(todo("a", "milk"));
        server.enqueue(json(400, "{\"error\":\"bad\"}"));
        sync.push();
        PendingOperation parked = sync.parkedOperations().get(0);

        sync.resolve(parked, ConflictResolution.merge(todo("a", "fixed")));
        server.enqueue(json(201, stored("a", "fixed")));
        PushResult result = sync.push();

        assertThat(result.pushed()).isEqualTo(1);
        assertThat(sync.pendingOperations()).isEmpty();
    }

    @Test
    void aServerFailureStopsThePushAndKeepsEveryOperationQueuedUnparked() {
        todos.insert(todo("a", "milk"));
        todos.insert(todo("b", "bread"));
        server.enqueue(json(503, "{\"error\":\"maintenance\"}"));

        assertThatThrownBy(() -> sync.push()).isInstanceOf(ServerUnavailableException.class)
                .hasMessageContaining("503");

        assertThat(sync.parkedOperations()).isEmpty();
        assertThat(sync.pendingOperations()).extracting(PendingOperation::itemId).containsExactly("a", "b");
        assertThat(server.getRequestCount()).isEqualTo(1);
        server.enqueue(json(201, stored("a", "milk")));
        server.enqueue(json(201, stored("b", "bread")));
        assertThat(sync.push().pushed()).isEqualTo(2);
        assertThat(sync.pendingOperations()).isEmpty();
    }

    @Test
    void tooManyRequestsStopsThePushWithTheServersRetryAfter() {
        todos.insert(todo("a", "milk"));
        server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "120")
                .addHeader("Content-Type", "application/json").body("{\"error\":\"slow down\"}").build());

        assertThatThrownBy(() -> sync.push()).isInstanceOfSatisfying(ServerUnavailableException.class,
                e -> assertThat(e.retryAfter()).contains(Duration.ofSeconds(120)));
        assertThat(sync.pendingOperations()).extracting(PendingOperation::isParked).containsExactly(false);
    }

    /** Answers about the request as a whole: each stops the push and leaves every operation queued, none parked. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "an HTML page from a proxy|200|text/html|<html><body>Please sign in to the Wi-Fi</body></html>"
                + "|UnexpectedAnswerException",
        "an HTML error page|502|text/html|<html>Bad gateway</html>|ServerUnavailableException",
        "an unknown table|404|application/json|{'error':'no such table','code':'unknownTable'}"
                + "|ServerResponseException",
        "an operation the table does not allow|405|application/json|{'error':'not allowed'}"
                + "|ServerResponseException",
        "the wrong protocol version|400|application/json|{'error':'An invalid API version was specified in the "
                + "request, this request needs to specify a ZUMO-API-VERSION of 3.0.0.'}|ServerResponseException",
        "a 200 that is not JSON|200|application/json|not json at all|UnexpectedAnswerException",
    })
    void anAnswerAboutTheWholeRequestStopsThePushAndParksNothing(String what, int status, String type, String body,
            String exception) {
        todos.insert(todo("a", "milk"));
        todos.insert(todo("b", "bread"));
        server.enqueue(new MockResponse.Builder().code(status).addHeader("Content-Type", type)
                .body(body.replace('\'', '"')).build());

        assertThatThrownBy(() -> sync.push()).isInstanceOf(ServerResponseException.class)
                .satisfies(e -> assertThat(e.getClass().getSimpleName()).isEqualTo(exception));

        assertThat(sync.parkedOperations()).isEmpty();
        assertThat(sync.pendingOperations()).extracting(PendingOperation::itemId).containsExactly("a", "b");
        assertThat(events.events()).contains("pushFailed " + exception);
    }

    /** Verdicts on one record: each parks that operation alone and the rest of the queue goes on. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "a wrong type|400|{'error':'text must be a string','code':'wrongType'}",
        "a row rule|403|{'error':'not your record'}",
        "a record too large|413|{'error':'the record is too large'}",
    })
    void aVerdictOnOneRecordParksItAndTheRestFlows(String what, int status, String body) {
        todos.insert(todo("a", "milk"));
        todos.insert(todo("b", "bread"));
        server.enqueue(json(status, body.replace('\'', '"')));
        server.enqueue(json(201, stored("b", "bread")));

        PushResult result = sync.push();

        assertThat(result.pushed()).isEqualTo(1);
        assertThat(sync.parkedOperations()).extracting(PendingOperation::itemId, PendingOperation::httpStatus)
                .containsExactly(tuple("a", status));
    }

    @Test
    void anOperationParkedByAnEarlierVersionForAServerFailureIsSentAgain() {
        todos.insert(todo("a", "milk"));
        store.useTransaction(tx -> {
            ObjectNode row = tx.query("__operations", Query.all()).get(0);
            row.put("state", "PARKED").put("httpStatus", 503).put("reason", "the server failed (503)");
            tx.upsert("__operations", row);
        });
        server.enqueue(json(201, stored("a", "milk")));

        assertThat(sync.push().pushed()).isEqualTo(1);
        assertThat(sync.pendingOperations()).isEmpty();
    }

    @Test
    void anUnreachableServerStopsThePushWithTheQueueIntact() {
        todos.insert(todo("a", "milk"));
        server.close();

        assertThatThrownBy(() -> sync.push()).isInstanceOf(NetworkException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(sync.pendingOperations()).hasSize(1);
    }
}
