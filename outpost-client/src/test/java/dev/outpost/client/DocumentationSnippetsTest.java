package dev.outpost.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.client.sync.ConflictHandlers;
import dev.outpost.client.sync.LiveSync;
import dev.outpost.client.sync.LiveSyncOptions;
import dev.outpost.client.testing.FakeTableServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code snippets in the public API's Javadoc compile and run: each one is copied here, and
 * {@link #everyJavadocSnippetLineAppearsInThisFile()} fails when a snippet changes without this file.
 */
class DocumentationSnippetsTest {
    private static final Path MAIN = Path.of("src/main/java/dev/outpost/client");
    private static final Path SELF = Path.of("src/test/java/dev/outpost/client/DocumentationSnippetsTest.java");

    @TempDir
    Path dataDir;

    /** The Todo type of the snippets. */
    public record Todo(String id, String text, boolean complete) {
    }

    /** Stands in for the app's login session. */
    static final class Session {
        String token() {
            return "token";
        }
    }

    private final Session session = new Session();

    @Test
    void outpostClientSnippetRuns() {
        OutpostClient client = OutpostClient.builder()
                .baseUrl("https://todo.example.com")
                .authToken(() -> session.token())
                .build();
        RemoteTable<ObjectNode> online = client.getTable("todoitem");
        SyncContext sync = client.newSyncContext(SqliteLocalStore.open(dataDir.resolve("todo.db")),
                ConflictHandlers.threeWayMerge());

        assertThat(online.name()).isEqualTo("todoitem");
        assertThat(sync.pendingOperations()).isEmpty();
        sync.close();
    }

    @Test
    void syncContextAndTableQuerySnippetsRun() {
        try (FakeTableServer server = new FakeTableServer(FakeTableServer.Mode.NATIVE)) {
            OutpostClient client = OutpostClient.builder().baseUrl(server.url()).build();
            try (SyncContext sync = client.newSyncContext(SqliteLocalStore.open(dataDir.resolve("todo.db")),
                    ConflictHandlers.threeWayMerge())) {
                SyncTable<Todo> todos = sync.getSyncTable("todoitem", Todo.class);
                todos.insert(new Todo(null, "milk", false));   // works offline
                sync.push();                                   // when online
                todos.pull("all-todos");                       // incremental

                SyncTable<Todo> table = todos;
                QueryResult<Todo> open = table.query()
                        .where("complete eq false")
                        .orderBy("text")
                        .top(20)
                        .includeTotalCount()
                        .list();

                assertThat(open.items()).extracting(Todo::text).containsExactly("milk");
                assertThat(server.liveRecords("todoitem")).hasSize(1);
            }
        }
    }

    @Test
    void liveSyncSnippetRuns() {
        try (FakeTableServer server = new FakeTableServer(FakeTableServer.Mode.NATIVE)) {
            OutpostClient client = OutpostClient.builder().baseUrl(server.url()).build();
            try (SyncContext sync = client.newSyncContext(SqliteLocalStore.open(dataDir.resolve("todo.db")),
                    ConflictHandlers.threeWayMerge())) {
                SyncTable<Todo> todos = sync.getSyncTable("todoitem", Todo.class);
                try (LiveSync live = sync.startLiveSync("todoitem")) {
                    // the app runs; todoitem follows the server, local writes go out within a moment
                    todos.insert(new Todo(null, "milk", false));
                    assertThat(live.state()).isNotEqualTo(LiveSync.State.STOPPED);
                    await().atMost(Duration.ofSeconds(20)).until(() -> server.liveRecords("todoitem").size() == 1);
                }
            }
        }
    }

    @Test
    void liveSyncOptionsSnippetRuns() {
        try (FakeTableServer server = new FakeTableServer(FakeTableServer.Mode.NATIVE)) {
            OutpostClient client = OutpostClient.builder().baseUrl(server.url()).build();
            try (SyncContext sync = client.newSyncContext(SqliteLocalStore.open(dataDir.resolve("todo.db")),
                    ConflictHandlers.threeWayMerge())) {
                SyncTable<ObjectNode> tags = sync.getSyncTable("tags");
                LiveSync live = sync.startLiveSync(LiveSyncOptions.builder()
                        .table("todoitem")
                        .table("tags", tags.query().where("archived eq false").toQuery(), "active-tags")
                        .pollInterval(Duration.ofMinutes(1))
                        .build());

                await().atMost(Duration.ofSeconds(20)).until(() -> live.state() == LiveSync.State.POLLING);
                live.stop();
            }
        }
    }

    @Test
    void storeSnippetsRun() {
        try (SqliteLocalStore store = SqliteLocalStore.open(dataDir.resolve("app.db"))) {
            store.defineTable(TableDefinition.builder("todoitem").withSystemColumns()
                    .column("text", ColumnType.STRING).build());
            TableDefinition todo = TableDefinition.builder("todoitem")
                    .withSystemColumns()
                    .column("text", ColumnType.STRING)
                    .column("complete", ColumnType.BOOLEAN)
                    .index("complete")
                    .build();
            store.defineTable(todo);

            assertThat(store.tableDefinition("todoitem").orElseThrow().column("complete")).isNotNull();
        }
    }

    @Test
    void everyJavadocSnippetLineAppearsInThisFile() throws IOException {
        Set<String> here = Files.readAllLines(SELF).stream().map(String::trim).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        List<Path> sources;
        try (var files = Files.walk(MAIN)) {
            sources = files.filter(p -> p.toString().endsWith(".java") && !p.toString().contains("internal"))
                    .toList();
        }
        int snippets = 0;
        for (Path source : sources) {
            boolean inSnippet = false;
            for (String line : Files.readAllLines(source)) {
                String text = line.trim().replaceFirst("^\\* ?", "");
                if (text.startsWith("<pre>{@code")) {
                    inSnippet = true;
                    snippets++;
                } else if (text.startsWith("}</pre>")) {
                    inSnippet = false;
                } else if (inSnippet && !text.isBlank() && !here.contains(text.trim())) {
                    missing.add(source.getFileName() + ": " + text.trim());
                }
            }
        }
        assertThat(snippets).isGreaterThanOrEqualTo(5);
        assertThat(missing).as("Javadoc snippet lines not compiled in DocumentationSnippetsTest").isEmpty();
    }
}
