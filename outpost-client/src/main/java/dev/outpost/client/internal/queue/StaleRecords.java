package dev.outpost.client.internal.queue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.query.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The records whose local copy may be behind the server's for a reason the pull cursor cannot see, kept in the
 * store's {@value #TABLE} system table: a pull skipped a newer version of the record because it had a queued
 * operation (invariant 4) and moved its cursor past it, or a conflict of the record was resolved from what the
 * server said at the time. Once the record has no queued operation, the next pull of its table fetches it again
 * (invariant 5). Every method works inside the caller's store transaction. Stateless, thread-safe.
 */
public final class StaleRecords {
    /** The system table of the marks. */
    public static final String TABLE = "__stale";

    /** Its layout. */
    public static final TableDefinition DEFINITION = TableDefinition.builder(TABLE)
            .column("tableName", ColumnType.STRING)
            .column("itemId", ColumnType.STRING)
            .index("tableName")
            .build();

    private static String key(String table, String itemId) {
        return table.toLowerCase(Locale.ROOT) + "|" + itemId;
    }

    /** Marks the record {@code itemId} of {@code table} to be fetched again. */
    public void mark(StoreTransaction tx, String table, String itemId) {
        ObjectNode row = Json.object();
        row.put("id", key(table, itemId));
        row.put("tableName", table.toLowerCase(Locale.ROOT));
        row.put("itemId", itemId);
        tx.upsert(TABLE, row);
    }

    /** Marks the records {@code itemIds} of {@code table} (one statement). */
    public void markAll(StoreTransaction tx, String table, List<String> itemIds) {
        if (itemIds.isEmpty()) {
            return;
        }
        List<ObjectNode> rows = new ArrayList<>(itemIds.size());
        for (String itemId : itemIds) {
            ObjectNode row = Json.object();
            row.put("id", key(table, itemId));
            row.put("tableName", table.toLowerCase(Locale.ROOT));
            row.put("itemId", itemId);
            rows.add(row);
        }
        tx.upsert(TABLE, rows);
    }

    /** The marked records of {@code table}. */
    public List<String> marked(StoreTransaction tx, String table) {
        List<String> ids = new ArrayList<>();
        for (ObjectNode row : tx.query(TABLE, Query.builder()
                .filter(OperationQueue.eq("tableName", table.toLowerCase(Locale.ROOT))).select("itemId").build())) {
            ids.add(row.get("itemId").asText());
        }
        return ids;
    }

    /** Removes the mark of one record. */
    public void unmark(StoreTransaction tx, String table, String itemId) {
        tx.delete(TABLE, key(table, itemId));
    }

    /** Removes every mark of {@code table} (its records are purged and its cursors reset); returns how many. */
    public int reset(StoreTransaction tx, String table) {
        return tx.deleteWhere(TABLE, OperationQueue.eq("tableName", table.toLowerCase(Locale.ROOT)));
    }
}
