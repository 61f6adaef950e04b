package dev.outpost.client.sync;

import static dev.outpost.client.testing.SyncFixture.todo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.testing.Backend;
import dev.outpost.client.testing.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** In AUTO mode against an Outpost server, push and pull use the native endpoints, not the table routes. */
class NativeExtensionsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"FAKE_NATIVE", "OUTPOST_AUTO"})
    void autoModeUsesBatchPushAndCursorPull(Target target) {
        List<String> requests = new CopyOnWriteArrayList<>();
        OkHttpClient recording = new OkHttpClient.Builder().addInterceptor(chain -> {
            requests.add(chain.request().method() + " " + chain.request().url().encodedPath());
            return chain.proceed(chain.request());
        }).build();
        try (Backend server = target.start(dir);
             SqliteLocalStore store = SqliteLocalStore.open(dir.resolve("phone.db"))) {
            server.write("todoitem", todo("existing", "from the server"));
            SyncContext sync = OutpostClient.builder().baseUrl(server.url()).protocol(Protocol.AUTO)
                    .httpClient(recording).build().newSyncContext(store, ConflictHandlers.serverWins());
            SyncTable<com.fasterxml.jackson.databind.node.ObjectNode> todos = sync.getSyncTable("todoitem");
            for (int i = 0; i < 3; i++) {
                todos.insert(todo("id" + i, "item " + i));
            }

            PushResult pushed = sync.push();
            PullResult pulled = todos.pull("all");

            assertThat(pushed.pushed()).isEqualTo(3);
            assertThat(pulled.upserted()).isEqualTo(4);
            assertThat(requests).contains("POST /outpost/v1/push", "GET /outpost/v1/tables/todoitem/changes")
                    .noneMatch(request -> request.contains(" /tables/"));
            assertThat(requests.stream().filter(r -> r.equals("POST /outpost/v1/push"))).hasSize(1);
        }
    }
}
