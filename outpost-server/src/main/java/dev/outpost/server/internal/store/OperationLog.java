package dev.outpost.server.internal.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The applied native push operations ({@code outpost_operations}): operation id, when it was applied, and its
 * result, so that a re-sent operation is answered "already applied" instead of being applied twice. Entries are
 * kept for at least {@link #RETENTION_MILLIS}. Thread-safe; methods run on the caller's connection.
 */
public final class OperationLog {
    /** How long applied operations are remembered: seven days. */
    public static final long RETENTION_MILLIS = 7L * 24 * 60 * 60 * 1000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private OperationLog() {
    }

    /**
     * The key under which operation {@code operationId} of {@code owner} (a user id, or {@code null} for anonymous
     * callers) is remembered: each user's operation ids are their own. Operation ids have no spaces.
     */
    public static String key(String operationId, String owner) {
        return owner == null ? operationId : operationId + " " + owner;
    }

    /** The stored results of those of {@code ids} that were applied before, by id. */
    public static Map<String, JsonNode> applied(Connection connection, Collection<String> ids) throws SQLException {
        return applied(connection, List.copyOf(ids), TableRepository.MAX_PARAMETERS);
    }

    /**
     * The stored results of those of {@code ids} that were applied before, by id, with one query per chunk of at
     * most {@code maxParameters} ids.
     */
    static Map<String, JsonNode> applied(Connection connection, List<String> ids, int maxParameters)
            throws SQLException {
        Map<String, JsonNode> found = new HashMap<>();
        ChunkedIn.query(connection, "SELECT operation_id, result FROM outpost_operations WHERE operation_id IN (", ids,
                maxParameters, rs -> found.put(rs.getString(1), parse(rs.getString(2))));
        return found;
    }

    /** Remembers that operation {@code id} was applied with {@code result} (a record or JSON null). */
    public static void record(Connection connection, String id, long appliedMillis, JsonNode result)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO outpost_operations (operation_id, applied_millis, result) VALUES (?, ?, ?) "
                        + "ON CONFLICT (operation_id) DO NOTHING")) {
            statement.setString(1, id);
            statement.setLong(2, appliedMillis);
            statement.setString(3, result.toString());
            statement.executeUpdate();
        }
    }

    /**
     * Remembers that operations {@code ids} were applied, {@code ids[i]} with {@code results[i]} (a record or JSON
     * null), with multi-row INSERT statements of at most {@code maxParameters} parameters each.
     */
    static void recordAll(Connection connection, List<String> ids, List<JsonNode> results, long appliedMillis,
                          int maxParameters) throws SQLException {
        int chunk = Math.max(1, maxParameters / 3);
        for (int from = 0; from < ids.size(); from += chunk) {
            int to = Math.min(ids.size(), from + chunk);
            StringBuilder sql = new StringBuilder(
                    "INSERT INTO outpost_operations (operation_id, applied_millis, result) VALUES ");
            for (int i = from; i < to; i++) {
                sql.append(i == from ? "(?, ?, ?)" : ", (?, ?, ?)");
            }
            sql.append(" ON CONFLICT (operation_id) DO NOTHING");
            try (KeptStatements.Lease lease = KeptStatements.prepare(connection, sql.toString())) {
                PreparedStatement statement = lease.statement();
                int index = 1;
                for (int i = from; i < to; i++) {
                    statement.setString(index++, ids.get(i));
                    statement.setLong(index++, appliedMillis);
                    statement.setString(index++, results.get(i).toString());
                }
                statement.executeUpdate();
            }
        }
    }

    /** Forgets operations applied before {@code olderThanMillis}; returns how many. */
    public static int purge(Connection connection, long olderThanMillis) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM outpost_operations WHERE applied_millis < ?")) {
            statement.setLong(1, olderThanMillis);
            return statement.executeUpdate();
        }
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("outpost_operations holds invalid JSON", e);
        }
    }
}
