package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.testing.NodeServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In AUTO mode the client finds the dialect a server speaks: native with an Outpost server, v3 otherwise, and v2
 * with a server that refuses v3's API version as the official Node server does. What it found is remembered in
 * the store for that server, so that a later run does not ask again.
 */
class AutoProtocolTest {
    @TempDir
    Path dir;

    /** Requests as "METHOD path?query ZUMO-API-VERSION". */
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final OkHttpClient recording = new OkHttpClient.Builder().addInterceptor(chain -> {
        requests.add(chain.request().method() + " " + chain.request().url().encodedPath()
                + (chain.request().url().query() == null ? "" : "?" + chain.request().url().query())
                + " " + chain.request().header("ZUMO-API-VERSION"));
        return chain.proceed(chain.request());
    }).build();

    private SyncContext context(NodeServer server) {
        return OutpostClient.builder().baseUrl(server.url()).protocol(Protocol.AUTO).httpClient(recording).build()
                .newSyncContext(SqliteLocalStore.open(dir.resolve("phone.db")), ConflictHandlers.serverWins());
    }

    @Test
    void theOfficialNodeServerIsSpokenToInV2AndThatIsRememberedForTheNextRun() {
        try (NodeServer server = new NodeServer(dir)) {
            server.write("todoitem", todo("existing", "from the server"));
            try (SyncContext sync = context(server)) {
                SyncTable<ObjectNode> todos = sync.getSyncTable("todoitem");
                todos.insert(todo("a", "milk"));

                assertThat(sync.push().pushed()).isEqualTo(1);
                assertThat(todos.pull("all").upserted()).isEqualTo(2);
            }
            assertThat(server.record("todoitem", "a").get("text").asText()).isEqualTo("milk");
            assertThat(requests).anyMatch(r -> r.startsWith("GET /tables/todoitem?$top=0 3.0.0"))
                    .anyMatch(r -> r.equals("POST /tables/todoitem 2.0.0"))
                    .noneMatch(r -> r.startsWith("POST") && r.endsWith("3.0.0"));

            requests.clear();
            try (SyncContext later = context(server)) {
                later.getSyncTable("todoitem").insert(todo("b", "bread"));

                assertThat(later.push().pushed()).isEqualTo(1);
            }
            assertThat(requests).noneMatch(r -> r.contains("$top=0")).allMatch(r -> r.endsWith(" 2.0.0")
                    || r.startsWith("GET /health"));
            assertThat(server.record("todoitem", "b").get("text").asText()).isEqualTo("bread");
        }
    }
}
