package dev.outpost.server.internal.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.WeakHashMap;
import org.sqlite.SQLiteConnection;

/**
 * Prepared statements kept with their SQLite connection for the large statements a batch push runs every time (a
 * 500-row {@code INSERT}, an {@code IN} list of 500): SQLite parses such a statement in about a millisecond, as
 * long as applying the rows takes. The statements belong to the physical connection, not to the pool's wrapper,
 * so they outlive one borrowing; they are closed with it, or when more than {@value #PER_CONNECTION} are kept.
 * PostgreSQL's driver keeps its own server-side statements, so there a statement is prepared and closed as usual.
 *
 * <p>A physical connection is used by one thread at a time (the pool lends it to one borrower), so its statements
 * are too.
 */
final class KeptStatements {
    private static final int PER_CONNECTION = 32;
    private static final Map<Connection, Map<String, PreparedStatement>> KEPT =
            Collections.synchronizedMap(new WeakHashMap<>());

    /** A statement to use and then {@link #close}: closing one that is kept only hands it back. */
    static final class Lease implements AutoCloseable {
        private final PreparedStatement statement;
        private final boolean kept;

        private Lease(PreparedStatement statement, boolean kept) {
            this.statement = statement;
            this.kept = kept;
        }

        PreparedStatement statement() {
            return statement;
        }

        @Override
        public void close() throws SQLException {
            if (kept) {
                statement.clearParameters();
            } else {
                statement.close();
            }
        }
    }

    private KeptStatements() {
    }

    /** Prepares {@code sql} on {@code connection}, or takes the statement kept for it. */
    static Lease prepare(Connection connection, String sql) throws SQLException {
        Connection physical = connection.unwrap(Connection.class);
        if (!(physical instanceof SQLiteConnection)) {
            return new Lease(connection.prepareStatement(sql), false);
        }
        Map<String, PreparedStatement> statements = KEPT.computeIfAbsent(physical, c -> lru());
        PreparedStatement statement = statements.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = physical.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return new Lease(statement, true);
    }

    private static Map<String, PreparedStatement> lru() {
        return new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
                if (size() <= PER_CONNECTION) {
                    return false;
                }
                try {
                    eldest.getValue().close();
                } catch (SQLException e) {
                    // A statement that cannot be closed is dropped all the same; its connection frees it on close.
                }
                return true;
            }
        };
    }
}
