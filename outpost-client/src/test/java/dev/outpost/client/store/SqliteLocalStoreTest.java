package dev.outpost.client.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
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
                assertThat(rs.getInt(1)).isEqualTo(SqliteLocalStore.LAYOUT_VERSION);
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
}
