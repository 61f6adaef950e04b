package dev.outpost.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server that takes smaller batches than the client sends: the client halves a refused batch until it fits. */
class BatchSplitTest {
    @TempDir
    Path dir;

    @Test
    void batchesRefusedForTheirSizeAreSplitAndEverythingArrivesInOrder() {
        ServerConfig config = ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("server.db")).maxBatchOperations(70)
                .shutdownTimeout(Duration.ZERO).build();
        OutpostServer server = OutpostServer.builder().config(config).build().start();
        try (SqliteLocalStore store = SqliteLocalStore.open(dir.resolve("phone.db"))) {
            String url = "http://127.0.0.1:" + server.port();
            SyncContext sync = OutpostClient.builder().baseUrl(url).protocol(Protocol.AUTO).build().newSyncContext(store, ConflictHandlers.park());
            sync.defineTable(TableDefinition.builder("todoitem").withSystemColumns()
                    .column("text", ColumnType.STRING).build());
            SyncTable<ObjectNode> todos = sync.getSyncTable("todoitem");
            for (int i = 0; i < 600; i++) {
                todos.insert(JsonNodeFactory.instance.objectNode().put("id", String.format("r%04d", i))
                        .put("text", "item " + i));
            }

            PushResult result = sync.push();

            assertThat(result.isComplete()).isTrue();
            assertThat(result.pushed()).isEqualTo(600);
            assertThat(sync.pendingOperations()).isEmpty();
            // The server stamped updatedAt in the order it applied the inserts: the queue's order.
            java.util.List<ObjectNode> local = todos.query().orderBy("updatedAt").top(1000).list().items();
            assertThat(local).hasSize(600);
            for (int i = 0; i < 600; i++) {
                assertThat(local.get(i).get("id").asText()).isEqualTo(String.format("r%04d", i));
                assertThat(local.get(i).get("version").isTextual()).isTrue();
            }
        } finally {
            server.close();
        }
    }
}
