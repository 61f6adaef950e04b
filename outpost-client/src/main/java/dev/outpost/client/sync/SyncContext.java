package dev.outpost.client.sync;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.internal.Internal;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.RecordMapper;
import dev.outpost.client.internal.json.Records;
import dev.outpost.client.internal.pull.CursorStore;
import dev.outpost.client.internal.pull.Puller;
import dev.outpost.client.internal.push.Pusher;
import dev.outpost.client.internal.push.Resolutions;
import dev.outpost.client.internal.queue.Operation;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.internal.sync.Events;
import dev.outpost.client.internal.sync.LocalWrites;
import dev.outpost.client.internal.sync.SyncPermit;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.OutpostException;
import dev.outpost.protocol.query.Query;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Offline sync for one {@link OutpostClient}: the local store, the operation queue, push, pull, purge and
 * conflicts. Get it with {@link OutpostClient#getSyncContext()} and {@link #initialize} it once with a store.
 *
 * <pre>{@code
 * SyncContext sync = client.getSyncContext();
 * sync.initialize(SqliteLocalStore.open(dataDir.resolve("todo.db")), ConflictHandlers.threeWayMerge());
 * SyncTable<Todo> todos = sync.getSyncTable("todoitem", Todo.class);
 * todos.insert(new Todo(null, "milk", false));   // works offline
 * sync.push();                                   // when online
 * todos.pull("all-todos");                       // incremental
 * }</pre>
 *
 * <h2>Offline</h2>
 * Local reads and writes never touch the network. {@link #push()} and {@code pull} throw
 * {@link dev.outpost.client.NetworkException} when the server cannot be reached; the queue stays intact and the
 * next push sends it again, recognising operations an unanswered attempt had applied.
 *
 * <h2>Conflicts</h2>
 * When the server refuses a change because the record changed there too (409/412), the {@link ConflictHandler}
 * decides. What it parks, and what the server refused outright, stays queued, visible in {@link #parkedOperations()}
 * and resolvable with {@link #resolve}; the rest of the queue keeps flowing.
 *
 * <h2>Threads</h2>
 * Thread-safe. The app may write while a push or pull runs: one push or pull runs at a time, local writes never
 * wait for the network, and a push or pull result never overwrites a local change made while it was in flight.
 * See {@code docs/concurrency.md}.
 */
public final class SyncContext {
    static {
        Internal.registerSyncContext(SyncContext::new);
    }

    private final TableApi api;
    private final SyncPermit permit = new SyncPermit();
    private volatile Engine engine;

    private SyncContext(OutpostClient client) {
        this.api = Internal.api(client);
    }

    /** The parts that exist once the context is initialized. */
    private record Engine(LocalStore store, OperationQueue queue, LocalWrites writes, Pusher pusher, Puller puller,
            CursorStore cursors, Resolutions resolutions, Events events) {
    }

    /**
     * Initializes the context with a store and a conflict handler, and no listener.
     *
     * @see #initialize(LocalStore, ConflictHandler, SyncListener)
     */
    public void initialize(LocalStore store, ConflictHandler handler) {
        initialize(store, handler, SyncListener.NONE);
    }

    /**
     * Initializes the context: creates Outpost's system tables in the store if needed. Operations queued in an
     * earlier run are picked up as they were.
     *
     * @throws IllegalStateException if the context was initialized already
     */
    public synchronized void initialize(LocalStore store, ConflictHandler handler, SyncListener listener) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(handler, "handler");
        if (engine != null) {
            throw new IllegalStateException("SyncContext is already initialized");
        }
        store.defineTable(OperationQueue.DEFINITION);
        store.defineTable(CursorStore.DEFINITION);
        OperationQueue queue = new OperationQueue(store, Clock.systemUTC());
        Events events = new Events(listener);
        CursorStore cursors = new CursorStore();
        engine = new Engine(store, queue, new LocalWrites(store, queue),
                new Pusher(store, queue, api, handler, events),
                new Puller(store, queue, cursors, api, events, 1000),
                cursors, new Resolutions(queue), events);
    }

    /** Whether {@link #initialize} was called. */
    public boolean isInitialized() {
        return engine != null;
    }

    private Engine engine() {
        Engine e = engine;
        if (e == null) {
            throw new IllegalStateException("SyncContext not initialized: call initialize(store, handler) first");
        }
        return e;
    }

    LocalStore store() {
        return engine().store();
    }

    LocalWrites writes() {
        return engine().writes();
    }

    /**
     * Defines (or extends) a local table with typed columns, so that they can be queried locally. The system
     * columns are added to it. Tables used without a definition keep every property but can only be queried by
     * their system columns.
     *
     * @throws IllegalStateException if the context is not initialized
     */
    public void defineTable(TableDefinition definition) {
        engine().store().defineTable(definition.newBuilder().withSystemColumns().build());
    }

    /**
     * The local table {@code name}, with records as JSON objects. Defines it (system columns only) if the store
     * does not have it yet.
     *
     * @throws IllegalStateException if the context is not initialized
     */
    public SyncTable<ObjectNode> getSyncTable(String name) {
        ensureTable(TableDefinition.builder(name).withSystemColumns().build());
        return new SyncTable<>(this, name, RecordMapper.json());
    }

    /**
     * The local table {@code name}, with records mapped to {@code type}: a plain class or a record, mapped with
     * Jackson. The id and the system properties are found by name ({@code id}, {@code version},
     * {@code updatedAt}, … in any case) or by {@code @JsonProperty("id")} on a differently named property. Every
     * property of the type gets a typed column (added to an existing table; never dropped).
     *
     * @throws IllegalStateException if the context is not initialized
     */
    public <T> SyncTable<T> getSyncTable(String name, Class<T> type) {
        RecordMapper<T> mapper = RecordMapper.of(type);
        ensureTable(mapper.addColumns(TableDefinition.builder(name).withSystemColumns()).build());
        return new SyncTable<>(this, name, mapper);
    }

    private void ensureTable(TableDefinition wanted) {
        LocalStore store = engine().store();
        Optional<TableDefinition> existing = store.tableDefinition(wanted.name());
        boolean complete = existing.isPresent() && wanted.columns().keySet().stream()
                .allMatch(column -> existing.get().columns().containsKey(column));
        if (!complete) {
            store.defineTable(wanted);
        }
    }

    /**
     * Pushes the queue to the server, FIFO across all tables: in batches to an Outpost server, one request per
     * operation to v2/v3 servers. Conflicts go to the handler; refusals and unresolved conflicts are parked and the
     * rest goes on. Operations parked by a server failure (5xx) are tried again.
     *
     * @return what was pushed and what was parked
     * @throws dev.outpost.client.NetworkException        if the server cannot be reached (the queue is intact)
     * @throws dev.outpost.client.AuthenticationException on 401 (the queue is intact)
     * @throws IllegalStateException                      if the context is not initialized
     */
    public PushResult push() {
        Engine e = engine();
        permit.acquire();
        try {
            return e.pusher().push();
        } finally {
            permit.release();
        }
    }

    PullResult pull(String table, Query query, String queryId) {
        Engine e = engine();
        permit.acquire();
        try {
            ensureTable(TableDefinition.builder(table).withSystemColumns().build());
            long dirty = e.store().inTransaction(tx -> e.queue().pushableCount(tx, table));
            if (dirty > 0) {
                e.pusher().push();
            }
            e.events().pullStarted(table, queryId);
            PullResult result = e.puller().pull(table, query, queryId);
            e.events().pullFinished(result);
            return result;
        } catch (OutpostException ex) {
            e.events().pullFailed(table, ex);
            throw ex;
        } finally {
            permit.release();
        }
    }

    PurgeResult purge(String table, Query query, boolean force) {
        Engine e = engine();
        permit.acquire();
        try {
            return e.store().inTransaction(tx -> {
                long pending = e.queue().count(tx, table);
                if (pending > 0 && !force) {
                    throw new IllegalStateException("table '" + table + "' has " + pending + " pending operation(s):"
                            + " push them first, or purge with force to drop them");
                }
                int dropped = 0;
                if (pending > 0) {
                    if (query.filter() == null) {
                        dropped = e.queue().removeTable(tx, table);
                    } else {
                        for (ObjectNode row : tx.query(table, Query.builder().filter(query.filter()).select("id")
                                .build())) {
                            Optional<Operation> op = e.queue().find(tx, table, Records.id(row));
                            if (op.isPresent()) {
                                e.queue().remove(tx, op.get());
                                dropped++;
                            }
                        }
                    }
                }
                int removed = tx.deleteWhere(table, query.filter());
                int reset = e.cursors().reset(tx, table);
                return new PurgeResult(removed, dropped, reset);
            });
        } finally {
            permit.release();
        }
    }

    /**
     * Every queued operation, FIFO.
     *
     * @throws IllegalStateException if the context is not initialized
     */
    public List<PendingOperation> pendingOperations() {
        Engine e = engine();
        return e.store().inTransaction(tx -> {
            List<PendingOperation> views = new ArrayList<>();
            for (Operation op : e.queue().all(tx)) {
                views.add(op.view());
            }
            return views;
        });
    }

    /** The parked operations, FIFO: conflicts left unresolved and operations the server refused. */
    public List<PendingOperation> parkedOperations() {
        List<PendingOperation> parked = new ArrayList<>();
        for (PendingOperation op : pendingOperations()) {
            if (op.isParked()) {
                parked.add(op);
            }
        }
        return parked;
    }

    /**
     * Resolves a parked operation; the next push carries out what is left to do.
     *
     * <ul>
     *   <li>{@link ConflictResolution#keepClient()}: send the change again (rebased on the server's record when the
     *       conflict brought one).</li>
     *   <li>{@link ConflictResolution#takeServer()}: take the server's record (without one: drop the change and the
     *       local record; the next pull brings it back).</li>
     *   <li>{@link ConflictResolution#merge}: write the merged record and send it.</li>
     *   <li>{@link ConflictResolution#discard()}: drop the change and the local record.</li>
     *   <li>{@link ConflictResolution#park()}: nothing.</li>
     * </ul>
     *
     * @throws IllegalStateException if the operation is no longer queued or not parked (it changed since it was
     *                               listed)
     */
    public void resolve(PendingOperation parked, ConflictResolution resolution) {
        Objects.requireNonNull(parked, "parked");
        Objects.requireNonNull(resolution, "resolution");
        Engine e = engine();
        e.store().useTransaction(tx -> {
            Operation op = e.queue().byId(tx, parked.id()).orElseThrow(() -> new IllegalStateException(
                    "operation " + parked.id() + " is no longer queued"));
            if (op.state() != PendingOperation.State.PARKED) {
                throw new IllegalStateException("operation " + parked.id() + " is not parked");
            }
            int status = op.httpStatus() == null ? 0 : op.httpStatus();
            ObjectNode server = op.serverRecord();
            if (server == null && status != 404) {
                if (resolution instanceof ConflictResolution.KeepClient) {
                    e.queue().save(tx, op.withState(PendingOperation.State.PENDING));
                    return;
                }
                if (resolution instanceof ConflictResolution.Merge merge) {
                    ObjectNode row = Records.insertBody(merge.record());
                    row.put("id", op.itemId());
                    tx.lookup(op.table(), op.itemId()).ifPresent(current -> Records.copySystemColumns(current, row));
                    tx.upsert(op.table(), row);
                    e.queue().save(tx, op.withState(PendingOperation.State.PENDING));
                    return;
                }
                if (resolution instanceof ConflictResolution.TakeServer) {
                    e.resolutions().apply(tx, op, ConflictResolution.discard(), status, null);
                    return;
                }
            }
            e.resolutions().apply(tx, op, resolution, status, server);
        });
    }
}
