package dev.outpost.client.internal.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import java.util.Optional;

/**
 * Pull cursors, one per (table, query id), kept in the store's {@value #TABLE} system table and written in the same
 * transaction as the page they follow. Stateless, thread-safe.
 */
public final class CursorStore {
    /** The system table of settings and cursors. */
    public static final String TABLE = "__config";

    /** Its layout. */
    public static final TableDefinition DEFINITION = TableDefinition.builder(TABLE)
            .column("tableName", ColumnType.STRING)
            .column("value", ColumnType.JSON)
            .index("tableName")
            .build();

    private static String key(String table, String queryId) {
        return "cursor|" + table.toLowerCase(java.util.Locale.ROOT) + "|" + queryId;
    }

    /** The saved cursor, if any. */
    public Optional<ObjectNode> load(StoreTransaction tx, String table, String queryId) {
        return tx.lookup(TABLE, key(table, queryId)).map(row -> row.get("value"))
                .filter(JsonNode::isObject).map(value -> (ObjectNode) value);
    }

    /** Saves a cursor. */
    public void save(StoreTransaction tx, String table, String queryId, ObjectNode cursor) {
        ObjectNode row = Json.object();
        row.put("id", key(table, queryId));
        row.put("tableName", table.toLowerCase(java.util.Locale.ROOT));
        row.set("value", cursor);
        tx.upsert(TABLE, row);
    }

    /** Removes every cursor of {@code table}; returns how many. */
    public int reset(StoreTransaction tx, String table) {
        return tx.deleteWhere(TABLE, new Filter.Comparison(ComparisonOperator.EQ, new Filter.Property("tableName"),
                Filter.Literal.of(table.toLowerCase(java.util.Locale.ROOT))));
    }
}
