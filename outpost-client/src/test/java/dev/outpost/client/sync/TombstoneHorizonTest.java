package dev.outpost.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.testing.MutableClock;
import dev.outpost.client.testing.SyncFixture;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The tombstone horizon is not silent. A device that has not pulled for longer than the server's tombstone retention
 * may have missed deletions whose tombstones were purged; the server says so (native: 410 {@code cursorExpired};
 * v2/v3: the horizon header), and the pull starts the table over: local records without a queued operation are
 * removed and everything is pulled again, while the queue (here a parked conflict) and its records stay.
 */
class TombstoneHorizonTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"AUTO", "V3", "V2"})
    void aDeviceAwayLongerThanTheRetentionStartsTheTableOverAndKeepsItsQueue(Protocol protocol) {
        MutableClock clock = new MutableClock();
        Instant start = Instant.parse("2026-06-01T00:00:00Z");
        clock.freeze(start);
        ServerConfig config = ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("server.db")).shutdownTimeout(Duration.ZERO)
                .tombstoneRetention(Duration.ofHours(1)).purgeInterval(Duration.ofMillis(50)).build();
        OutpostServer server = OutpostServer.builder().config(config).clock(clock).build().start();
        OutpostClient client = OutpostClient.builder().baseUrl("http://127.0.0.1:" + server.port()).protocol(protocol)
                .build();
        try (SyncContext phone = client.newSyncContext(SqliteLocalStore.open(dir.resolve("phone.db")),
                ConflictHandlers.park());
             SyncContext tablet = client.newSyncContext(SqliteLocalStore.open(dir.resolve("tablet.db")),
                     ConflictHandlers.serverWins())) {
            SyncTable<ObjectNode> phoneTodos = phone.getSyncTable("todoitem");
            SyncTable<ObjectNode> tabletTodos = tablet.getSyncTable("todoitem");
            phoneTodos.insert(SyncFixture.todo("gone", "deleted while the phone is away"));
            phoneTodos.insert(SyncFixture.todo("mine", "edited on both"));
            phoneTodos.insert(SyncFixture.todo("kept", "untouched"));
            phone.push();
            phoneTodos.pull("all");
            tabletTodos.pull("all");
            clock.freeze(start.plusSeconds(1));
            tabletTodos.deleteById("gone");
            tabletTodos.update(SyncFixture.todo("mine", "the tablet's edit"));
            tabletTodos.insert(SyncFixture.todo("new", "added while the phone is away"));
            tablet.push();
            phoneTodos.update(SyncFixture.todo("mine", "the phone's edit"));
            assertThat(phone.push().parked()).extracting(PendingOperation::itemId).containsExactly("mine");

            clock.freeze(start.plus(Duration.ofHours(2)));
            await().atMost(Duration.ofSeconds(20)).until(() -> client.getTable("todoitem").query()
                    .includeDeleted().list().items().stream().noneMatch(r -> r.get("id").asText().equals("gone")));
            PullResult pulled = phoneTodos.pull("all");

            assertThat(pulled.restarted()).isTrue();
            assertThat(phoneTodos.lookup("gone")).isEmpty();
            assertThat(phoneTodos.lookup("new").orElseThrow().get("text").asText())
                    .isEqualTo("added while the phone is away");
            assertThat(phoneTodos.lookup("kept")).isPresent();
            assertThat(phoneTodos.lookup("mine").orElseThrow().get("text").asText()).isEqualTo("the phone's edit");
            assertThat(phone.parkedOperations()).extracting(PendingOperation::itemId).containsExactly("mine");

            // A device that pulls more often than the retention never starts over, however long the table is quiet:
            // its last pull's end counts, not the last change it saw.
            for (int pull = 1; pull <= 3; pull++) {
                clock.freeze(start.plus(Duration.ofHours(2)).plus(Duration.ofMinutes(50L * pull)));
                assertThat(phoneTodos.pull("all").restarted()).as("pull %d", pull).isFalse();
            }
        } finally {
            server.stop();
        }
    }
}
