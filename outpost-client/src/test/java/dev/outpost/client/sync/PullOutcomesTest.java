package dev.outpost.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.client.OutpostClient;
import dev.outpost.client.Protocol;
import dev.outpost.client.SyncContext;
import dev.outpost.client.sqlite.SqliteLocalStore;
import java.io.IOException;
import java.nio.file.Path;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scripted v2 pull answers: the exact requests, and a server that does not page as asked. */
class PullOutcomesTest {
    @TempDir
    Path dir;
    MockWebServer server = new MockWebServer();
    SqliteLocalStore store;
    SyncContext sync;

    @BeforeEach
    void start() throws IOException {
        server.start();
        store = SqliteLocalStore.open(dir.resolve("app.db"));
        sync = OutpostClient.builder().baseUrl(server.url("/").toString()).protocol(Protocol.V2).build().newSyncContext(store, ConflictHandlers.serverWins());
    }

    @AfterEach
    void stop() {
        store.close();
        server.close();
    }

    private static MockResponse page(String body) {
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
    }

    private static final String PAGE = "[{\"id\":\"a\",\"text\":\"milk\",\"updatedAt\":\"2026-11-24T10:00:00.123Z\","
            + "\"version\":\"MQ==\",\"deleted\":false}]";

    @Test
    void anIncrementalPullAsksForRecordsAfterTheLastPositionWithDeletedOnes() throws Exception {
        server.enqueue(page(PAGE));
        server.enqueue(page("[]"));

        PullResult result = sync.getSyncTable("todoitem").pull("all");

        assertThat(result.upserted()).isEqualTo(1);
        RecordedRequest first = server.takeRequest();
        assertThat(first.getUrl().queryParameter("$filter")).isNull();
        assertThat(first.getUrl().queryParameter("$orderby")).isEqualTo("updatedAt,id");
        assertThat(first.getUrl().queryParameter("__includeDeleted")).isEqualTo("true");
        assertThat(first.getUrl().queryParameter("$top")).isEqualTo("1000");
        RecordedRequest second = server.takeRequest();
        assertThat(second.getUrl().queryParameter("$filter")).isEqualTo(
                "((updatedAt gt datetimeoffset'2026-11-24T10:00:00.123Z') or ((updatedAt eq "
                        + "datetimeoffset'2026-11-24T10:00:00.123Z') and (id gt 'a')))");
    }

    @Test
    void aServerThatSendsTheSamePageAgainStopsThePullInsteadOfLooping() {
        server.enqueue(page(PAGE));
        server.enqueue(page(PAGE));
        server.enqueue(page(PAGE));

        assertThatThrownBy(() -> sync.getSyncTable("todoitem").pull("all"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no progress");
    }
}
