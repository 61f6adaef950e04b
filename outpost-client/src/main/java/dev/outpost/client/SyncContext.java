package dev.outpost.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.RecordMapper;
import dev.outpost.client.internal.live.RealLiveSync;
import dev.outpost.client.internal.sync.StoreSync;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.client.sync.ConflictHandler;
import dev.outpost.client.sync.ConflictResolution;
import dev.outpost.client.sync.LiveSync;
import dev.outpost.client.sync.LiveSyncOptions;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.client.sync.PushResult;
import dev.outpost.client.sync.SyncListener;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Offline sync over one local store: the operation queue, push, pull, purge and conflicts. Made ready in one step
 * by {@link OutpostClient#newSyncContext(LocalStore, ConflictHandler)}.
 *
 * <pre>{@code
 * try (SyncContext sync = client.newSyncContext(SqliteLocalStore.open(dataDir.resolve("todo.db")),
 *         ConflictHandlers.threeWayMerge())) {
 *     SyncTable<Todo> todos = sync.getSyncTable("todoitem", Todo.class);
 *     todos.insert(new Todo(null, "milk", false));   // works offline
 *     sync.push();                                   // when online
 *     todos.pull("all-todos");                       // incremental
 * }
 * }</pre>
 *
 * <h2>One context per store</h2>
 * The context takes the store over: it keeps the queue's bookkeeping in memory (the last sequence handed out, a
 * count of the queue's writes), which is right only while every write to the queue goes through it. Give each store
 * to one context, and {@link #close()} the context (which closes the store) when done.
 *
 * <h2>Offline</h2>
 * Local reads and writes never touch the network. {@link #push()} and {@code pull} throw {@link NetworkException}
 * when the server cannot be reached; the queue stays intact and the next push sends it again, recognising
 * operations an unanswered attempt had applied.
 *
 * <h2>Conflicts</h2>
 * When the server refuses a change because the record changed there too (409/412), the {@link ConflictHandler}
 * decides. What it parks, and what the server refused outright, stays queued, visible in {@link #parkedOperations()}
 * and resolvable with {@link #resolve}; the rest of the queue keeps flowing.
 *
 * <h2>Live sync</h2>
 * {@link #startLiveSync(String...)} keeps tables following the server without the app calling push or pull: it
 * listens to an Outpost server's change events (polling a v2/v3 server instead) and pushes local changes a moment
 * after they are made, until the {@link LiveSync} it returns is stopped (or the context closed).
 *
 * <h2>Threads</h2>
 * Thread-safe. The app may write while a push or pull runs: one push or pull runs at a time, local writes never
 * wait for the network, and a push or pull result never overwrites a local change made while it was in flight.
 * See {@code docs/concurrency.md}.
 */
public final class SyncContext implements AutoCloseable {
    /** Table names with this prefix are Outpost's own (the queue, the cursors). */
    private static final String RESERVED_PREFIX = "__";

    private final StoreSync sync;
    /** The live sync started last, or {@code null}; guarded by {@code this}. */
    private RealLiveSync live;

    /** Creates Outpost's system tables in {@code store} if needed; operations queued in an earlier run stay. */
    SyncContext(TableApi api, LocalStore store, ConflictHandler handler, SyncListener listener,
            Supplier<String> user) {
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(listener, "listener");
        this.sync = new StoreSync(api, store, handler, listener, user);
    }

    /**
     * Defines (or extends) a local table with typed columns, so that they can be queried locally. The system
     * columns are added to it. Tables used without a definition keep every property but can only be queried by
     * their system columns.
     *
     * @throws IllegalArgumentException if the name starts with {@code __} (reserved for Outpost's own tables)
     */
    public void defineTable(TableDefinition definition) {
        sync.store().defineTable(syncTable(definition.newBuilder()).build());
    }

    /**
     * The local table {@code name}, with records as JSON objects. Defines it (system columns only) if the store
     * does not have it yet.
     *
     * @throws IllegalArgumentException if the name is not a valid table name, or starts with {@code __}
     */
    public SyncTable<ObjectNode> getSyncTable(String name) {
        sync.ensureTable(syncTable(TableDefinition.builder(name)).build());
        return new SyncTable<>(sync, name, RecordMapper.json());
    }

    /**
     * The local table {@code name}, with records mapped to {@code type}: a plain class or a record, mapped with
     * Jackson. The id and the system properties are found by name ({@code id}, {@code version},
     * {@code updatedAt}, … in any case) or by {@code @JsonProperty("id")} on a differently named property. Every
     * property of the type gets a typed column (added to an existing table; never dropped). Properties of a stored
     * record that the type does not declare are kept when it is updated.
     *
     * @throws IllegalArgumentException if the name is not a valid table name, or starts with {@code __}
     */
    public <T> SyncTable<T> getSyncTable(String name, Class<T> type) {
        RecordMapper<T> mapper = RecordMapper.of(type);
        sync.ensureTable(mapper.addColumns(syncTable(TableDefinition.builder(name))).build());
        return new SyncTable<>(sync, name, mapper);
    }

    /** A sync table's definition: its system columns added, and names of Outpost's own tables refused. */
    private static TableDefinition.Builder syncTable(TableDefinition.Builder builder) {
        if (builder.name().startsWith(RESERVED_PREFIX)) {
            throw new IllegalArgumentException("table names starting with '" + RESERVED_PREFIX
                    + "' are reserved for Outpost's own tables: '" + builder.name() + "'");
        }
        return builder.withSystemColumns();
    }

    /**
     * Pushes the queue to the server, FIFO across all tables: in batches to an Outpost server, one request per
     * operation to v2/v3 servers. Conflicts go to the handler; a refusal of a record's content and unresolved
     * conflicts are parked and the rest goes on. An answer about the request as a whole stops the push (the table
     * of what parks and what stops is in {@code docs/client.md}).
     *
     * @return what was pushed and what was parked
     * @throws NetworkException                                         if the server cannot be reached (the queue is
     *                                                                  intact)
     * @throws dev.outpost.client.exception.ServerResponseException if the server refused the request as a whole:
     *     401 ({@code AuthenticationException}), a failure of the server ({@code ServerUnavailableException}), an
     *     answer that is not the protocol's ({@code UnexpectedAnswerException}), an unknown table, … (every
     *     operation stays queued, none parked)
     */
    public PushResult push() {
        return sync.push();
    }

    /** Every queued operation, FIFO. */
    public List<PendingOperation> pendingOperations() {
        return sync.pendingOperations();
    }

    /** The parked operations, FIFO: conflicts left unresolved and operations the server refused. */
    public List<PendingOperation> parkedOperations() {
        return pendingOperations().stream().filter(PendingOperation::isParked).toList();
    }

    /**
     * Resolves a parked operation; the next push carries out what is left to do.
     *
     * <ul>
     *   <li>{@link ConflictResolution#keepClient()}: send the change again (rebased on the server's record when the
     *       conflict brought one, and on any newer version it meets, without asking the handler again).</li>
     *   <li>{@link ConflictResolution#takeServer()}: take the server's record (without one: drop the change and the
     *       local record; the next pull brings it back).</li>
     *   <li>{@link ConflictResolution#merge}: write the merged record and send it.</li>
     *   <li>{@link ConflictResolution#discard()}: drop the change and the local record.</li>
     *   <li>{@link ConflictResolution#park()}: nothing.</li>
     * </ul>
     *
     * <p>The server's record kept with the conflict may be older than the server's current one (the record may have
     * changed again while the operation was parked). Once the operation is gone, the next pull of the table fetches
     * the record as the server has it then, so every resolution ends with the server's current record.
     *
     * @throws IllegalStateException if the operation is no longer queued or not parked (it changed since it was
     *                               listed)
     */
    public void resolve(PendingOperation parked, ConflictResolution resolution) {
        Objects.requireNonNull(parked, "parked");
        Objects.requireNonNull(resolution, "resolution");
        sync.resolve(parked.id(), resolution);
    }

    /**
     * The user whose data this store holds: the subject ({@code sub}) of the token it first synced with, if it has
     * synced with one. A push or pull with another user's token is refused with
     * {@link dev.outpost.client.exception.StoreOwnerException} until the app {@link #signOut() signs out}.
     */
    public Optional<String> owner() {
        return sync.owner();
    }

    /**
     * Signs the store out: pushes what is queued, then clears the local data (every sync table's records, the
     * queue, the cursors) and forgets the owner, so that another user can sign in and sync. Call it while the old
     * user's token is still current, so that the push can go through.
     *
     * @throws IllegalStateException if operations could not be pushed (parked, or the server could not be reached);
     *                               nothing is cleared: resolve them, or use {@link #signOut(boolean) signOut(true)}
     */
    public void signOut() {
        sync.signOut(false);
    }

    /**
     * Signs the store out as {@link #signOut()} does; with {@code discardUnsynced}, operations that could not be
     * pushed are dropped with the rest of the local data instead of stopping the sign-out.
     */
    public void signOut(boolean discardUnsynced) {
        sync.signOut(discardUnsynced);
    }

    /**
     * Starts keeping {@code tables} in sync, each pulled whole (incrementally, under the queryId
     * {@value LiveSyncOptions#WHOLE_TABLE_QUERY_ID}), with the default pacing: {@link #startLiveSync(LiveSyncOptions)}
     * of {@link LiveSyncOptions#of(String...)}.
     *
     * @throws IllegalStateException if a live sync of this context is running already, or no table is given
     */
    public LiveSync startLiveSync(String... tables) {
        return startLiveSync(LiveSyncOptions.of(tables));
    }

    /**
     * Starts keeping the watched queries in sync with the server, on two threads of its own, until the returned
     * {@link LiveSync} is stopped or this context is closed:
     *
     * <ul>
     *   <li>against an Outpost server, it keeps the server's change events open ({@code GET /outpost/v1/events});
     *       when a watched table changes, it pulls that table's queries (changes that come close together are
     *       pulled once). When it connects without being able to resume (the first time, say) and when the server
     *       asks for it, it pulls every watched query once;</li>
     *   <li>it pushes the queue soon after each local write ({@link LiveSyncOptions#debounce()}), and when it
     *       connects;</li>
     *   <li>when the connection fails or ends, it opens it again after a delay that grows from
     *       {@link LiveSyncOptions#initialReconnectDelay()} to {@link LiveSyncOptions#maxReconnectDelay()}, resuming
     *       where it left off; meanwhile (offline) it sends nothing, and local writes queue up as usual;</li>
     *   <li>against a server without change events (a v2/v3 server, a client set to {@link Protocol#V2} or
     *       {@link Protocol#V3}) or one that refuses them for good (an unknown table, a table the user may not
     *       read), it pulls every watched query and pushes every {@link LiveSyncOptions#pollInterval()}, and pushes
     *       soon after each local write.</li>
     * </ul>
     *
     * <p>Its pulls and pushes are the context's own, so they wait for (and never overlap) the app's pushes and
     * pulls, and never overwrite a local change; they fire the listener's push and pull events, and failures are
     * retried later (a failed pull is never forgotten). The {@link SyncListener} also hears
     * {@code liveSyncConnected}, {@code liveSyncDisconnected}, {@code liveSyncPolling} and {@code liveSyncStopped}.
     *
     * @throws IllegalStateException if a live sync of this context is running already (stop it first)
     */
    public synchronized LiveSync startLiveSync(LiveSyncOptions options) {
        Objects.requireNonNull(options, "options");
        if (live != null && live.state() != LiveSync.State.STOPPED) {
            throw new IllegalStateException("a live sync of this context is running already: stop it first");
        }
        for (LiveSyncOptions.Watch watch : options.watches()) {
            syncTable(TableDefinition.builder(watch.table()));
            sync.ensureTable(TableDefinition.builder(watch.table()).withSystemColumns().build());
        }
        live = RealLiveSync.start(sync, options);
        return live;
    }

    /**
     * Closes the context and its store, stopping its live sync first. Operations still queued stay in the store for
     * the next context. Closing twice is harmless.
     */
    @Override
    public void close() {
        RealLiveSync running;
        synchronized (this) {
            running = live;
        }
        if (running != null) {
            running.stop();
        }
        sync.store().close();
    }
}
