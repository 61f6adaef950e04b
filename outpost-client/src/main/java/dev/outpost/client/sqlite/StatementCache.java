package dev.outpost.client.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The store's prepared statements, by SQL text, least recently used first, and the SQL text of each table's
 * upsert. The text depends only on a query's shape, but an app can make many shapes
 * (an {@code IN} list of each length), so the cache is bounded. Used only under the store's lock.
 */
final class StatementCache {
    private static final int MAX_STATEMENTS = 256;

    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX_STATEMENTS) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };
    private final Map<String, String> texts = new HashMap<>();

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    /** The statement for {@code sql}, prepared once and kept. */
    PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** The SQL text of {@code table}'s upsert, built by {@code build} the first time. */
    String upsertText(String table, Supplier<String> build) {
        return texts.computeIfAbsent(table.toLowerCase(Locale.ROOT), k -> build.get());
    }

    /** Closes and forgets every statement and text (after a table's layout changed, or to close the store). */
    void clear() {
        for (PreparedStatement statement : statements.values()) {
            closeQuietly(statement);
        }
        statements.clear();
        texts.clear();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // Closing a cached statement cannot fail in a way that matters: the connection stays usable.
        }
    }
}
