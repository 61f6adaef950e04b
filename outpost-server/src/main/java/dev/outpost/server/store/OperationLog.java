package dev.outpost.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
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

    /** The stored results of those of {@code ids} that were applied before, by id. */
    public static Map<String, JsonNode> applied(Connection connection, Collection<String> ids) throws SQLException {
        Map<String, JsonNode> found = new HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        StringBuilder sql = new StringBuilder("SELECT operation_id, result FROM outpost_operations WHERE operation_id IN (");
        for (int i = 0; i < ids.size(); i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        sql.append(')');
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            for (String id : ids) {
                statement.setString(index++, id);
            }
            try (ResultSet rs = statement.executeQuery()) {
                while (rs.next()) {
                    found.put(rs.getString(1), parse(rs.getString(2)));
                }
            }
        }
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
