package dev.outpost.client.internal.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.StoreOwnerException;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.internal.pull.CursorStore;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.Query;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whose data a local store holds, and which of its tables are sync tables, kept in the store's {@code __config}
 * table. A store belongs to the user it first synced as (the subject of the token); syncing it as another user is
 * refused until the app signs out, which clears the sync tables. Thread-safe.
 */
final class StoreOwner {
    private static final String OWNER = "owner";
    private static final String TABLE_PREFIX = "table|";
    private static final String SYNC_TABLES = "__syncTables";

    private final LocalStore store;
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    StoreOwner(LocalStore store) {
        this.store = store;
    }

    /** The user the store belongs to, if it has synced as one. */
    Optional<String> owner() {
        return store.inTransaction(tx -> tx.lookup(CursorStore.TABLE, OWNER))
                .map(row -> row.path("value").path("user").asText(null));
    }

    /**
     * Checks that the store may sync as {@code user} ({@code null}: anonymous, always allowed), and makes it the
     * store's owner if it has none yet.
     *
     * @throws StoreOwnerException if the store belongs to another user
     */
    void claim(String user) {
        if (user == null) {
            return;
        }
        store.useTransaction(tx -> {
            Optional<String> owner = tx.lookup(CursorStore.TABLE, OWNER)
                    .map(row -> row.path("value").path("user").asText(null));
            if (owner.isPresent() && !owner.get().equals(user)) {
                throw new StoreOwnerException(owner.get(), user);
            }
            if (owner.isEmpty()) {
                ObjectNode row = Json.object();
                row.put("id", OWNER);
                row.put("tableName", "");
                row.set("value", Json.object().put("user", user));
                tx.upsert(CursorStore.TABLE, row);
            }
        });
    }

    /** Remembers that {@code table} is a sync table (its records are the user's), once per run. */
    void remember(String table) {
        if (known.add(table)) {
            store.useTransaction(tx -> {
                ObjectNode row = Json.object();
                row.put("id", TABLE_PREFIX + table);
                row.put("tableName", SYNC_TABLES);
                row.set("value", Json.object().put("table", table));
                tx.upsert(CursorStore.TABLE, row);
            });
        }
    }

    /** The sync tables, in the transaction {@code tx}. */
    List<String> syncTables(StoreTransaction tx) {
        List<String> tables = new ArrayList<>();
        Filter filter = new Filter.Comparison(ComparisonOperator.EQ, new Filter.Property("tableName"),
                Filter.Literal.of(SYNC_TABLES));
        for (ObjectNode row : tx.query(CursorStore.TABLE, Query.builder().filter(filter).build())) {
            tables.add(row.path("value").path("table").asText());
        }
        return tables;
    }

    /** Forgets the owner, in the transaction {@code tx} (the store is signed out). */
    void release(StoreTransaction tx) {
        tx.delete(CursorStore.TABLE, OWNER);
    }
}
