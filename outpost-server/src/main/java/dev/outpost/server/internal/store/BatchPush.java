package dev.outpost.server.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.sync.OperationKind;
import dev.outpost.server.internal.events.Change;
import dev.outpost.server.internal.events.ChangeFeed;
import dev.outpost.server.internal.sql.TableClock;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.TableSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies a native batch push: many operations, in order, in one transaction. The clock rows of every table in the
 * batch are locked first, in sorted order (so two batches never deadlock), and every operation gets its own
 * {@code updatedAt}, in operation order. A run of consecutive inserts into one table is applied set-wise (one query
 * for the ids that exist, multi-row INSERTs for the rest), falling back to the per-operation path if that fails;
 * every other operation runs in its own savepoint (a conflict rolls back that operation alone). Every applied
 * operation is remembered in {@link OperationLog} in the same transaction, so a re-sent batch is answered "already
 * applied". Thread-safe.
 */
public final class BatchPush {
    private static final Logger LOG = LoggerFactory.getLogger(BatchPush.class);

    /**
     * One operation to apply.
     *
     * @param operationId     the client's operation id
     * @param schema          the table, or {@code null} when it does not exist (dynamic schema)
     * @param kind            what to do
     * @param itemId          the record's id
     * @param expectedVersion the version precondition, or {@code null}
     * @param values          the record's typed values (insert, update)
     * @param scope           the rows of the table the caller may see and change
     */
    public record Write(String operationId, TableSchema schema, OperationKind kind, String itemId,
                        String expectedVersion, Map<Column, Object> values, RowScope scope) {
        public Write {
            Objects.requireNonNull(operationId, "operationId");
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(itemId, "itemId");
            values = values == null ? Map.of() : values;
            scope = scope == null ? RowScope.ALL : scope;
        }

        /** A write that may see and change every row. */
        public Write(String operationId, TableSchema schema, OperationKind kind, String itemId, String expectedVersion,
                     Map<Column, Object> values) {
            this(operationId, schema, kind, itemId, expectedVersion, values, RowScope.ALL);
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
        NOT_FOUND,
        /** The record would leave the caller's view (403). */
        OUTSIDE_VIEW
    }

    /**
     * The outcome of one operation.
     *
     * @param status what happened
     * @param item   the record as stored, the server's record, the stored result, or JSON null
     */
    public record Outcome(Status status, JsonNode item) {
    }

    /**
     * A hook run inside a set-wise run, after its existing ids were read and before its rows are inserted (tests
     * use it to make the run fail or meet a concurrent writer).
     */
    @FunctionalInterface
    interface RunHook {
        /** Runs on the batch's connection. */
        void beforeInsert(Connection connection) throws SQLException;
    }

    private final Database database;
    private final TableRepository repository;
    private final Clock clock;
    private final boolean unsafe;
    private final boolean setWise;
    private final ChangeFeed feed;
    private volatile RunHook runHook;

    /** A batch applier that publishes no changes; {@code unsafe} disables the table clock (test only). */
    public BatchPush(Database database, TableRepository repository, Clock clock, boolean unsafe) {
        this(database, repository, clock, unsafe, true, ChangeFeed.NONE);
    }

    /**
     * A batch applier that publishes each committed batch's changes (one per table it changed) to {@code feed};
     * {@code unsafe} disables the table clock (test only).
     */
    public BatchPush(Database database, TableRepository repository, Clock clock, boolean unsafe, ChangeFeed feed) {
        this(database, repository, clock, unsafe, true, feed);
    }

    /** A batch applier that applies runs of inserts set-wise, or (tests compare with it) every write on its own. */
    BatchPush(Database database, TableRepository repository, Clock clock, boolean unsafe, boolean setWise) {
        this(database, repository, clock, unsafe, setWise, ChangeFeed.NONE);
    }

    private BatchPush(Database database, TableRepository repository, Clock clock, boolean unsafe, boolean setWise,
                      ChangeFeed feed) {
        this.feed = feed;
        this.database = database;
        this.repository = repository;
        this.clock = clock;
        this.unsafe = unsafe;
        this.setWise = setWise;
    }

    /** Sets the hook run inside every set-wise run ({@code null} for none; test only). */
    void runHook(RunHook hook) {
        this.runHook = hook;
    }

    /**
     * Applies {@code writes} in order in one transaction and returns one outcome per write.
     *
     * <p>A run of two or more consecutive inserts into one table (operations already applied may stand between
     * them) is applied set-wise, with the outcomes they would have one after the other (see {@link #applyRun});
     * every other write runs in its own savepoint. The results of the applied operations are remembered at the end,
     * with multi-row INSERTs into {@link OperationLog}.
     */
    public List<Outcome> apply(List<Write> writes) {
        return apply(writes, null);
    }

    /**
     * As {@link #apply(List)}, for signed-in user {@code owner} ({@code null}: anonymous): the operations applied
     * before are looked up among this user's alone, so that an operation id someone else used is a new operation
     * and answers nothing of theirs.
     */
    public List<Outcome> apply(List<Write> writes, String owner) {
        List<Change> changes = new ArrayList<>();
        List<Outcome> answer = database.write(connection -> {
            changes.clear();
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
            writes.forEach(w -> ids.add(OperationLog.key(w.operationId(), owner)));
            Map<String, JsonNode> logged = OperationLog.applied(connection, ids, repository.maxParameters());
            Map<String, JsonNode> applied = new HashMap<>();
            for (Write write : writes) {
                JsonNode result = logged.get(OperationLog.key(write.operationId(), owner));
                if (result != null) {
                    applied.put(write.operationId(), result);
                }
            }
            Pass pass = new Pass(connection, applied, clocks);
            List<Outcome> outcomes = new ArrayList<>(writes.size());
            for (int i = 0; i < writes.size(); ) {
                int end = setWise ? endOfRun(writes, i, pass.applied) : i + 1;
                if (end == i + 1) {
                    outcomes.add(applyOne(pass, writes.get(i)));
                } else {
                    List<Write> run = writes.subList(i, end);
                    List<Outcome> ran = applyRun(pass, run);
                    if (ran != null) {
                        outcomes.addAll(ran);
                    } else {
                        for (Write write : run) {
                            outcomes.add(applyOne(pass, write));
                        }
                    }
                }
                i = end;
            }
            List<String> appliedIds = new ArrayList<>();
            List<JsonNode> results = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                if (outcomes.get(i).status() == Status.APPLIED) {
                    appliedIds.add(OperationLog.key(writes.get(i).operationId(), owner));
                    results.add(outcomes.get(i).item());
                }
            }
            OperationLog.recordAll(connection, appliedIds, results, clock.millis(), repository.maxParameters());
            for (TableClock tableClock : clocks.values()) {
                tableClock.save(connection);
            }
            changes.addAll(changes(writes, outcomes, clocks));
            feed.beforeCommit(connection, changes);
            return outcomes;
        });
        feed.afterCommit(changes);
        return answer;
    }

    /**
     * The changes of a batch: one per table it wrote to, with the table's position and the owners of the applied
     * writes (when each has one; see {@link RowScope#owner()}).
     */
    private static List<Change> changes(List<Write> writes, List<Outcome> outcomes, Map<String, TableClock> clocks) {
        Map<String, Set<String>> owners = new HashMap<>();
        Set<String> everyone = new HashSet<>();
        for (int i = 0; i < writes.size(); i++) {
            Write write = writes.get(i);
            if (write.schema() == null || outcomes.get(i).status() != Status.APPLIED) {
                continue;
            }
            String key = write.schema().key();
            if (write.scope().owner() == null) {
                everyone.add(key);
            } else {
                owners.computeIfAbsent(key, k -> new HashSet<>()).add(write.scope().owner());
            }
        }
        List<Change> changes = new ArrayList<>();
        for (Map.Entry<String, TableClock> entry : clocks.entrySet()) {
            String key = entry.getKey();
            TableClock tableClock = entry.getValue();
            if (tableClock.advanced() && (everyone.contains(key) || owners.containsKey(key))) {
                changes.add(new Change(key, tableClock.last(), everyone.contains(key) ? null : owners.get(key)));
            }
        }
        return changes;
    }

    /** The state of one {@link #apply} call. */
    private static final class Pass {
        private final Connection connection;
        /** The stored results of the operations applied by earlier requests, by operation id. */
        private final Map<String, JsonNode> applied;
        private final Map<String, TableClock> clocks;
        private int savepoints;

        Pass(Connection connection, Map<String, JsonNode> applied, Map<String, TableClock> clocks) {
            this.connection = connection;
            this.applied = applied;
            this.clocks = clocks;
        }

        String nextSavepoint() {
            return "outpost_b" + (++savepoints);
        }
    }

    /** Applies one write on its own, in a savepoint, unless an earlier request applied it. */
    private Outcome applyOne(Pass pass, Write write) throws SQLException {
        JsonNode earlier = pass.applied.get(write.operationId());
        if (earlier != null) {
            return new Outcome(Status.ALREADY_APPLIED, earlier);
        }
        TableClock tableClock = write.schema() == null ? null : pass.clocks.get(write.schema().key());
        return applyInSavepoint(pass.connection, write, tableClock, pass.nextSavepoint());
    }

    /**
     * The end (exclusive) of the run of writes from {@code start} that {@link #applyRun} applies together: inserts
     * into the same table (the same schema instance: a column added in between makes another column list) and,
     * among them, operations applied by earlier requests. {@code start + 1} when it holds fewer than two inserts.
     */
    private static int endOfRun(List<Write> writes, int start, Map<String, JsonNode> applied) {
        Write first = writes.get(start);
        if (first.kind() != OperationKind.INSERT || first.schema() == null
                || applied.containsKey(first.operationId()) || first.scope().checkInserts()) {
            return start + 1;
        }
        int end = start + 1;
        int inserts = 1;
        while (end < writes.size()) {
            Write next = writes.get(end);
            if (applied.containsKey(next.operationId())) {
                end++;
            } else if (next.kind() == OperationKind.INSERT && next.schema() == first.schema()
                    && next.scope().equals(first.scope()) && !first.scope().checkInserts()) {
                end++;
                inserts++;
            } else {
                break;
            }
        }
        return inserts < 2 ? start + 1 : end;
    }

    /**
     * Applies a run of inserts into one table set-wise, with the outcomes they would have one after the other
     * ({@link #applyOne}): reads which of their ids exist with one query per chunk ({@link TableRepository#findAll}),
     * answers {@link Status#DUPLICATE_ID} with the stored record for those and for an insert that repeats an
     * earlier one's id, and inserts the others with multi-row INSERTs ({@link TableRepository#insertRows}). Every
     * insert takes the clock's next {@code updatedAt} in operation order, as {@link TableRepository#insert} does (a
     * duplicate's goes unused there too).
     *
     * <p>Returns {@code null} when the run failed in a way the per-operation path must settle (an SQL error, an
     * unexpected exception, or an id that another writer inserted in between): all it did was rolled back to a
     * savepoint taken before it, so the caller applies its writes one by one instead.
     */
    private List<Outcome> applyRun(Pass pass, List<Write> run) throws SQLException {
        Write first = run.get(0);
        String savepoint = pass.nextSavepoint();
        try (Statement statement = pass.connection.createStatement()) {
            statement.execute("SAVEPOINT " + savepoint);
            List<Outcome> outcomes;
            try {
                outcomes = tryRun(pass, run, first.schema(), pass.clocks.get(first.schema().key()));
            } catch (SQLException | RuntimeException e) {
                LOG.debug("a run of {} inserts into {} failed set-wise; applying them one by one", run.size(),
                        first.schema().key(), e);
                outcomes = null;
            }
            if (outcomes == null) {
                statement.execute("ROLLBACK TO SAVEPOINT " + savepoint);
            }
            statement.execute("RELEASE SAVEPOINT " + savepoint);
            return outcomes;
        }
    }

    /** The set-wise part of {@link #applyRun}: the run's outcomes, or {@code null} if a row was not inserted. */
    private List<Outcome> tryRun(Pass pass, List<Write> run, TableSchema schema, TableClock tableClock)
            throws SQLException {
        List<String> itemIds = new ArrayList<>(run.size());
        for (Write write : run) {
            if (!pass.applied.containsKey(write.operationId())) {
                itemIds.add(write.itemId());
            }
        }
        // One scope for the whole run: runs are cut where it changes (see endOfRun).
        Map<String, ObjectNode> existing = repository.findAll(pass.connection, schema, run.get(0).scope(),
                itemIds);
        RunHook hook = runHook;
        if (hook != null) {
            hook.beforeInsert(pass.connection);
        }
        // Known now: ALREADY_APPLIED, and DUPLICATE_ID of a stored record. An insert (APPLIED) and a repeat of an id
        // inserted earlier in the run (DUPLICATE_ID of that record) are known once the rows are inserted.
        Outcome[] outcomes = new Outcome[run.size()];
        boolean[] repeats = new boolean[run.size()];
        Map<String, Integer> inserting = new HashMap<>();
        List<String> ids = new ArrayList<>(run.size());
        List<Map<Column, Object>> values = new ArrayList<>(run.size());
        long[] updatedAt = new long[run.size()];
        for (int i = 0; i < run.size(); i++) {
            Write write = run.get(i);
            JsonNode earlier = pass.applied.get(write.operationId());
            if (earlier != null) {
                outcomes[i] = new Outcome(Status.ALREADY_APPLIED, earlier);
                continue;
            }
            long next = tableClock.next();
            ObjectNode stored = existing.get(write.itemId());
            if (stored != null) {
                outcomes[i] = new Outcome(Status.DUPLICATE_ID, stored);
            } else if (inserting.containsKey(write.itemId())) {
                repeats[i] = true;
            } else {
                inserting.put(write.itemId(), ids.size());
                updatedAt[ids.size()] = next;
                ids.add(write.itemId());
                values.add(write.values());
            }
        }
        List<ObjectNode> inserted = repository.insertRows(pass.connection, schema, ids, values,
                Arrays.copyOf(updatedAt, ids.size()));
        for (int i = 0; i < ids.size(); i++) {
            if (inserted.get(i) == null) {
                LOG.debug("{} of {} was inserted by another writer; applying the run one by one", ids.get(i),
                        schema.key());
                return null;
            }
        }
        List<Outcome> result = new ArrayList<>(run.size());
        for (int i = 0; i < run.size(); i++) {
            if (outcomes[i] == null) {
                ObjectNode record = inserted.get(inserting.get(run.get(i).itemId()));
                outcomes[i] = repeats[i] ? new Outcome(Status.DUPLICATE_ID, record.deepCopy())
                        : new Outcome(Status.APPLIED, record);
            }
            result.add(outcomes[i]);
        }
        return result;
    }

    private Outcome applyInSavepoint(Connection connection, Write write, TableClock tableClock, String savepoint)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SAVEPOINT " + savepoint);
            Outcome outcome;
            try {
                outcome = applyWrite(connection, write, tableClock);
            } catch (DuplicateIdException e) {
                outcome = new Outcome(Status.DUPLICATE_ID, e.existing());
            } catch (VersionMismatchException e) {
                outcome = new Outcome(Status.VERSION_CONFLICT, e.current());
            } catch (RecordGoneException e) {
                outcome = write.kind() == OperationKind.DELETE ? new Outcome(Status.APPLIED, e.tombstone())
                        : new Outcome(Status.GONE, e.tombstone());
            } catch (RecordNotFoundException e) {
                outcome = new Outcome(write.kind() == OperationKind.DELETE ? Status.APPLIED : Status.NOT_FOUND,
                        NullNode.instance);
            } catch (OutsideViewException e) {
                outcome = new Outcome(Status.OUTSIDE_VIEW, NullNode.instance);
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

    private Outcome applyWrite(Connection connection, Write write, TableClock tableClock) throws SQLException {
        if (write.schema() == null) {
            throw new RecordNotFoundException();
        }
        ObjectNode result;
        switch (write.kind()) {
            case INSERT:
                result = repository.insert(connection, tableClock, write.schema(), write.scope(), write.itemId(),
                        write.values());
                break;
            case UPDATE:
                result = repository.update(connection, tableClock, write.schema(), write.scope(), write.itemId(),
                        write.values(), false, write.expectedVersion(), false, false);
                break;
            case DELETE:
            default:
                result = repository.delete(connection, tableClock, write.schema(), write.scope(), write.itemId(),
                        write.expectedVersion());
                if (!write.schema().softDelete()) {
                    result = null;
                }
                break;
        }
        return new Outcome(Status.APPLIED, result == null ? NullNode.instance : result);
    }
}
