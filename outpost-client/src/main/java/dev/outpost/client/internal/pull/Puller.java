package dev.outpost.client.internal.pull;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.Events;
import dev.outpost.client.internal.http.CursorExpiredException;
import dev.outpost.client.internal.http.NativeUnavailableException;
import dev.outpost.client.internal.http.QueryPage;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.internal.queue.StaleRecords;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.sync.PullResult;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.Timestamps;
import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.FilterWriter;
import dev.outpost.protocol.query.OrderBy;
import dev.outpost.protocol.query.Query;
import dev.outpost.protocol.sync.ChangesPage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Pulls a table into the local store, page by page. Each page, its tombstones (deleted locally) and the cursor
 * after it are written in one transaction; records with a pending local operation are skipped (invariant 4) and
 * marked {@link StaleRecords stale}, for the {@link Refresher} to fetch once their operation is gone. The next page
 * is fetched while the current one is written.
 *
 * <ul>
 *   <li>Against an Outpost server: the native cursor on {@code (updatedAt, id)}, pages of 1,000, gzip, parsed as
 *       they stream in.</li>
 *   <li>Against v2/v3: a keyset on {@code (updatedAt, id)} written as an ordinary OData filter,
 *       {@code (updatedAt gt T) or (updatedAt eq T and id gt 'last')}, ordered by {@code updatedAt, id}, with
 *       {@code __includeDeleted=true}; the cursor is the position {@code (T, last)}. Unlike {@code ge} with
 *       {@code $skip}, it never re-downloads the records of the last timestamp and cannot skip a record when others
 *       sharing its timestamp change during the walk; it is exact however many records share one timestamp.</li>
 * </ul>
 *
 * <p>Callers serialise pulls with the sync permit.
 */
public final class Puller {
    /** Records per page of a native pull. */
    public static final int PAGE_SIZE = 1000;

    private final LocalStore store;
    private final OperationQueue queue;
    private final CursorStore cursors;
    private final StaleRecords stale;
    private final TableApi api;
    private final Events events;
    private final int pageSize;

    public Puller(LocalStore store, OperationQueue queue, CursorStore cursors, StaleRecords stale, TableApi api,
            Events events, int pageSize) {
        this.store = store;
        this.queue = queue;
        this.cursors = cursors;
        this.stale = stale;
        this.api = api;
        this.events = events;
        this.pageSize = pageSize;
    }

    /** The counters of one pull. */
    private static final class Tally {
        int upserted;
        int deleted;
        int skipped;
        int pages;
        boolean restarted;
    }

    /**
     * Pulls the records of {@code table} matching {@code query}'s filter (order, paging and projection are not
     * used). With a {@code queryId}, starts from and saves that query's cursor; without, pulls everything.
     */
    public PullResult pull(String table, Query query, String queryId) {
        String fingerprint = query.filter() == null ? "" : FilterWriter.write(query.filter(), ProtocolVersion.V3);
        Optional<ObjectNode> saved = queryId == null ? Optional.empty()
                : store.inTransaction(tx -> cursors.load(tx, table, queryId))
                        .filter(c -> fingerprint.equals(c.path("filter").asText()));
        Tally tally = new Tally();
        try {
            pullFrom(table, query.filter(), fingerprint, queryId, saved, tally);
        } catch (CursorExpiredException e) {
            // The position is older than the server's tombstone horizon: deletions since may be forgotten there.
            restart(table);
            tally.restarted = true;
            pullFrom(table, query.filter(), fingerprint, queryId, Optional.empty(), tally);
        }
        return new PullResult(table, queryId, tally.upserted, tally.deleted, tally.skipped, tally.pages,
                tally.restarted);
    }

    private void pullFrom(String table, Filter filter, String fingerprint, String queryId, Optional<ObjectNode> saved,
            Tally tally) {
        if (api.useNative()) {
            try {
                pullNative(table, filter, fingerprint, queryId, saved, tally);
            } catch (NativeUnavailableException e) {
                // Announced but not served (only the first page can say so): pull with v3 requests instead.
                api.nativeUnavailable();
                pullByTimestamp(table, filter, fingerprint, queryId, saved, tally);
            }
        } else {
            api.settleDialect(table);
            pullByTimestamp(table, filter, fingerprint, queryId, saved, tally);
        }
    }

    /**
     * Starts {@code table} over, in one transaction: its local records without a queued operation are removed (a
     * record deleted on the server whose tombstone was purged would otherwise stay here for good), and its cursors
     * and stale marks are forgotten, so that the next page is the first of a pull from scratch. Queued operations
     * and their records stay (invariant 2); a pull stopped before it ends resumes from the new cursor.
     */
    private void restart(String table) {
        store.useTransaction(tx -> {
            Set<String> pending = queue.itemIds(tx, table);
            List<Filter> kept = new ArrayList<>();
            for (String id : pending) {
                kept.add(Filter.Literal.of(id));
            }
            tx.deleteWhere(table, pending.isEmpty() ? null
                    : new Filter.Not(new Filter.In(new Filter.Property(SystemColumns.ID), kept)));
            cursors.reset(tx, table);
            stale.reset(tx, table);
        });
    }

    private void pullNative(String table, Filter filter, String fingerprint, String queryId,
            Optional<ObjectNode> saved, Tally tally) {
        String cursor = saved.filter(c -> c.path("mode").asText().equals("native"))
                .map(c -> Json.text(c, "cursor")).orElse(null);
        String filterText = filter == null ? null : FilterWriter.write(filter, ProtocolVersion.V3);
        CompletableFuture<ChangesPage> next = api.changes(table, filterText, cursor, pageSize);
        while (true) {
            ChangesPage page = await(next);
            boolean more = page.more() && !page.items().isEmpty();
            next = more ? api.changes(table, filterText, page.cursor(), pageSize) : null;
            ObjectNode state = Json.object().put("mode", "native").put("filter", fingerprint)
                    .put("cursor", page.cursor());
            write(table, queryId, page.items(), state, tally, next);
            if (!more) {
                return;
            }
        }
    }

    private void pullByTimestamp(String table, Filter filter, String fingerprint, String queryId,
            Optional<ObjectNode> saved, Tally tally) {
        Optional<ObjectNode> timestamp = saved.filter(c -> c.path("mode").asText().equals("timestamp"));
        String token = timestamp.map(c -> Json.text(c, "updatedAt")).orElse(null);
        String lastId = timestamp.map(c -> Json.text(c, "id")).orElse(null);
        // The server's time when the last pull ended with an empty page: every change up to it was seen then.
        String seenThrough = timestamp.map(c -> Json.text(c, "seenThrough")).orElse(null);
        CompletableFuture<QueryPage> next = api.queryAsync(table, parameters(filter, token, lastId));
        boolean first = true;
        while (true) {
            QueryPage answer = await(next);
            if (first && token != null && answer.horizon() != null
                    && seen(token, seenThrough).isBefore(answer.horizon())) {
                throw new CursorExpiredException("pull of " + table, "the changes up to "
                        + Timestamps.format(seen(token, seenThrough)) + " were seen, before the server's tombstone"
                        + " horizon " + Timestamps.format(answer.horizon()));
            }
            first = false;
            List<ObjectNode> items = answer.items();
            String tokenBefore = token;
            String idBefore = lastId;
            for (ObjectNode item : items) {
                String updatedAt = Json.text(item, SystemColumns.UPDATED_AT);
                String id = Records.id(item);
                if (updatedAt != null && id != null && after(updatedAt, id, token, lastId)) {
                    token = updatedAt;
                    lastId = id;
                }
            }
            if (!items.isEmpty() && java.util.Objects.equals(token, tokenBefore)
                    && java.util.Objects.equals(lastId, idBefore)) {
                // A server whose stored timestamps are finer than the milliseconds it sends cannot answer the
                // keyset exactly; rather than loop over the same page, say so.
                throw new IllegalStateException("pull of '" + table + "' made no progress: the server sent the same"
                        + " page again for the position " + token + " / " + lastId);
            }
            next = items.isEmpty() ? null : api.queryAsync(table, parameters(filter, token, lastId));
            ObjectNode state = Json.object().put("mode", "timestamp").put("filter", fingerprint)
                    .put("updatedAt", token).put("id", lastId);
            if (!items.isEmpty()) {
                write(table, queryId, items, state, tally, next);
            }
            if (items.isEmpty()) {
                if (queryId != null && token != null && answer.serverTime() != null) {
                    // The pull ends here: remember when, by the server's clock, for the horizon check.
                    state.put("seenThrough", Timestamps.format(answer.serverTime()));
                    store.useTransaction(tx -> cursors.save(tx, table, queryId, state));
                }
                return;
            }
        }
    }

    /**
     * One page request: the records after the position {@code (token, lastId)} in {@code (updatedAt, id)} order, as
     * {@code (updatedAt gt T) or (updatedAt eq T and id gt 'last')}, ordered by {@code updatedAt, id}. A keyset
     * rather than {@code $skip}: offsets shift when records inside a timestamp change during the walk, a position
     * does not.
     */
    private Map<String, String> parameters(Filter filter, String token, String lastId) {
        Query.Builder query = Query.builder()
                .orderBy(OrderBy.asc(SystemColumns.UPDATED_AT), OrderBy.asc(SystemColumns.ID))
                .top(pageSize)
                .includeDeleted(true);
        if (filter != null) {
            query.and(filter);
        }
        if (token != null) {
            Filter.Property updatedAt = new Filter.Property(SystemColumns.UPDATED_AT);
            Filter.Literal at = Filter.Literal.of(Timestamps.parse(token));
            query.and(new Filter.Or(
                    new Filter.Comparison(ComparisonOperator.GT, updatedAt, at),
                    new Filter.And(new Filter.Comparison(ComparisonOperator.EQ, updatedAt, at),
                            new Filter.Comparison(ComparisonOperator.GT, new Filter.Property(SystemColumns.ID),
                                    Filter.Literal.of(lastId)))));
        }
        return query.build().toParameters(api.dialect());
    }

    /** How far a pull position has seen the changes: the later of its position and its last pull's end. */
    private static Instant seen(String token, String seenThrough) {
        Instant position = Timestamps.parse(token);
        if (seenThrough == null) {
            return position;
        }
        Instant ended = Timestamps.parse(seenThrough);
        return ended.isAfter(position) ? ended : position;
    }

    /** Whether {@code (updatedAt, id)} comes after {@code (token, lastId)}. */
    private static boolean after(String updatedAt, String id, String token, String lastId) {
        if (token == null) {
            return true;
        }
        int byTime = Timestamps.parse(updatedAt).compareTo(Timestamps.parse(token));
        return byTime > 0 || (byTime == 0 && id.compareTo(lastId) > 0);
    }

    /** Writes one page and its cursor in one transaction; then reports it. */
    private void write(String table, String queryId, List<ObjectNode> items, ObjectNode cursor, Tally tally,
            CompletableFuture<?> prefetch) {
        int[] counts = new int[3];
        try {
            store.useTransaction(tx -> {
                Set<String> pending = queue.itemIds(tx, table);
                List<ObjectNode> upserts = new ArrayList<>(items.size());
                List<String> skipped = new ArrayList<>();
                for (ObjectNode item : items) {
                    String id = Records.id(item);
                    if (id == null) {
                        continue;
                    }
                    if (pending.contains(id)) {
                        skipped.add(id);
                    } else if (Records.isDeleted(item)) {
                        if (tx.delete(table, id)) {
                            counts[1]++;
                        }
                    } else {
                        upserts.add(item);
                    }
                }
                tx.upsert(table, upserts);
                // The cursor moves past the skipped versions: fetch those records again once their operations
                // are gone, whatever becomes of them (invariant 5).
                stale.markAll(tx, table, skipped);
                counts[0] = upserts.size();
                counts[2] = skipped.size();
                if (queryId != null) {
                    cursors.save(tx, table, queryId, cursor);
                }
            });
        } catch (RuntimeException e) {
            if (prefetch != null) {
                prefetch.cancel(true);
            }
            throw e;
        }
        tally.upserted += counts[0];
        tally.deleted += counts[1];
        tally.skipped += counts[2];
        tally.pages++;
        events.pullPage(table, counts[0], counts[1], counts[2]);
    }

    private static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new IllegalStateException("pull interrupted", e);
        }
    }
}
