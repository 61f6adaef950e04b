package dev.outpost.client.internal.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.pull.CursorStore;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.internal.queue.StaleRecords;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.sync.PurgeResult;
import dev.outpost.protocol.query.Query;

/**
 * Purges local records: removes those matching a filter and resets the table's pull cursors, in one transaction.
 * A table with queued operations is purged only when forced, and then its matching operations go too. Callers
 * serialise purges with pushes and pulls (the sync permit); thread-safe otherwise.
 */
public final class Purger {
    private final LocalStore store;
    private final OperationQueue queue;
    private final CursorStore cursors;
    private final StaleRecords stale = new StaleRecords();

    public Purger(LocalStore store, OperationQueue queue, CursorStore cursors) {
        this.store = store;
        this.queue = queue;
        this.cursors = cursors;
    }


    /**
     * Purges the records of {@code table} that match {@code query}'s filter.
     *
     * @throws IllegalStateException if the table has queued operations and {@code force} is false
     */
    public PurgeResult purge(String table, Query query, boolean force) {
        return store.inTransaction(tx -> {
            long pending = queue.count(tx, table);
            if (pending > 0 && !force) {
                throw new IllegalStateException("table '" + table + "' has " + pending + " pending operation(s):"
                        + " push them first, or purge with force to drop them");
            }
            int dropped = 0;
            if (pending > 0 && query.filter() == null) {
                dropped = queue.removeTable(tx, table);
            } else if (pending > 0) {
                for (ObjectNode row : tx.query(table, Query.builder().filter(query.filter()).select("id").build())) {
                    dropped += queue.find(tx, table, Records.id(row)).map(op -> {
                        queue.remove(tx, op);
                        return 1;
                    }).orElse(0);
                }
            }
            int removed = tx.deleteWhere(table, query.filter());
            // The cursors are reset, so the next pull brings every record again: no record is stale any more.
            stale.reset(tx, table);
            return new PurgeResult(removed, dropped, cursors.reset(tx, table));
        });
    }
}
