package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.testing.RecordingSyncListener;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.client.testing.SyncTest;

/** The whole offline story, against each protocol. */
class OfflineStoryTest {
    @SyncTest
    void workOfflineRestartThenSyncAndASecondDeviceSeesEverything(SyncFixture fixture) {
        fixture.server.write("todoitem", todo("existing", "from the server"));
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.serverWins());
        phone.todos().pull("all");
        fixture.proxy.refuseConnections(true);

        phone.todos().insert(todo("a", "milk"));
        phone.todos().insert(todo("b", "bread"));
        phone.todos().update(todo("a", "oat milk"));
        phone.todos().update(todo("existing", "edited offline"));
        phone.todos().insert(todo("c", "eggs"));
        phone.todos().deleteById("c");
        assertThatThrownBy(() -> phone.sync().push()).isInstanceOf(NetworkException.class)
                .hasMessageContaining("failed");
        phone.store().close();

        try (SqliteLocalStore reopened = SqliteLocalStore.open(fixture.storeFile("phone"))) {
            RecordingSyncListener events = new RecordingSyncListener();
            SyncContext restarted = fixture.client().newSyncContext(reopened, ConflictHandlers.serverWins(), events);
            SyncTable<com.fasterxml.jackson.databind.node.ObjectNode> todos = restarted.getSyncTable("todoitem");
            assertThat(restarted.pendingOperations()).extracting(PendingOperation::itemId)
                    .containsExactly("a", "b", "existing");
            assertThat(todos.lookup("a").orElseThrow().get("text").asText()).isEqualTo("oat milk");

            fixture.proxy.refuseConnections(false);
            PushResult pushed = restarted.push();
            todos.pull("all");

            assertThat(pushed.pushed()).isEqualTo(3);
            assertThat(pushed.parked()).isEmpty();
            assertThat(restarted.pendingOperations()).isEmpty();
            assertThat(events.events()).contains("pushStarted 3", "pushFinished 3", "pullStarted todoitem");
            assertThat(todos.lookup("a").orElseThrow().get("version").asText()).isNotEmpty();
        }
        assertThat(fixture.server.liveRecords("todoitem")).extracting(r -> r.get("text").asText())
                .containsExactlyInAnyOrder("oat milk", "bread", "edited offline");

        SyncFixture.Device laptop = fixture.device("laptop", ConflictHandlers.serverWins());
        PullResult pulled = laptop.todos().pull("all");
        assertThat(pulled.upserted()).isEqualTo(3);
        assertThat(laptop.text("a")).isEqualTo("oat milk");
        assertThat(laptop.text("existing")).isEqualTo("edited offline");
        assertThat(laptop.todos().lookup("c")).isEmpty();
    }

    @SyncTest
    void deletesReachOtherDevicesAsTombstones(SyncFixture fixture) {
        SyncFixture.Device phone = fixture.device("phone", ConflictHandlers.serverWins());
        SyncFixture.Device laptop = fixture.device("laptop", ConflictHandlers.serverWins());
        phone.todos().insert(todo("a", "milk"));
        phone.sync().push();
        laptop.todos().pull("all");
        assertThat(laptop.text("a")).isEqualTo("milk");

        phone.todos().pull("all");
        phone.todos().deleteById("a");
        phone.sync().push();
        PullResult result = laptop.todos().pull("all");

        assertThat(result.deleted()).isEqualTo(1);
        assertThat(laptop.todos().lookup("a")).isEmpty();
    }
}
