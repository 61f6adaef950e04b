package dev.outpost.client.internal.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.Events;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.internal.pull.CursorStore;
import dev.outpost.client.internal.pull.Puller;
import dev.outpost.client.internal.pull.Refresher;
import dev.outpost.client.internal.push.Pusher;
import dev.outpost.client.internal.push.Resolutions;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.internal.queue.StaleRecords;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.client.sync.ConflictHandler;
import dev.outpost.client.sync.ConflictResolution;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.client.sync.PullResult;
import dev.outpost.client.sync.PurgeResult;
import dev.outpost.client.sync.PushResult;
import dev.outpost.client.sync.SyncListener;
import dev.outpost.protocol.OutpostException;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.query.Query;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The sync machinery over one local store, behind a sync context and its tables: the operation queue (and its
 * bookkeeping, which this object owns), local writes, push, pull, purge and resolutions, with the permit that runs
 * one push, pull or purge at a time. Thread-safe.
 */
public final class StoreSync {
    private final LocalStore store;
    private final SyncPermit permit = new SyncPermit();
    private final OperationQueue queue;
    private final LocalWrites writes;
    private final Pusher pusher;
    private final Puller puller;
    private final Refresher refresher;
    private final Purger purger;
    private final Resolutions resolutions;
    private final Events events;
    private final TableApi api;
    private final CursorStore cursors;
    private final StaleRecords stale;
    private final StoreOwner owner;
    private final Supplier<String> user;
    /** The table dialect last remembered in the store for this server, or {@code null}. */
    private volatile ProtocolVersion remembered;
    /** Told after each committed local write and resolution: a live sync's push trigger, or {@code null}. */
    private final AtomicReference<Runnable> queueListener = new AtomicReference<>();

    /**
     * Creates Outpost's system tables in {@code store} if needed; operations queued in an earlier run stay.
     *
     * @param user who syncs now: the subject of the current token, or {@code null} (anonymous)
     */
    public StoreSync(TableApi api, LocalStore store, ConflictHandler handler, SyncListener listener,
            Supplier<String> user) {
        this.store = store;
        this.user = user;
        this.owner = new StoreOwner(store);
        store.defineTable(OperationQueue.DEFINITION);
        store.defineTable(CursorStore.DEFINITION);
        store.defineTable(StaleRecords.DEFINITION);
        this.queue = new OperationQueue(Clock.systemUTC());
        this.events = new Events(listener);
        this.cursors = new CursorStore();
        this.writes = new LocalWrites(store, queue, this::queueChanged);
        this.resolutions = new Resolutions(queue);
        this.pusher = new Pusher(store, queue, api, handler, events);
        this.stale = new StaleRecords();
        this.puller = new Puller(store, queue, cursors, stale, api, events, Puller.PAGE_SIZE);
        this.refresher = new Refresher(store, queue, stale, api);
        this.purger = new Purger(store, queue, cursors);
        this.api = api;
        this.remembered = store.inTransaction(tx -> tx.lookup(CursorStore.TABLE, dialectKey()))
                .map(row -> ProtocolVersion.fromHeader(row.path("value").path("dialect").asText(null)))
                .orElse(null);
        if (remembered != null) {
            api.assumeDialect(remembered);
        }
    }

    /** The {@code __config} row that remembers which table dialect this server speaks (found in auto mode). */
    private String dialectKey() {
        return "dialect|" + api.baseUrl();
    }

    /** Remembers the server's table dialect in the store once it is settled, so that later runs need not ask. */
    private void rememberDialect() {
        if (!api.isDialectSettled() || api.dialect() == remembered) {
            return;
        }
        ProtocolVersion found = api.dialect();
        store.useTransaction(tx -> {
            ObjectNode row = Json.object();
            row.put("id", dialectKey());
            row.put("tableName", "");
            row.set("value", Json.object().put("dialect", found.headerValue()));
            tx.upsert(CursorStore.TABLE, row);
        });
        remembered = found;
    }

    /** The store. */
    public LocalStore store() {
        return store;
    }

    /** The table calls (and what the server speaks). */
    public TableApi api() {
        return api;
    }

    /** The listener's events. */
    public Events events() {
        return events;
    }

    /**
     * Sets what to tell after each committed local write or resolution: a live sync pushes soon after. It runs on
     * the writing thread with no lock held and must be quick.
     */
    public void onQueueChanged(Runnable listener) {
        queueListener.set(listener);
    }

    /** Stops telling {@code listener} (if it is still the one set). */
    public void removeQueueListener(Runnable listener) {
        queueListener.compareAndSet(listener, null);
    }

    private void queueChanged() {
        Runnable listener = queueListener.get();
        if (listener == null) {
            return;
        }
        try {
            listener.run();
        } catch (RuntimeException e) {
            // A trigger that fails must not fail the app's write, which has committed.
        }
    }

    /** Whether the queue holds operations a push would send (any but parked ones). */
    public boolean hasPushable() {
        return store.inTransaction(tx -> queue.pushableCount(tx, null)) > 0;
    }

    /** The app's local writes. */
    public LocalWrites writes() {
        return writes;
    }

    /**
     * Defines the table unless the store already has every column of {@code wanted}, and remembers it as a sync
     * table (what {@link #signOut} clears).
     */
    public void ensureTable(TableDefinition wanted) {
        owner.remember(wanted.name());
        Optional<TableDefinition> existing = store.tableDefinition(wanted.name());
        boolean complete = existing.isPresent() && wanted.columns().keySet().stream()
                .allMatch(column -> existing.get().columns().containsKey(column));
        if (!complete) {
            store.defineTable(wanted);
        }
    }

    /** Pushes the queue (see {@link Pusher#push()}). */
    public PushResult push() {
        permit.acquire();
        try {
            owner.claim(user.get());
            return pusher.push();
        } finally {
            rememberDialect();
            permit.release();
        }
    }

    /** Pulls {@code table}, pushing its pending operations first. */
    public PullResult pull(String table, Query query, String queryId) {
        permit.acquire();
        try {
            owner.claim(user.get());
            ensureTable(TableDefinition.builder(table).withSystemColumns().build());
            if (store.inTransaction(tx -> queue.pushableCount(tx, table)) > 0) {
                pusher.push();
            }
            events.pullStarted(table, queryId);
            PullResult result = puller.pull(table, query, queryId);
            refresher.refresh(table);
            events.pullFinished(result);
            return result;
        } catch (OutpostException e) {
            events.pullFailed(table, e);
            throw e;
        } finally {
            rememberDialect();
            permit.release();
        }
    }

    /** Purges {@code table} (see {@link Purger#purge}). */
    public PurgeResult purge(String table, Query query, boolean force) {
        permit.acquire();
        try {
            return purger.purge(table, query, force);
        } finally {
            permit.release();
        }
    }

    /** Every queued operation, FIFO. */
    public List<PendingOperation> pendingOperations() {
        return store.inTransaction(tx -> queue.all(tx).stream().map(Operation::view).toList());
    }

    /** The user the store belongs to (the token subject it first synced as), if any. */
    public Optional<String> owner() {
        return owner.owner();
    }

    /**
     * Signs the store out: pushes what is queued, then, in one transaction, removes every sync table's records, the
     * queue, the cursors and stale marks, and the store's owner, so that another user can sync it.
     *
     * @param discardUnsynced also when operations are left that could not be pushed (parked, or the server could
     *                        not be reached): they are dropped
     * @throws IllegalStateException if operations are left and {@code discardUnsynced} is false (nothing is cleared)
     */
    public void signOut(boolean discardUnsynced) {
        permit.acquire();
        try {
            String failure = null;
            if (store.inTransaction(tx -> queue.count(tx, null)) > 0) {
                try {
                    owner.claim(user.get());
                    pusher.push();
                } catch (OutpostException e) {
                    failure = e.getMessage();
                }
            }
            String why = failure;
            store.useTransaction(tx -> {
                long left = queue.count(tx, null);
                if (left > 0 && !discardUnsynced) {
                    throw new IllegalStateException(left + " operation(s) are not synced"
                            + (why == null ? " (parked: resolve them)" : " (" + why + ")")
                            + "; sign out again once they are, or sign out discarding them");
                }
                Set<String> tables = new LinkedHashSet<>(owner.syncTables(tx));
                queue.all(tx).forEach(op -> tables.add(op.table()));
                for (String table : tables) {
                    if (store.tableDefinition(table).isPresent()) {
                        tx.deleteWhere(table, null);
                    }
                    cursors.reset(tx, table);
                    stale.reset(tx, table);
                }
                queue.clear(tx);
                owner.release(tx);
            });
        } finally {
            permit.release();
        }
    }

    /** Resolves a parked operation (see {@link Resolutions#resolveParked}). */
    public void resolve(String operationId, ConflictResolution resolution) {
        store.useTransaction(tx -> resolutions.resolveParked(tx, operationId, resolution));
        queueChanged();
    }
}
