package dev.outpost.server.internal.store;

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
        for (int from = 0; from < ids.size(); from += maxParameters) {
            int to = Math.min(ids.size(), from + maxParameters);
            StringBuilder sql = new StringBuilder(prefix);
            for (int i = from; i < to; i++) {
                sql.append(i == from ? "?" : ", ?");
            }
            sql.append(')');
            try (KeptStatements.Lease lease = KeptStatements.prepare(connection, sql.toString())) {
                PreparedStatement statement = lease.statement();
                for (int i = from; i < to; i++) {
                    statement.setString(i - from + 1, ids.get(i));
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
