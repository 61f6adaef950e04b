package dev.outpost.client.internal.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.OperationRejectedException;
import dev.outpost.client.exception.RecordNotFoundException;
import dev.outpost.client.internal.Ids;
import dev.outpost.client.internal.json.RecordMapper;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.store.LocalStore;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.sync.OperationKind;
import java.util.Optional;

/**
 * The app's local inserts, updates and deletes: each changes the row and the operation queue in one store
 * transaction (invariant 1), and then, once it has committed, tells {@code written} (a live sync pushes soon after).
 * Thread-safe (the store serialises transactions).
 */
public final class LocalWrites {
    private final LocalStore store;
    private final OperationQueue queue;
    private final Runnable written;

    /** Writes to {@code store}'s records and {@code queue}; {@code written} runs after each committed write. */
    public LocalWrites(LocalStore store, OperationQueue queue, Runnable written) {
        this.store = store;
        this.queue = queue;
        this.written = written;
    }

    /**
     * Inserts a record (with a new time-ordered UUID when it has no id) and queues it; returns it as stored. A new
     * id cannot exist yet, so only a record that brings its own id is looked up first.
     */
    public ObjectNode insert(String table, ObjectNode record) {
        String id = Records.id(record);
        boolean generated = id == null;
        if (generated) {
            id = Ids.next();
        }
        Records.requireValidId(id);
        ObjectNode stored = Records.insertBody(record);
        stored.put(SystemColumns.ID, id);
        String itemId = id;
        ObjectNode inserted = store.inTransaction(tx -> {
            if (generated) {
                queue.enqueueNew(tx, table, itemId);
                tx.upsert(table, stored);
                return stored;
            }
            if (tx.lookup(table, itemId).isPresent() && queue.find(tx, table, itemId).isEmpty()) {
                throw new OperationRejectedException(null, OperationKind.INSERT, "cannot queue an insert of record '"
                        + itemId + "' in table '" + table + "': it already exists locally");
            }
            queue.enqueue(tx, table, itemId, OperationKind.INSERT, null);
            tx.upsert(table, stored);
            return stored;
        });
        written.run();
        return inserted;
    }

    /**
     * Replaces a record's properties as {@code mapper} says (keeping its system properties) and queues the update;
     * returns it. A JSON record replaces every property; an app type's record replaces the properties the type
     * declares and keeps the others.
     */
    public ObjectNode update(String table, ObjectNode record, RecordMapper<?> mapper) {
        String id = Records.id(record);
        if (id == null) {
            throw new IllegalArgumentException("cannot update a record without an id in table '" + table + "'");
        }
        ObjectNode updated = store.inTransaction(tx -> {
            ObjectNode before = tx.lookup(table, id).orElseThrow(() -> new RecordNotFoundException(table, id));
            queue.enqueue(tx, table, id, OperationKind.UPDATE, before);
            ObjectNode row = mapper.updated(before, record);
            Records.copySystemColumns(before, row);
            row.put(SystemColumns.ID, id);
            tx.upsert(table, row);
            return row;
        });
        written.run();
        return updated;
    }

    /** Deletes a record locally and queues the delete. */
    public void delete(String table, String id) {
        store.useTransaction(tx -> {
            Optional<ObjectNode> before = tx.lookup(table, id);
            if (before.isEmpty()) {
                throw new RecordNotFoundException(table, id);
            }
            queue.enqueue(tx, table, id, OperationKind.DELETE, before.get());
            tx.delete(table, id);
        });
        written.run();
    }
}
