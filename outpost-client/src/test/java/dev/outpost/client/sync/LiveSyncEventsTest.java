package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.TokenProvider;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.testing.EventStreams;
import dev.outpost.client.testing.FakeTableServer;
import dev.outpost.client.testing.OutpostThreads;
import dev.outpost.client.testing.RecordingSyncListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live sync against a scripted server: the in-test table server (native push and cursor pull) with change events
 * written by the test, when the test says, so that each behaviour of docs/native-protocol.md's event stream can be
 * played on cue. Short configured delays; tests wait for conditions, never for a time.
 */
class LiveSyncEventsTest {
    private static final String CHANGES = "GET /outpost/v1/tables/%s/changes";

    @TempDir
    Path dir;

    private final RecordingSyncListener listener = new RecordingSyncListener();
    private final EventStreams streams = new EventStreams();
    private OutpostThreads threads;
    private FakeTableServer server;
    private SyncContext sync;
    private SyncTable<ObjectNode> todos;
    private SyncTable<ObjectNode> tags;
    private LiveSync live;

    @BeforeEach
    void startServer() {
        threads = OutpostThreads.snapshot();
        server = new FakeTableServer(FakeTableServer.Mode.NATIVE);
        server.onEvents(streams);
    }

    @AfterEach
    void stopEverything() {
        if (sync != null) {
            sync.close();
        }
        streams.close();
        server.close();
        threads.assertNoneLeaked();
    }

    private void openContext(OutpostClient client) {
        sync = client.newSyncContext(SqliteLocalStore.open(dir.resolve("phone.db")), ConflictHandlers.serverWins(),
                listener);
        todos = sync.getSyncTable("todoitem");
        tags = sync.getSyncTable("tags");
    }

    private void openContext() {
        openContext(OutpostClient.builder().baseUrl(server.url()).build());
    }

    /** Fast pacing for tests. */
    private static LiveSyncOptions.Builder options() {
        return LiveSyncOptions.builder().table("todoitem").table("tags")
                .debounce(Duration.ofMillis(20))
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(50))
                .pollInterval(Duration.ofMillis(100))
                .stopTimeout(Duration.ofSeconds(10));
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(20));
    }

    private long requests(String request) {
        return server.requests().stream().filter(request::equals).count();
    }

    private long pulls(String table) {
        return requests(String.format(CHANGES, table));
    }

    @Test
    void readyWithoutResumePullsEveryWatchedTable() {
        server.write("todoitem", todo("t1", "milk"));
        server.write("tags", todo("g1", "groceries"));
        openContext();
        live = sync.startLiveSync(options().build());

        streams.awaitStream(1).ready("todoitem:1,tags:1", false);

        eventually().until(() -> todos.lookup("t1").isPresent() && tags.lookup("g1").isPresent());
        assertThat(live.state()).isEqualTo(LiveSync.State.CONNECTED);
        assertThat(listener.events()).contains("liveSyncConnected");
        assertThat(streams.requests().get(0).getUrl().queryParameter("tables")).isEqualTo("todoitem,tags");
        assertThat(streams.requests().get(0).getHeaders().get("Last-Event-ID")).isNull();
        assertThat(streams.requests().get(0).getHeaders().get("Accept")).isEqualTo("text/event-stream");
    }

    @Test
    void changeEventPullsThatTableOnly() {
        openContext();
        live = sync.startLiveSync(options().build());
        EventStreams.Stream stream = streams.awaitStream(1).ready("todoitem:0,tags:0", false);
        eventually().until(() -> listener.count("pullFinished") == 2);

        server.write("todoitem", todo("t2", "bread"));
        server.write("tags", todo("g2", "not announced"));
        stream.change("todoitem", "todoitem:2,tags:0");

        eventually().until(() -> todos.lookup("t2").isPresent());
        eventually().until(() -> listener.count("pullFinished") == 3);
        assertThat(pulls("todoitem")).isEqualTo(2);
        assertThat(pulls("tags")).isEqualTo(1);
        assertThat(tags.lookup("g2")).isEmpty();
    }

    @Test
    void resumedReadyPullsNothingButResyncPullsEveryTable() {
        openContext();
        live = sync.startLiveSync(options().build());
        EventStreams.Stream stream = streams.awaitStream(1).ready("todoitem:5,tags:5", true);
        eventually().until(() -> live.state() == LiveSync.State.CONNECTED);
        stream.change("tags", "todoitem:5,tags:6");
        eventually().until(() -> listener.count("pullFinished") == 1);
        assertThat(pulls("todoitem")).isZero();

        server.write("todoitem", todo("t3", "eggs"));
        stream.event("resync", null, "{\"reason\":\"behind\"}");

        eventually().until(() -> todos.lookup("t3").isPresent());
        eventually().until(() -> listener.count("pullFinished") == 3);
        assertThat(pulls("todoitem")).isEqualTo(1);
        assertThat(pulls("tags")).isEqualTo(2);
    }

    @Test
    void manyChangesCloseTogetherArePulledOnce() {
        openContext();
        live = sync.startLiveSync(options().debounce(Duration.ofMillis(200)).build());
        EventStreams.Stream stream = streams.awaitStream(1).ready("todoitem:0,tags:0", false);
        eventually().until(() -> listener.count("pullFinished") == 2);

        StringBuilder burst = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            server.write("todoitem", todo("b" + i, "burst " + i));
            burst.append("event: change\nid: todoitem:").append(i).append(",tags:0\n")
                    .append("data: {\"table\":\"todoitem\",\"position\":\"").append(i).append("\"}\n\n");
        }
        stream.send(burst.toString());

        eventually().until(() -> todos.lookup("b50").isPresent());
        assertThat(pulls("todoitem")).isEqualTo(2);
    }

    @Test
    void aStreamThatEndsIsOpenedAgainResumingAfterTheLastEventId() {
        openContext();
        live = sync.startLiveSync(options().build());
        EventStreams.Stream first = streams.awaitStream(1).ready("todoitem:1,tags:1", false);
        first.change("todoitem", "todoitem:7,tags:1");
        first.event("resync", null, "{\"reason\":\"reconnected\"}");
        first.end();

        EventStreams.Stream second = streams.awaitStream(2).ready("todoitem:7,tags:1", true);

        assertThat(second.request().getHeaders().get("Last-Event-ID")).isEqualTo("todoitem:7,tags:1");
        eventually().until(() -> listener.count("liveSyncConnected") == 2);
        assertThat(listener.events()).contains("liveSyncDisconnected NetworkException");
        assertThat(live.state()).isEqualTo(LiveSync.State.CONNECTED);
    }

    @Test
    void refusedConnectionsAreTriedAgainUntilOneOpens() {
        streams.refuseNext(503, null);
        streams.refuseNext(503, null);
        streams.refuseNext(429, null);
        openContext();
        live = sync.startLiveSync(options().build());

        streams.awaitStream(1).ready("todoitem:0,tags:0", false);

        eventually().until(() -> live.state() == LiveSync.State.CONNECTED);
        assertThat(streams.requests()).hasSize(4);
        assertThat(listener.count("liveSyncDisconnected ServerUnavailableException")).isEqualTo(3);
    }

    @Test
    void unauthorizedStreamIsOpenedWithARefreshedToken() {
        AtomicInteger refreshes = new AtomicInteger();
        TokenProvider tokens = new TokenProvider() {
            private volatile String current = "expired";

            @Override
            public String token() {
                return current;
            }

            @Override
            public String refreshedToken() {
                refreshes.incrementAndGet();
                current = "fresh";
                return current;
            }
        };
        streams.refuseWhen(request -> "Bearer expired".equals(request.getHeaders().get("Authorization")), 401,
                null);
        openContext(OutpostClient.builder().baseUrl(server.url()).authToken(tokens).build());
        live = sync.startLiveSync(options().build());

        EventStreams.Stream stream = streams.awaitStream(1).ready("todoitem:0,tags:0", false);

        assertThat(stream.request().getHeaders().get("Authorization")).isEqualTo("Bearer fresh");
        assertThat(refreshes).hasValue(1);
        eventually().until(() -> live.state() == LiveSync.State.CONNECTED);
    }

    @Test
    void aStreamStillRefusedAfterARefreshIsTriedAgainLater() {
        streams.refuseNext(401, null);
        openContext();
        live = sync.startLiveSync(options().build());

        streams.awaitStream(1).ready("todoitem:0,tags:0", false);

        eventually().until(() -> live.state() == LiveSync.State.CONNECTED);
        assertThat(listener.events()).contains("liveSyncDisconnected AuthenticationException");
    }

    @Test
    void aLocalInsertIsPushedSoon() {
        openContext();
        live = sync.startLiveSync(options().build());
        streams.awaitStream(1).ready("todoitem:0,tags:0", false);
        eventually().until(() -> listener.count("pullFinished") == 2);

        todos.insert(todo("local", "written on the phone"));

        eventually().until(() -> server.record("todoitem", "local") != null);
        eventually().until(() -> sync.pendingOperations().isEmpty());
        assertThat(listener.events()).contains("pushFinished 1");
    }

    @Test
    void localWritesMadeOfflineArePushedOnceTheStreamOpens() {
        streams.refuseNext(503, null);
        openContext();
        todos.insert(todo("offline", "queued before the live sync"));
        live = sync.startLiveSync(options().build());

        streams.awaitStream(1).ready("todoitem:0,tags:0", true);

        eventually().until(() -> server.record("todoitem", "offline") != null);
    }

    @Test
    void aFailedPullIsTriedAgainSoThatNoAnnouncedChangeIsLost() {
        openContext();
        live = sync.startLiveSync(options().build());
        EventStreams.Stream stream = streams.awaitStream(1).ready("todoitem:0,tags:0", true);
        eventually().until(() -> live.state() == LiveSync.State.CONNECTED);
        server.write("todoitem", todo("late", "arrives after a failure"));
        server.failRequests("/outpost/v1/tables/todoitem/changes", 0);

        stream.change("todoitem", "todoitem:1,tags:0");
        eventually().until(() -> listener.count("pullFailed") >= 1);
        server.failRequests(null, -1);

        eventually().until(() -> todos.lookup("late").isPresent());
    }

    @Test
    void stopClosesTheStreamEndsTheThreadsAndSendsNothingMore() {
        openContext();
        live = sync.startLiveSync(options().build());
        EventStreams.Stream stream = streams.awaitStream(1).ready("todoitem:0,tags:0", false);
        eventually().until(() -> listener.count("pullFinished") == 2);

        live.stop();

        assertThat(live.state()).isEqualTo(LiveSync.State.STOPPED);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("outpost-live"));
        assertThat(listener.events()).endsWith("liveSyncStopped");
        eventually().until(stream::finished);
        int sent = server.requests().size();
        todos.insert(todo("after", "not pushed by a stopped live sync"));
        stream.change("todoitem", "todoitem:9,tags:0");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5))
                .until(() -> server.requests().size() == sent);
        assertThat(sync.pendingOperations()).hasSize(1);
        live.stop();
        assertThat(listener.count("liveSyncStopped")).isEqualTo(1);
    }

    @Test
    void closingTheContextStopsItsLiveSync() {
        openContext();
        live = sync.startLiveSync(options().build());
        streams.awaitStream(1).ready("todoitem:0,tags:0", false);

        sync.close();
        sync = null;

        assertThat(live.state()).isEqualTo(LiveSync.State.STOPPED);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().startsWith("outpost-live"));
    }

    @Test
    void oneLiveSyncPerContextAtATime() {
        openContext();
        live = sync.startLiveSync(options().build());

        assertThatThrownBy(() -> sync.startLiveSync("todoitem")).isInstanceOf(IllegalStateException.class);
        live.stop();
        live = sync.startLiveSync(options().build());
        assertThat(live.state()).isNotEqualTo(LiveSync.State.STOPPED);
    }

    @Test
    void aServerWithoutChangeEventsIsPolled() {
        server.onEvents(null);
        openContext();
        live = sync.startLiveSync(options().build());

        eventually().until(() -> live.state() == LiveSync.State.POLLING);
        server.write("todoitem", todo("polled", "found by a poll"));
        todos.insert(todo("pushed", "pushed while polling"));

        eventually().until(() -> todos.lookup("polled").isPresent());
        eventually().until(() -> server.record("todoitem", "pushed") != null);
        assertThat(listener.events()).contains("liveSyncPolling").doesNotContain("liveSyncConnected");
        assertThat(requests("GET /outpost/v1/events")).isEqualTo(1);
    }

    @Test
    void aV3ClientPollsWithoutAskingForEvents() {
        server.close();
        server = new FakeTableServer(FakeTableServer.Mode.V3);
        server.onEvents(streams);
        server.write("todoitem", todo("v3", "from a v3 server"));
        openContext(OutpostClient.builder().baseUrl(server.url()).protocol(Protocol.V3).build());
        live = sync.startLiveSync(options().build());

        eventually().until(() -> todos.lookup("v3").isPresent());
        assertThat(live.state()).isEqualTo(LiveSync.State.POLLING);
        assertThat(streams.requests()).isEmpty();
    }

    @Test
    void aStreamRefusedForGoodFallsBackToPolling() {
        streams.refuseNext(404, "unknownTable");
        openContext();
        live = sync.startLiveSync(options().build());

        eventually().until(() -> live.state() == LiveSync.State.POLLING);
        server.write("todoitem", todo("polled", "found by a poll"));
        eventually().until(() -> todos.lookup("polled").isPresent());
        assertThat(listener.events()).containsSubsequence("liveSyncDisconnected ServerResponseException",
                "liveSyncPolling");
        assertThat(streams.requests()).hasSize(1);
    }

    @Test
    void optionsRefuseWhatCannotWork() {
        assertThatThrownBy(() -> LiveSyncOptions.builder().build()).isInstanceOf(IllegalStateException.class);
        LiveSyncOptions.Builder many = LiveSyncOptions.builder();
        for (int i = 0; i <= LiveSyncOptions.MAX_TABLES; i++) {
            many.table("t" + i);
        }
        assertThatThrownBy(many::build).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> LiveSyncOptions.builder().reconnectDelay(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(LiveSyncOptions.of("todoitem", "TodoItem", "tags").tables()).isEqualTo(List.of("todoitem", "tags"));
    }
}
