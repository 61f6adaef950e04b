package dev.outpost.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.SyncContext;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A server that does not serve a table (a tables file without it) answers each change of it about the table, not
 * the record: the push stores what the server applied, stops with the server's answer, and parks nothing, so the
 * user's changes wait for a server that has the table instead of being offered for deletion as conflicts.
 */
class RequestRefusalTest {
    @TempDir
    Path dir;

    private static ObjectNode item(String id, String text) {
        return JsonNodeFactory.instance.objectNode().put("id", id).put("text", text);
    }

    @ParameterizedTest
    @EnumSource(value = Protocol.class, names = {"AUTO", "V3", "V2"})
    void changesToATableTheServerDoesNotServeStayQueuedUnparked(Protocol protocol) throws IOException {
        Path tables = Files.writeString(dir.resolve("tables.json"), "{\"notes\": {\"columns\": {\"text\": \"string\"}}}");
        ServerConfig config = ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("server.db")).tablesFile(tables)
                .shutdownTimeout(Duration.ZERO).build();
        OutpostServer server = OutpostServer.builder().config(config).build().start();
        try (SqliteLocalStore store = SqliteLocalStore.open(dir.resolve("phone.db"))) {
            SyncContext sync = OutpostClient.builder().baseUrl("http://127.0.0.1:" + server.port())
                    .protocol(protocol).build().newSyncContext(store, ConflictHandlers.serverWins());
            sync.getSyncTable("notes").insert(item("n1", "first note"));
            sync.getSyncTable("todoitem").insert(item("t1", "milk"));
            sync.getSyncTable("notes").insert(item("n2", "second note"));

            assertThatThrownBy(sync::push).isInstanceOfSatisfying(ServerResponseException.class,
                    e -> assertThat(e.status()).isEqualTo(404));

            assertThat(sync.parkedOperations()).isEmpty();
            assertThat(sync.pendingOperations()).extracting(PendingOperation::itemId).startsWith("t1")
                    .doesNotContain("n1");
            assertThat(sync.getSyncTable("todoitem").lookup("t1")).isPresent();
        } finally {
            server.close();
        }
    }
}
