package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.testing.OutpostThreads;
import dev.outpost.client.testing.RecordingSyncListener;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import dev.outpost.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live sync end to end: two devices, each a sync context over its own SQLite store, live-syncing with a real
 * Outpost server over its change events (polling is set to an hour, so only the events can carry a change in
 * time), on SQLite and PostgreSQL.
 */
class LiveSyncTest {
    @TempDir
    Path dir;

    private OutpostServer server;
    private int port;
    private OutpostThreads threads;
    private final List<SyncContext> contexts = new ArrayList<>();

    private TestDatabase database;
    private String databaseUrl;

    @BeforeEach
    void snapshotThreads() {
        threads = OutpostThreads.snapshot();
    }

    private void start(TestDatabase on) {
        database = on;
        databaseUrl = on.createUrl();
        server = startServer(0);
        port = server.port();
    }

    @AfterEach
    void stopEverything() {
        contexts.forEach(SyncContext::close);
        if (server != null) {
            server.stop();
        }
        if (database != null) {
            database.drop(databaseUrl);
        }
        threads.assertNoneLeaked();
    }

    private OutpostServer startServer(int onPort) {
        ServerConfig config = ServerConfig.builder().port(onPort).host("127.0.0.1")
                .database(databaseUrl)
                .shutdownTimeout(Duration.ZERO)
                .build();
        return OutpostServer.builder().config(config).build().start();
    }

    private String url() {
        return "http://127.0.0.1:" + port;
    }

    private record Device(SyncContext sync, SyncTable<ObjectNode> todos, LiveSync live,
            RecordingSyncListener listener) {
        Set<String> ids() {
            Set<String> ids = new TreeSet<>();
            todos.query().list().items().forEach(todo -> ids.add(todo.get("id").asText()));
            return ids;
        }
    }

    private Device device(String name) {
        RecordingSyncListener listener = new RecordingSyncListener();
        SyncContext sync = OutpostClient.builder().baseUrl(url()).build()
                .newSyncContext(SqliteLocalStore.open(dir.resolve(name + ".db")), ConflictHandlers.serverWins(),
                        listener);
        contexts.add(sync);
        LiveSync live = sync.startLiveSync(LiveSyncOptions.builder().table("todoitem")
                .debounce(Duration.ofMillis(50))
                .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500))
                .pollInterval(Duration.ofHours(1))
                .build());
        return new Device(sync, sync.getSyncTable("todoitem"), live, listener);
    }

    private static ConditionFactory eventually() {
        return await().atMost(Duration.ofSeconds(30));
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void anInsertOnOneDeviceAppearsOnTheOther(TestDatabase on) {
        start(on);
        Device a = device("a");
        Device b = device("b");
        eventually().until(() -> a.live().state() == LiveSync.State.CONNECTED
                && b.live().state() == LiveSync.State.CONNECTED);

        a.todos().insert(todo("milk", "from a"));

        eventually().until(() -> b.todos().lookup("milk").isPresent());
        b.todos().deleteById("milk");
        eventually().until(() -> a.todos().lookup("milk").isEmpty());
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void bothDevicesConvergeThroughAServerRestart(TestDatabase on) {
        start(on);
        Device a = device("a");
        Device b = device("b");
        eventually().until(() -> a.live().state() == LiveSync.State.CONNECTED
                && b.live().state() == LiveSync.State.CONNECTED);
        a.todos().insert(todo("before", "before the restart"));
        eventually().until(() -> b.todos().lookup("before").isPresent());

        server.stop();
        eventually().until(() -> a.live().state() == LiveSync.State.CONNECTING
                && b.live().state() == LiveSync.State.CONNECTING);
        a.todos().insert(todo("from-a", "written while the server was down"));
        b.todos().insert(todo("from-b", "written while the server was down"));
        server = startServer(port);

        eventually().until(() -> a.ids().equals(Set.of("before", "from-a", "from-b"))
                && b.ids().equals(Set.of("before", "from-a", "from-b")));
        assertThat(a.sync().pendingOperations()).isEmpty();
        assertThat(b.sync().pendingOperations()).isEmpty();
        assertThat(a.listener().count("liveSyncConnected")).isGreaterThanOrEqualTo(2);
        assertThat(b.listener().count("liveSyncConnected")).isGreaterThanOrEqualTo(2);
    }
}
