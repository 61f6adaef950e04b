package dev.outpost.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.QueryResult;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.exception.LocalStoreException;
import dev.outpost.client.exception.OperationRejectedException;
import dev.outpost.client.exception.RecordNotFoundException;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.client.testing.FailingLocalStore;
import dev.outpost.client.testing.Todo;
import dev.outpost.protocol.sync.OperationKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local CRUD, queries and the queue, with no server at all (the base URL points nowhere). */
class OfflineSyncTableTest {
    @TempDir
    Path dir;
    FailingLocalStore store;
    SyncContext sync;
    SyncTable<ObjectNode> todos;

    @BeforeEach
    void open() {
        store = new FailingLocalStore(SqliteLocalStore.open(dir.resolve("app.db")));
        sync = offlineClient().newSyncContext(store, ConflictHandlers.park());
        todos = sync.getSyncTable("todoitem");
    }

    @AfterEach
    void close() {
        store.close();
    }

    static OutpostClient offlineClient() {
        return OutpostClient.builder().baseUrl("http://127.0.0.1:9").build();
    }

    static ObjectNode todo(String id, String text) {
        ObjectNode record = Json.object();
        if (id != null) {
            record.put("id", id);
        }
        return record.put("text", text).put("complete", false);
    }

    private List<OperationKind> queuedKinds() {
        return sync.pendingOperations().stream().map(PendingOperation::kind).toList();
    }

    @Test
    void insertWithoutAnIdGetsAUuidAndIsQueued() {
        ObjectNode stored = todos.insert(todo(null, "milk"));

        assertThat(stored.get("id").asText()).matches("[0-9a-f-]{36}");
        assertThat(todos.lookup(stored.get("id").asText())).isPresent();
        assertThat(queuedKinds()).containsExactly(OperationKind.INSERT);
    }

    @Test
    void theQueueKeepsItsOrderAcrossReopenedStoresAndLaterContexts() {
        todos.insert(todo("c", "first"));
        todos.insert(todo("a", "second"));
        store.close();

        try (SyncContext again = offlineClient().newSyncContext(SqliteLocalStore.open(dir.resolve("app.db")),
                ConflictHandlers.park())) {
            again.getSyncTable("todoitem").insert(todo("b", "third"));
        }
        // A later context on the same file continues the same sequence.
        try (SyncContext later = offlineClient().newSyncContext(SqliteLocalStore.open(dir.resolve("app.db")),
                ConflictHandlers.park())) {
            later.getSyncTable("todoitem").insert(todo("0", "fourth"));
            later.getSyncTable("todoitem").insert(todo("d", "fifth"));

            assertThat(later.pendingOperations()).extracting(PendingOperation::itemId)
                    .containsExactly("c", "a", "b", "0", "d");
        }
    }

    @Test
    void newIdsAreTimeOrderedVersion7Uuids() {
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add(todos.insert(todo(null, "item " + i)).get("id").asText());
        }

        for (String id : ids) {
            java.util.UUID uuid = java.util.UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(7);
            assertThat(uuid.variant()).isEqualTo(2);
        }
        // Made one after another, they sort in the order they were made (their first 48 bits are the time).
        assertThat(ids).isSorted().doesNotHaveDuplicates();
        assertThat(sync.pendingOperations()).extracting(PendingOperation::itemId).containsExactlyElementsOf(ids);
    }

    @Test
    void insertThenUpdateStaysOneInsert() {
        todos.insert(todo("a", "milk"));
        todos.update(todo("a", "oat milk"));

        assertThat(queuedKinds()).containsExactly(OperationKind.INSERT);
        assertThat(todos.lookup("a").orElseThrow().get("text").asText()).isEqualTo("oat milk");
    }

    @Test
    void insertThenDeleteLeavesNothingQueued() {
        todos.insert(todo("a", "milk"));
        todos.deleteById("a");

        assertThat(sync.pendingOperations()).isEmpty();
        assertThat(todos.lookup("a")).isEmpty();
    }

    @Test
    void updateThenUpdateStaysOneUpdateBasedOnTheFirstVersion() {
        store.upsert("todoitem", List.of(todo("a", "milk").put("version", "v1")));
        todos.update(todo("a", "oat milk"));
        todos.update(todo("a", "soy milk"));

        List<PendingOperation> queued = sync.pendingOperations();
        assertThat(queued).extracting(PendingOperation::kind).containsExactly(OperationKind.UPDATE);
        assertThat(queued.get(0).baseVersion()).isEqualTo("v1");
    }

    @Test
    void updateThenDeleteBecomesADelete() {
        store.upsert("todoitem", List.of(todo("a", "milk").put("version", "v1")));
        todos.update(todo("a", "oat milk"));
        todos.deleteById("a");

        assertThat(queuedKinds()).containsExactly(OperationKind.DELETE);
        assertThat(sync.pendingOperations().get(0).baseVersion()).isEqualTo("v1");
    }

    @Test
    void anythingAfterADeleteIsRejectedAndWritesNothing() {
        store.upsert("todoitem", List.of(todo("a", "milk").put("version", "v1")));
        todos.deleteById("a");

        assertThatThrownBy(() -> todos.insert(todo("a", "again")))
                .isInstanceOf(OperationRejectedException.class)
                .hasMessageContaining("'a'").hasMessageContaining("delete")
                .satisfies(e -> {
                    OperationRejectedException rejected = (OperationRejectedException) e;
                    assertThat(rejected.existing().kind()).isEqualTo(OperationKind.DELETE);
                    assertThat(rejected.attempted()).isEqualTo(OperationKind.INSERT);
                });
        assertThat(todos.lookup("a")).isEmpty();
        assertThat(queuedKinds()).containsExactly(OperationKind.DELETE);
    }

    @Test
    void aSecondInsertOfTheSameIdIsRejected() {
        todos.insert(todo("a", "milk"));

        assertThatThrownBy(() -> todos.insert(todo("a", "bread")))
                .isInstanceOf(OperationRejectedException.class).hasMessageContaining("insert");
        assertThat(todos.lookup("a").orElseThrow().get("text").asText()).isEqualTo("milk");
    }

    @Test
    void insertingAnIdThatExistsLocallyIsRejected() {
        store.upsert("todoitem", List.of(todo("a", "pulled").put("version", "v1")));

        assertThatThrownBy(() -> todos.insert(todo("a", "mine")))
                .isInstanceOf(OperationRejectedException.class).hasMessageContaining("already exists");
    }

    @Test
    void updatingOrDeletingAMissingRecordSaysSo() {
        assertThatThrownBy(() -> todos.update(todo("nope", "x"))).isInstanceOf(RecordNotFoundException.class);
        assertThatThrownBy(() -> todos.deleteById("nope")).isInstanceOf(RecordNotFoundException.class);
    }

    @Test
    void anInvalidIdIsAProgrammerError() {
        assertThatThrownBy(() -> todos.insert(todo("bad/id", "x")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bad/id");
    }

    @Test
    void theUpdateKeepsTheRecordAsItWasWhenFirstQueuedForThreeWayMerge() {
        store.upsert("todoitem", List.of(todo("a", "milk").put("version", "v1")));
        todos.update(todo("a", "oat milk"));
        todos.update(todo("a", "soy milk"));

        store.useTransaction(tx -> {
            ObjectNode row = tx.query("__operations", dev.outpost.protocol.query.Query.all()).get(0);
            assertThat(row.get("base").get("text").asText()).isEqualTo("milk");
        });
    }

    @Test
    void aFailedQueueWriteLeavesNeitherRowNorOperation() {
        store.failWritesTo("__operations");

        assertThatThrownBy(() -> todos.insert(todo("a", "milk"))).isInstanceOf(LocalStoreException.class);

        store.failWritesTo(null);
        assertThat(todos.lookup("a")).isEmpty();
        assertThat(sync.pendingOperations()).isEmpty();
    }

    @Test
    void aFailedRowWriteLeavesNoOperationBehind() {
        store.upsert("todoitem", List.of(todo("a", "milk").put("version", "v1")));
        store.failWritesTo("todoitem");

        assertThatThrownBy(() -> todos.update(todo("a", "oat milk"))).isInstanceOf(LocalStoreException.class);
        assertThatThrownBy(() -> todos.deleteById("a")).isInstanceOf(LocalStoreException.class);

        store.failWritesTo(null);
        assertThat(todos.lookup("a").orElseThrow().get("text").asText()).isEqualTo("milk");
        assertThat(sync.pendingOperations()).isEmpty();
    }

    @Test
    void reopeningTheStoreKeepsRowsAndTheQueueInOrder() {
        todos.insert(todo("a", "milk"));
        todos.insert(todo("b", "bread"));
        store.upsert("todoitem", List.of(todo("c", "eggs").put("version", "v1")));
        todos.deleteById("c");
        store.close();

        try (SqliteLocalStore reopened = SqliteLocalStore.open(dir.resolve("app.db"))) {
            SyncContext again = offlineClient().newSyncContext(reopened, ConflictHandlers.park());

            assertThat(again.pendingOperations()).extracting(PendingOperation::itemId).containsExactly("a", "b", "c");
            assertThat(again.pendingOperations()).extracting(PendingOperation::kind)
                    .containsExactly(OperationKind.INSERT, OperationKind.INSERT, OperationKind.DELETE);
            assertThat(again.getSyncTable("todoitem").lookup("b").orElseThrow().get("text").asText())
                    .isEqualTo("bread");
        }
        store = new FailingLocalStore(SqliteLocalStore.open(dir.resolve("app.db")));
    }

    @Test
    void localQueriesUseTheSameBuilderAsRemoteOnes() {
        sync.defineTable(dev.outpost.client.store.TableDefinition.builder("todoitem")
                .column("text", ColumnType.STRING).column("complete", ColumnType.BOOLEAN).index("complete").build());
        for (int i = 0; i < 5; i++) {
            ObjectNode record = todo("id" + i, "item " + i);
            record.put("complete", i % 2 == 0);
            todos.insert(record);
        }

        QueryResult<ObjectNode> page = todos.query().where("complete eq true").orderByDescending("text")
                .top(2).includeTotalCount().list();

        assertThat(page.items()).extracting(r -> r.get("id").asText()).containsExactly("id4", "id2");
        assertThat(page.totalCount()).hasValue(3);
    }

    @Test
    void aTypedUpdateKeepsThePropertiesTheTypeDoesNotDeclare() {
        ObjectNode stored = todos.insert(todo("t1", "milk").put("priority", 3).put("note", "2 litres"));
        SyncTable<Todo> typed = sync.getSyncTable("todoitem", Todo.class);

        typed.update(typed.lookup("t1").orElseThrow().withText("oat milk").completed());

        ObjectNode after = todos.lookup("t1").orElseThrow();
        assertThat(after.get("text").asText()).isEqualTo("oat milk");
        assertThat(after.get("complete").asBoolean()).isTrue();
        assertThat(after.get("priority").asInt()).isEqualTo(3);
        assertThat(after.get("note").asText()).isEqualTo("2 litres");
        assertThat(stored.get("priority").asInt()).isEqualTo(3);
    }

    @Test
    void aJsonUpdateReplacesEveryProperty() {
        todos.insert(todo("t1", "milk").put("priority", 3));

        todos.update(todo("t1", "oat milk"));

        ObjectNode after = todos.lookup("t1").orElseThrow();
        assertThat(after.get("text").asText()).isEqualTo("oat milk");
        assertThat(after.has("priority")).isFalse();
    }

    @Test
    void typedTablesWorkWithJavaRecords() {
        SyncTable<Todo> typed = sync.getSyncTable("typed", Todo.class);

        Todo stored = typed.insert(Todo.of("milk"));
        typed.update(stored.completed());

        assertThat(stored.id()).isNotNull();
        assertThat(typed.lookup(stored.id()).orElseThrow().complete()).isTrue();
        assertThat(typed.query().where("complete eq true").list().items()).extracting(Todo::text)
                .containsExactly("milk");
    }

    /** A plain class whose id property has another name, mapped by annotation. */
    public static final class Note {
        @JsonProperty("id")
        public String key;
        public String body;
        public int stars;
    }

    @Test
    void typedTablesWorkWithPlainClassesAndAnnotatedIds() {
        SyncTable<Note> notes = sync.getSyncTable("note", Note.class);
        Note note = new Note();
        note.key = "n1";
        note.body = "hello";
        note.stars = 4;

        notes.insert(note);

        assertThat(notes.lookup("n1").orElseThrow().body).isEqualTo("hello");
        assertThat(notes.query().where("stars ge 3").list().items()).hasSize(1);
    }

    @Test
    void appTablesCannotTakeTheNamesOfOutpostsOwnTables() {
        assertThatThrownBy(() -> sync.getSyncTable("__operations"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("reserved for Outpost's own tables");
        assertThatThrownBy(() -> sync.defineTable(TableDefinition.builder("__config").build()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
