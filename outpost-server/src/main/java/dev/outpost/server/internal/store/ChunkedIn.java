package dev.outpost.server.internal.store;

import dev.outpost.server.internal.sql.SqlDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/** A query ending in {@code IN (…)} over many ids, run a chunk of at most so many parameters at a time. */
final class ChunkedIn {
    /** Takes the current row of a result set. */
    @FunctionalInterface
    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    private ChunkedIn() {
    }

    /**
     * Runs {@code prefix + "?, ?, …)"} for each chunk of {@code ids} (at most {@code maxParameters} each; the
     * prefix ends with {@code IN (}) and hands every row to {@code rows}.
     */
    static void query(Connection connection, String prefix, List<String> ids, int maxParameters, RowReader rows)
            throws SQLException {
        query(connection, prefix, List.of(), null, ids, maxParameters, rows);
    }

    /**
     * As {@link #query(Connection, String, List, int, RowReader)}, with the {@code leading} parameters of the
     * prefix (bound by {@code dialect}) before the ids.
     */
    static void query(Connection connection, String prefix, List<Object> leading, SqlDialect dialect, List<String> ids,
                      int maxParameters, RowReader rows) throws SQLException {
        int perChunk = Math.max(1, maxParameters - leading.size());
        for (int from = 0; from < ids.size(); from += perChunk) {
            int to = Math.min(ids.size(), from + perChunk);
            StringBuilder sql = new StringBuilder(prefix);
            for (int i = from; i < to; i++) {
                sql.append(i == from ? "?" : ", ?");
            }
            sql.append(')');
            try (KeptStatements.Lease lease = KeptStatements.prepare(connection, sql.toString())) {
                PreparedStatement statement = lease.statement();
                for (int i = 0; i < leading.size(); i++) {
                    dialect.bind(statement, i + 1, leading.get(i));
                }
                for (int i = from; i < to; i++) {
                    statement.setString(leading.size() + i - from + 1, ids.get(i));
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        rows.read(rs);
                    }
                }
            }
        }
    }
}
