package dev.outpost.client.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.LocalStoreException;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.store.LocalStoreContract;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.Query;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteLocalStoreTest extends LocalStoreContract {
    @TempDir
    Path dir;

    @Override
    protected LocalStore newStore() {
        return SqliteLocalStore.open(dir.resolve("store.db"));
    }

    @Test
    void reopeningTheFileKeepsTablesColumnsAndRows() {
        store.upsert("todoitem", List.of(todo("a", "milk")));
        store.close();

        try (SqliteLocalStore reopened = SqliteLocalStore.open(dir.resolve("store.db"))) {
            assertThat(reopened.tableDefinition("todoitem").orElseThrow().column("due").type())
                    .isEqualTo(ColumnType.DATE);
            assertThat(reopened.lookup("todoitem", "a").orElseThrow().get("text").asText()).isEqualTo("milk");
        }
    }

    @Test
    void theFileIsInWalModeWithItsLayoutVersionRecorded() throws Exception {
        store.close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("PRAGMA journal_mode")) {
                assertThat(rs.getString(1)).isEqualTo("wal");
            }
            try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
                assertThat(rs.getInt(1)).isEqualTo(StoreSchema.LAYOUT_VERSION);
            }
        }
    }

    @Test
    void aFileFromANewerLayoutIsRefused() throws Exception {
        store.close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA user_version = 99");
        }

        assertThatThrownBy(() -> SqliteLocalStore.open(dir.resolve("store.db")))
                .isInstanceOf(LocalStoreException.class).hasMessageContaining("newer Outpost");
    }

    @Test
    void aClosedStoreRefusesWork() {
        store.close();

        assertThatThrownBy(() -> store.lookup("todoitem", "a"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void newTablesAreClusteredOnTheIdAndRowidTablesOfEarlierStoresStillWork() throws Exception {
        store.close();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement statement = connection.createStatement()) {
            try (ResultSet rs = statement.executeQuery("SELECT sql FROM sqlite_master WHERE name = 'todoitem'")) {
                assertThat(rs.getString(1)).endsWith("WITHOUT ROWID");
            }
            // A table as an earlier version created it: a rowid table with a text primary key.
            statement.execute("CREATE TABLE \"old\" (\"id\" TEXT PRIMARY KEY NOT NULL, \"text\" TEXT, "
                    + "\"__extras\" TEXT)");
            statement.execute("INSERT INTO \"old\" VALUES ('a', 'from before', NULL)");
        }

        try (SqliteLocalStore reopened = SqliteLocalStore.open(dir.resolve("store.db"))) {
            reopened.upsert("old", List.of(todo("a", "changed"), todo("b", "new")));
            assertThat(reopened.lookup("old", "a").orElseThrow().get("text").asText()).isEqualTo("changed");
            assertThat(reopened.query("old", Query.builder().build())).hasSize(2);
            assertThat(reopened.lookup("old", "b").orElseThrow().get("complete").asBoolean()).isFalse();
        }
    }

    @Test
    void manyQueryShapesAreAnsweredCorrectlyBeyondTheStatementCache() {
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            rows.add(todo(String.format("id-%03d", i), "item " + i));
        }
        store.upsert("todoitem", rows);

        // Each IN list length is its own statement: 400 shapes, more than the store keeps prepared.
        for (int round = 0; round < 2; round++) {
            for (int n = 1; n <= 400; n++) {
                List<Filter> ids = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    ids.add(Filter.Literal.of(String.format("id-%03d", i)));
                }
                Query query = Query.builder().filter(new Filter.In(new Filter.Property("id"), ids)).build();
                assertThat(store.query("todoitem", query)).hasSize(n);
            }
        }
    }

    @Test
    void committedPagesReachTheDatabaseFileWithoutClosingTheStore() throws IOException {
        Path database = dir.resolve("store.db");
        long before = Files.size(database);
        List<ObjectNode> rows = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            rows.add(todo(String.format("id-%05d", i), "a text long enough to fill some pages " + i));
        }
        store.upsert("todoitem", rows);

        // The commit wrote the rows to the WAL; the store's checkpoint copies them into the file shortly after.
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.size(database) > before + 200_000);
        assertThat(store.query("todoitem", Query.builder().build())).hasSize(3000);
    }

    @Test
    void closingRightAfterACommitKeepsEveryRow() {
        for (int round = 0; round < 20; round++) {
            List<ObjectNode> rows = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                rows.add(todo(String.format("r%02d-%02d", round, i), "round " + round));
            }
            store.upsert("todoitem", rows);
            store.close();
            store = SqliteLocalStore.open(dir.resolve("store.db"));
        }

        assertThat(store.query("todoitem", Query.builder().build())).hasSize(20 * 50);
    }
}
