package dev.outpost.server.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.server.sql.TableClock;
import dev.outpost.server.table.Column;
import dev.outpost.server.table.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Applies a native batch push: many operations, in order, in one transaction. The clock rows of every table in the
 * batch are locked first, in sorted order (so two batches never deadlock), each operation runs in its own savepoint
 * (a conflict rolls back that operation alone) and gets its own {@code updatedAt}, and every applied operation is
 * remembered in {@link OperationLog} in the same transaction (all at the end, with multi-row INSERTs), so a re-sent
 * batch is answered "already applied".
 * Thread-safe.
 */
public final class BatchPush {
    /** What an operation does. */
    public enum Kind {
        /** Insert a record. */
        INSERT,
        /** Merge properties into a record. */
        UPDATE,
        /** Delete a record (soft where the table soft-deletes). */
        DELETE
    }

    /**
     * One operation to apply.
     *
     * @param operationId     the client's operation id
     * @param schema          the table, or {@code null} when it does not exist (dynamic schema)
     * @param kind            what to do
     * @param itemId          the record's id
     * @param expectedVersion the version precondition, or {@code null}
     * @param values          the record's typed values (insert, update)
     */
    public record Write(String operationId, TableSchema schema, Kind kind, String itemId, String expectedVersion,
                       Map<Column, Object> values) {
        public Write {
            Objects.requireNonNull(operationId, "operationId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(itemId, "itemId");
            values = values == null ? Map.of() : values;
        }
    }

    /** How an operation ended. */
    public enum Status {
        /** Applied now. */
        APPLIED,
        /** Applied by an earlier request with the same operation id. */
        ALREADY_APPLIED,
        /** The version precondition failed (412). */
        VERSION_CONFLICT,
        /** An insert met an existing id (409). */
        DUPLICATE_ID,
        /** An update met a tombstone (410). */
        GONE,
        /** An update met no record (404). */
        NOT_FOUND
    }

    /**
     * The outcome of one operation.
     *
     * @param status what happened
     * @param item   the record as stored, the server's record, the stored result, or JSON null
     */
    public record Outcome(Status status, JsonNode item) {
    }

    private final Database database;
    private final TableRepository repository;
    private final Clock clock;
    private final boolean unsafe;

    /** A batch applier; {@code unsafe} disables the table clock (test only). */
    public BatchPush(Database database, TableRepository repository, Clock clock, boolean unsafe) {
        this.database = database;
        this.repository = repository;
        this.clock = clock;
        this.unsafe = unsafe;
    }

    /** Applies {@code writes} in order in one transaction and returns one outcome per write. */
    public List<Outcome> apply(List<Write> writes) {
        return database.write(connection -> {
            Map<String, TableClock> clocks = new TreeMap<>();
            for (Write write : writes) {
                if (write.schema() != null) {
                    clocks.put(write.schema().key(), null);
                }
            }
            for (String key : clocks.keySet()) {
                clocks.put(key, unsafe ? TableClock.unsafe(clock) : TableClock.lock(connection, key, clock));
            }
            List<String> ids = new ArrayList<>();
            writes.forEach(w -> ids.add(w.operationId()));
            Map<String, JsonNode> applied = OperationLog.applied(connection, ids, repository.maxParameters());
            List<Outcome> outcomes = new ArrayList<>();
            int savepoint = 0;
            for (Write write : writes) {
                JsonNode earlier = applied.get(write.operationId());
                if (earlier != null) {
                    outcomes.add(new Outcome(Status.ALREADY_APPLIED, earlier));
                    continue;
                }
                TableClock tableClock = write.schema() == null ? null : clocks.get(write.schema().key());
                outcomes.add(applyInSavepoint(connection, write, tableClock, "outpost_b" + (++savepoint)));
            }
            List<String> appliedIds = new ArrayList<>();
            List<JsonNode> results = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                if (outcomes.get(i).status() == Status.APPLIED) {
                    appliedIds.add(writes.get(i).operationId());
                    results.add(outcomes.get(i).item());
                }
            }
            OperationLog.recordAll(connection, appliedIds, results, clock.millis(), repository.maxParameters());
            for (TableClock tableClock : clocks.values()) {
                tableClock.save(connection);
            }
            return outcomes;
        });
    }

    private Outcome applyInSavepoint(Connection connection, Write write, TableClock tableClock, String savepoint)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SAVEPOINT " + savepoint);
            Outcome outcome;
            try {
                outcome = applyOne(connection, write, tableClock);
            } catch (DuplicateIdException e) {
                outcome = new Outcome(Status.DUPLICATE_ID, e.existing());
            } catch (VersionMismatchException e) {
                outcome = new Outcome(Status.VERSION_CONFLICT, e.current());
            } catch (RecordGoneException e) {
                outcome = write.kind() == Kind.DELETE ? new Outcome(Status.APPLIED, e.tombstone())
                        : new Outcome(Status.GONE, e.tombstone());
            } catch (RecordNotFoundException e) {
                outcome = new Outcome(write.kind() == Kind.DELETE ? Status.APPLIED : Status.NOT_FOUND,
                        NullNode.instance);
            } catch (SQLException | RuntimeException e) {
                statement.execute("ROLLBACK TO SAVEPOINT " + savepoint);
                throw e;
            }
            if (outcome.status() == Status.APPLIED) {
                statement.execute("RELEASE SAVEPOINT " + savepoint);
            } else {
                statement.execute("ROLLBACK TO SAVEPOINT " + savepoint);
                statement.execute("RELEASE SAVEPOINT " + savepoint);
            }
            return outcome;
        }
    }

    private Outcome applyOne(Connection connection, Write write, TableClock tableClock) throws SQLException {
        if (write.schema() == null) {
            throw new RecordNotFoundException();
        }
        ObjectNode result;
        switch (write.kind()) {
            case INSERT:
                result = repository.insert(connection, tableClock, write.schema(), write.itemId(), write.values());
                break;
            case UPDATE:
                result = repository.update(connection, tableClock, write.schema(), write.itemId(), write.values(),
                        false, write.expectedVersion(), false, false);
                break;
            case DELETE:
            default:
                result = repository.delete(connection, tableClock, write.schema(), write.itemId(),
                        write.expectedVersion());
                if (!write.schema().softDelete()) {
                    result = null;
                }
                break;
        }
        return new Outcome(Status.APPLIED, result == null ? NullNode.instance : result);
    }
}
