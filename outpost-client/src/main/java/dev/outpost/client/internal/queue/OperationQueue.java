package dev.outpost.client.internal.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.OperationRejectedException;
import dev.outpost.client.internal.Filters;
import dev.outpost.client.internal.Ids;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.OrderBy;
import dev.outpost.protocol.query.Query;
import dev.outpost.protocol.sync.OperationKind;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operation queue, kept in the store's {@value #TABLE} system table: at most one operation per record, in FIFO
 * order across all tables. Every method works inside the caller's store transaction, so a local write changes the
 * row and the queue together (invariant 1). Thread-safe.
 */
public final class OperationQueue {
    /** The system table that holds the queue. */
    public static final String TABLE = "__operations";

    /** The queue table's layout. */
    public static final TableDefinition DEFINITION = TableDefinition.builder(TABLE)
            .column("sequence", ColumnType.INTEGER)
            .column("tableName", ColumnType.STRING)
            .column("itemId", ColumnType.STRING)
            .column("kind", ColumnType.STRING)
            .column("state", ColumnType.STRING)
            .column("revision", ColumnType.INTEGER)
            .column("attempts", ColumnType.INTEGER)
            .column("baseVersion", ColumnType.STRING)
            .column("base", ColumnType.JSON)
            .column("item", ColumnType.JSON)
            .column("queuedAt", ColumnType.DATE)
            .column("httpStatus", ColumnType.INTEGER)
            .column("error", ColumnType.JSON)
            .column("serverRecord", ColumnType.JSON)
            .column("reason", ColumnType.STRING)
            .column("keepClient", ColumnType.BOOLEAN)
            .column("sentEarlier", ColumnType.JSON)
            .index("tableName", "itemId")
            .index("sequence", "id")
            .build();

    static final Query IN_ORDER = Query.builder().orderBy(OrderBy.asc("sequence"), OrderBy.asc("id")).build();

    private static final long UNKNOWN = Long.MIN_VALUE;

    private final Clock clock;
    // The last sequence handed out: asking the store for the highest sequence at every local write costs more than
    // the rest of the queue's bookkeeping. Read from the store once; a rolled-back write leaves a gap, which is
    // harmless (only the order matters).
    private final AtomicLong lastSequence = new AtomicLong(UNKNOWN);
    // How many writes to the queue were made (see writes()).
    private final AtomicLong writes = new AtomicLong();

    /**
     * The queue kept in a store. Its bookkeeping (the last sequence, the write count) is right only while every
     * write to the store's queue goes through this one object: the sync context that owns the store makes one.
     */
    public OperationQueue(Clock clock) {
        this.clock = clock;
    }

    /**
     * How many writes to the queue were made through this queue so far (rolled-back ones included). The store runs
     * one transaction at a time, so a count read at the end of one transaction that is unchanged at the start of a
     * later one means that no one wrote to the queue in between: what was read from it then still holds.
     */
    public long writes() {
        return writes.get();
    }

    private void written() {
        writes.incrementAndGet();
    }

    /** A new operation id. */
    public static String newId() {
        return Ids.next();
    }

    /**
     * Queues a local change of a record, collapsing it into the record's queued operation. Returns the record's
     * operation afterwards, or empty when the two cancel out (an insert never sent, then a delete).
     *
     * @param before the local record before this change, or {@code null} for an insert
     * @throws OperationRejectedException for anything after a delete, and for an insert of a record with a queued
     *     operation
     */
    public Optional<Operation> enqueue(StoreTransaction tx, String table, String itemId, OperationKind kind,
            ObjectNode before) {
        Optional<Operation> found = find(tx, table, itemId);
        if (found.isEmpty()) {
            return Optional.of(create(tx, table, itemId, kind, before));
        }
        Operation existing = found.get();
        Optional<Operation> collapsed = Collapser.collapse(existing, kind, before);
        if (collapsed.isEmpty()) {
            remove(tx, existing);
            return Optional.empty();
        }
        replace(tx, existing, collapsed.get());
        return collapsed;
    }

    /**
     * Queues the insert of a record whose id was just made here, so that it cannot have a queued operation (the
     * caller's guarantee: no lookup is made).
     */
    public Operation enqueueNew(StoreTransaction tx, String table, String itemId) {
        return create(tx, table, itemId, OperationKind.INSERT, null);
    }

    /** Queues a new operation for a record that has none, at the end of the queue. */
    private Operation create(StoreTransaction tx, String table, String itemId, OperationKind kind, ObjectNode before) {
        String version = before == null ? null : Json.text(before, SystemColumns.VERSION);
        Operation created = Operation.queued(newId(), nextSequence(tx), table, itemId, kind, version, before,
                kind == OperationKind.DELETE ? before : null, clock.instant());
        save(tx, created);
        return created;
    }


    /** The record's queued operation, if any. */
    public Optional<Operation> find(StoreTransaction tx, String table, String itemId) {
        Filter filter = new Filter.And(eq("tableName", table), eq("itemId", itemId));
        List<ObjectNode> rows = tx.query(TABLE, Query.builder().filter(filter).build());
        return rows.isEmpty() ? Optional.empty() : Optional.of(OperationRows.read(rows.get(0)));
    }

    /**
     * The queued operations of the records {@code itemIds} of {@code table}, by item id, read with one query (the
     * {@code (tableName, itemId)} index answers it).
     */
    public Map<String, Operation> findAll(StoreTransaction tx, String table, Collection<String> itemIds) {
        Map<String, Operation> found = new HashMap<>();
        if (itemIds.isEmpty()) {
            return found;
        }
        Filter filter = new Filter.And(eq("tableName", table), Filters.in("itemId", itemIds));
        for (ObjectNode row : tx.query(TABLE, Query.builder().filter(filter).build())) {
            Operation op = OperationRows.read(row);
            found.put(op.itemId(), op);
        }
        return found;
    }

    /** The operation with id {@code id}, if it is still queued. */
    public Optional<Operation> byId(StoreTransaction tx, String id) {
        return tx.lookup(TABLE, id).map(OperationRows::read);
    }

    /** Every queued operation, in FIFO order. */
    public List<Operation> all(StoreTransaction tx) {
        List<Operation> operations = new ArrayList<>();
        for (ObjectNode row : tx.query(TABLE, IN_ORDER)) {
            operations.add(OperationRows.read(row));
        }
        return operations;
    }

    /** A record that may have a queued operation: its table and id. */
    public record Key(String table, String itemId) {
        /** The key of {@code operation}'s record. */
        public static Key of(Operation operation) {
            return new Key(operation.table(), operation.itemId());
        }
    }




    static Filter notParked() {
        return new Filter.Comparison(ComparisonOperator.NE, new Filter.Property("state"),
                Filter.Literal.of(PendingOperation.State.PARKED.name()));
    }

    /** Whether an HTTP status is a server failure worth retrying on the next push. */
    public static boolean isTransientFailure(int status) {
        return status >= 500 || status == 408 || status == 429;
    }

    /** How many operations are queued for {@code table} ({@code null} for all tables). */
    public long count(StoreTransaction tx, String table) {
        return tx.count(TABLE, table == null ? null : eq("tableName", table));
    }

    /** How many operations of {@code table} ({@code null} for all tables) a push would send (all but the parked). */
    public long pushableCount(StoreTransaction tx, String table) {
        return tx.count(TABLE, table == null ? notParked() : new Filter.And(eq("tableName", table), notParked()));
    }

    /** The ids of the records of {@code table} that have a queued operation. */
    public Set<String> itemIds(StoreTransaction tx, String table) {
        Set<String> ids = new HashSet<>();
        for (ObjectNode row : tx.query(TABLE, Query.builder().filter(eq("tableName", table))
                .select("itemId").build())) {
            ids.add(row.get("itemId").asText());
        }
        return ids;
    }

    /** Removes every operation; returns how many. */
    public int clear(StoreTransaction tx) {
        written();
        return tx.deleteWhere(TABLE, null);
    }

    /** Removes every operation of {@code table}; returns how many. */
    public int removeTable(StoreTransaction tx, String table) {
        written();
        return tx.deleteWhere(TABLE, eq("tableName", table));
    }

    /** Writes an operation (insert or replace by id). */
    public void save(StoreTransaction tx, Operation operation) {
        written();
        tx.upsert(TABLE, OperationRows.write(operation));
    }

    /** Replaces {@code old} (which may have another id) with {@code replacement}. */
    public void replace(StoreTransaction tx, Operation old, Operation replacement) {
        if (!old.id().equals(replacement.id())) {
            written();
            tx.delete(TABLE, old.id());
        }
        save(tx, replacement);
    }

    /**
     * Writes what {@link Operation#sent} changed of many operations (state, attempts, what was sent and sent before,
     * the cleared parked details) with one prepared statement; their other columns, and the queue's indexes, are
     * untouched.
     */
    public void saveSent(StoreTransaction tx, List<Operation> sent) {
        List<ObjectNode> changes = new ArrayList<>(sent.size());
        for (Operation op : sent) {
            ObjectNode change = Json.object();
            change.put("id", op.id());
            change.put("state", op.state().name());
            change.put("attempts", op.attempts());
            change.set("item", op.item());
            change.set("sentEarlier", OperationRows.sentEarlier(op));
            change.putNull("httpStatus");
            change.putNull("error");
            change.putNull("serverRecord");
            change.putNull("reason");
            changes.add(change);
        }
        written();
        tx.update(TABLE, changes);
    }

    /**
     * The revisions of the queued operations among {@code operationIds}, by operation id (an id that is no longer
     * queued is absent): enough to tell whether an operation changed since it was read, without reading it again.
     */
    Map<String, Long> revisions(StoreTransaction tx, Collection<String> operationIds) {
        Map<String, Long> revisions = new HashMap<>();
        if (operationIds.isEmpty()) {
            return revisions;
        }
        for (ObjectNode row : tx.query(TABLE, Query.builder().filter(Filters.in("id", operationIds))
                .select("id", "revision").build())) {
            revisions.put(row.get("id").asText(), row.get("revision").asLong());
        }
        return revisions;
    }

    /** Removes the operations with the given ids. */
    public void removeAll(StoreTransaction tx, Collection<String> operationIds) {
        if (operationIds.isEmpty()) {
            return;
        }
        written();
        tx.deleteWhere(TABLE, Filters.in("id", operationIds));
    }

    /** Removes an operation. */
    public void remove(StoreTransaction tx, Operation operation) {
        written();
        tx.delete(TABLE, operation.id());
    }

    /** The next sequence; called inside the store's transactions, which the store runs one at a time. */
    private long nextSequence(StoreTransaction tx) {
        if (lastSequence.get() == UNKNOWN) {
            lastSequence.compareAndSet(UNKNOWN, lastQueuedSequence(tx));
        }
        return lastSequence.incrementAndGet();
    }

    /** The highest sequence in the queue, or 0 when it is empty. */
    static long lastQueuedSequence(StoreTransaction tx) {
        // Both keys descending, so that the (sequence, id) index answers it without sorting the queue.
        List<ObjectNode> last = tx.query(TABLE, Query.builder()
                .orderBy(OrderBy.desc("sequence"), OrderBy.desc("id")).top(1).select("sequence").build());
        return last.isEmpty() ? 0 : last.get(0).get("sequence").asLong();
    }

    static Filter eq(String column, String value) {
        return new Filter.Comparison(ComparisonOperator.EQ, new Filter.Property(column), Filter.Literal.of(value));
    }




}
