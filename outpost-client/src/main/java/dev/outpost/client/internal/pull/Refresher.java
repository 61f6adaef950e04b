package dev.outpost.client.internal.pull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.internal.queue.StaleRecords;
import dev.outpost.client.store.LocalStore;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.Query;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings the {@link StaleRecords marked} records of a table up to date once they have no queued operation: fetches
 * them by id (deleted ones included) and stores the server's record, or removes the local copy when the server has
 * it deleted or not at all. A record that has a queued operation again by the time its answer is stored keeps its
 * mark and its local copy (invariant 4). Callers serialise it with pulls (the sync permit).
 */
public final class Refresher {
    /** Records asked for in one request (an OData {@code or} of ids, well inside every server's page). */
    static final int CHUNK = 25;

    private final LocalStore store;
    private final OperationQueue queue;
    private final StaleRecords stale;
    private final TableApi api;

    public Refresher(LocalStore store, OperationQueue queue, StaleRecords stale, TableApi api) {
        this.store = store;
        this.queue = queue;
        this.stale = stale;
        this.api = api;
    }

    /** Refreshes the marked records of {@code table} that have no queued operation; returns how many. */
    public int refresh(String table) {
        List<String> due = store.inTransaction(tx -> {
            Set<String> pending = queue.itemIds(tx, table);
            return stale.marked(tx, table).stream().filter(id -> !pending.contains(id)).toList();
        });
        int refreshed = 0;
        for (int from = 0; from < due.size(); from += CHUNK) {
            List<String> chunk = due.subList(from, Math.min(due.size(), from + CHUNK));
            Map<String, ObjectNode> found = fetch(table, chunk);
            refreshed += store.inTransaction(tx -> {
                Set<String> pending = queue.findAll(tx, table, chunk).keySet();
                int stored = 0;
                for (String id : chunk) {
                    if (pending.contains(id)) {
                        continue;
                    }
                    ObjectNode record = found.get(id);
                    if (record == null || Records.isDeleted(record)) {
                        tx.delete(table, id);
                    } else {
                        tx.upsert(table, record);
                    }
                    stale.unmark(tx, table, id);
                    stored++;
                }
                return stored;
            });
        }
        return refreshed;
    }

    /** The server's records of {@code ids}, deleted ones included, by id (one missing is absent). */
    private Map<String, ObjectNode> fetch(String table, List<String> ids) {
        List<Filter> byId = new ArrayList<>(ids.size());
        for (String id : ids) {
            byId.add(new Filter.Comparison(ComparisonOperator.EQ, new Filter.Property(SystemColumns.ID),
                    Filter.Literal.of(id)));
        }
        Filter filter = byId.get(0);
        for (int i = 1; i < byId.size(); i++) {
            filter = new Filter.Or(filter, byId.get(i));
        }
        Query query = Query.builder().filter(filter).top(ids.size()).includeDeleted(true).build();
        Map<String, ObjectNode> found = new HashMap<>();
        for (ObjectNode record : api.query(table, query.toParameters(api.dialect())).items()) {
            String id = Records.id(record);
            if (id != null) {
                found.put(id, record);
            }
        }
        return found;
    }
}
