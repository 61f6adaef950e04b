package dev.outpost.server.internal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.outpost.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Statements kept with a SQLite connection are reused across borrowings, and stay correct. */
class KeptStatementsTest {
    private String url;
    private Database database;

    private Database open(TestDatabase db) throws SQLException {
        url = db.createUrl();
        database = Database.open(url, 1);
        try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE kept (id TEXT PRIMARY KEY, n INTEGER)");
        }
        return database;
    }

    @AfterEach
    void close() {
        if (database != null) {
            database.close();
            TestDatabase.SQLITE.drop(url);
        }
    }

    private static List<String> ids(Connection connection, String sql, String... parameters) throws SQLException {
        try (KeptStatements.Lease lease = KeptStatements.prepare(connection, sql)) {
            for (int i = 0; i < parameters.length; i++) {
                lease.statement().setString(i + 1, parameters[i]);
            }
            List<String> ids = new ArrayList<>();
            try (ResultSet rs = lease.statement().executeQuery()) {
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
            }
            return ids;
        }
    }

    @Test
    void aSqliteStatementIsKeptAcrossBorrowingsAndAnswersForNewParameters() throws SQLException {
        open(TestDatabase.SQLITE);
        String insert = "INSERT INTO kept (id, n) VALUES (?, 1), (?, 2) ON CONFLICT (id) DO NOTHING RETURNING id";
        PreparedStatement first;
        try (Connection connection = database.connection()) {
            assertThat(ids(connection, insert, "a", "b")).containsExactlyInAnyOrder("a", "b");
            try (KeptStatements.Lease lease = KeptStatements.prepare(connection, insert)) {
                first = lease.statement();
            }
        }
        try (Connection connection = database.connection()) {
            try (KeptStatements.Lease lease = KeptStatements.prepare(connection, insert)) {
                assertThat(lease.statement()).isSameAs(first);
                assertThat(lease.statement().isClosed()).isFalse();
            }
            // "b" exists: only "c" is inserted and returned.
            assertThat(ids(connection, insert, "b", "c")).containsExactly("c");
            assertThat(ids(connection, "SELECT id FROM kept WHERE id IN (?, ?, ?) ORDER BY id", "a", "c", "x"))
                    .containsExactly("a", "c");
        }
    }

    @Test
    void aKeptStatementThatFailedWorksAgain() throws SQLException {
        open(TestDatabase.SQLITE);
        String insert = "INSERT INTO kept (id, n) VALUES (?, 1), (?, 2) RETURNING id";
        try (Connection connection = database.connection()) {
            assertThat(ids(connection, insert, "a", "b")).hasSize(2);
            assertThatThrownBy(() -> ids(connection, insert, "c", "a")).isInstanceOf(SQLException.class);
            assertThat(ids(connection, insert, "d", "e")).containsExactlyInAnyOrder("d", "e");
            assertThat(ids(connection, "SELECT id FROM kept ORDER BY id")).containsExactly("a", "b", "d", "e");
        }
    }

    @Test
    void beyondTheLimitTheLeastRecentlyUsedAreClosedAndPreparedAgainWhenAskedFor() throws SQLException {
        open(TestDatabase.SQLITE);
        try (Connection connection = database.connection()) {
            ids(connection, "INSERT INTO kept (id, n) VALUES (?, 1) RETURNING id", "a");
            PreparedStatement oldest;
            try (KeptStatements.Lease lease = KeptStatements.prepare(connection, "SELECT id FROM kept WHERE n = 0")) {
                oldest = lease.statement();
            }
            for (int n = 1; n <= 40; n++) {
                assertThat(ids(connection, "SELECT id FROM kept WHERE n = " + n)).hasSize(n == 1 ? 1 : 0);
            }
            assertThat(oldest.isClosed()).isTrue();
            assertThat(ids(connection, "SELECT id FROM kept WHERE n = 0")).isEmpty();
            assertThat(ids(connection, "SELECT id FROM kept WHERE n = 1")).containsExactly("a");
        }
    }

    @Test
    void onPostgresTheStatementIsClosedWithTheLease() throws SQLException {
        url = TestDatabase.POSTGRES.createUrl();
        try (Database postgres = Database.open(url, 1); Connection connection = postgres.connection()) {
            PreparedStatement statement;
            try (KeptStatements.Lease lease = KeptStatements.prepare(connection, "SELECT 1")) {
                statement = lease.statement();
                try (ResultSet rs = statement.executeQuery()) {
                    assertThat(rs.next()).isTrue();
                }
            }
            assertThat(statement.isClosed()).isTrue();
        } finally {
            TestDatabase.POSTGRES.drop(url);
            url = null;
        }
    }
}
