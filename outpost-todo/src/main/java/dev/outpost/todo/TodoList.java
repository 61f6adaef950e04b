package dev.outpost.todo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.OutpostClient;
import dev.outpost.client.SyncContext;
import dev.outpost.client.SyncTable;
import dev.outpost.client.exception.LocalStoreException;
import dev.outpost.client.exception.RecordNotFoundException;
import dev.outpost.client.sqlite.SqliteLocalStore;
import dev.outpost.client.sync.ConflictHandlers;
import dev.outpost.client.sync.ConflictResolution;
import dev.outpost.protocol.sync.OperationKind;
import dev.outpost.client.sync.PendingOperation;
import dev.outpost.client.sync.PullResult;
import dev.outpost.client.sync.PushResult;
import dev.outpost.client.sync.LiveSync;
import dev.outpost.protocol.query.Query;
import dev.outpost.client.sync.LiveSyncOptions;
import dev.outpost.client.sync.SyncListener;
import dev.outpost.protocol.SystemColumns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import okhttp3.ConnectionSpec;
import okhttp3.OkHttpClient;

/**
 * The todo list of one store: the {@code todoitem} table of a local SQLite store, synced with one server through
 * the client SDK. Every change is local and instant; {@link #sync()} pushes the queued changes and pulls the
 * server's. Conflicts the app cannot merge by itself (both sides changed the same field) are parked for
 * {@code outpost todo conflicts}.
 *
 * <p>Opening it never contacts the server. It holds the store file exclusively until closed, so one command runs
 * against a store at a time. Confined to the thread that opened it.
 */
final class TodoList implements AutoCloseable {
    /** The table, as in the Azure Mobile Apps tutorials. */
    static final String TABLE = "todoitem";
    /** The incremental pull's query id: the pull resumes where the last one ended. */
    static final String QUERY_ID = "outpost-todo";

    private final Path file;
    private final String server;
    private final SqliteLocalStore store;
    private final SyncContext sync;
    private final SyncTable<TodoItem> table;

    private TodoList(Path file, String server, SqliteLocalStore store, SyncContext sync, SyncTable<TodoItem> table) {
        this.file = file;
        this.server = server;
        this.store = store;
        this.sync = sync;
        this.table = table;
    }

    /** The outcome of a sync: what the push did, then what the pull did. */
    record SyncResult(PushResult push, PullResult pull) {
    }

    /** A parked operation as the user sees it: the change, the local item now, and the server's record. */
    record Parked(PendingOperation operation, TodoItem mine, ObjectNode server) {
        /** Whether it is a conflict (the server's copy changed too), not a refusal or a server failure. */
        boolean isConflict() {
            Integer status = operation.httpStatus();
            return status != null && (status == 409 || status == 412);
        }
    }

    /**
     * Opens the store in {@code file} (creating it and its folder if needed) for the server in {@code config}.
     *
     * @throws TodoException if the store cannot be opened, for example because another command has it open
     */
    static TodoList open(Path file, TodoConfig config, SyncListener listener) {
        SqliteLocalStore store = openStore(file);
        try {
            OutpostClient client = OutpostClient.builder()
                    .baseUrl(config.server())
                    .httpClient(httpClient(config.server()))
                    .protocol(config.protocol())
                    .installationId(config.installationId().orElseGet(() -> UUID.randomUUID().toString()))
                    .connectTimeout(Duration.ofSeconds(5))
                    .authToken(() -> config.token().orElse(null))
                    .build();
            SyncContext sync = client.newSyncContext(store, ConflictHandlers.threeWayMerge(), listener);
            SyncTable<TodoItem> table = sync.getSyncTable(TABLE, TodoItem.class);
            return new TodoList(file, config.server(), store, sync, table);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * The OkHttp client to build on. For a plain-http server, one without TLS: OkHttp otherwise sets up TLS (loading
     * the system's trusted certificates) as soon as a client is built, which is most of its start-up cost, and every
     * command builds one even when it never goes online.
     */
    private static OkHttpClient httpClient(String server) {
        OkHttpClient.Builder builder = new OkHttpClient.Builder();
        if (server.regionMatches(true, 0, "http:", 0, 5)) {
            builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        return builder.build();
    }

    private static SqliteLocalStore openStore(Path file) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new TodoException("Cannot create the folder of the store " + file + ": " + e.getMessage());
        }
        try {
            return SqliteLocalStore.open(file);
        } catch (LocalStoreException e) {
            String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("locked") || message.contains("busy")) {
                throw new TodoException("The store " + file + " is in use by another outpost todo command (a sync "
                        + "still running?); try again when it has finished.");
            }
            throw new TodoException("Cannot open the store " + file + ": " + e.getMessage());
        }
    }

    /** The store file. */
    Path file() {
        return file;
    }

    /** The server this list syncs with. */
    String server() {
        return server;
    }

    /** Every item, oldest first (items not synced yet last, in the order they were added). */
    List<TodoItem> items() {
        List<TodoItem> items = new ArrayList<>(table.query().list().items());
        Map<String, Instant> queued = new HashMap<>();
        for (PendingOperation op : pending()) {
            queued.put(op.itemId(), op.queuedAt());
        }
        Instant never = Instant.MAX;
        items.sort(Comparator.comparing((TodoItem item) -> item.createdAt() == null ? never : item.createdAt())
                .thenComparing(item -> queued.getOrDefault(item.id(), never))
                .thenComparing(TodoItem::id));
        return items;
    }

    /**
     * The item whose id is {@code typed} or starts with it.
     *
     * @throws UnknownIdException   if there is none
     * @throws AmbiguousIdException if several ids start with it
     */
    TodoItem find(String typed) {
        String id = ShortIds.resolve(typed, ids(), "item");
        return lookup(id).orElseThrow(() -> new UnknownIdException(typed, "item"));
    }

    /** Each item's shortest unique id prefix (see {@link ShortIds}). */
    Map<String, String> shortIds() {
        return ShortIds.of(ids());
    }

    private List<String> ids() {
        List<String> ids = new ArrayList<>();
        for (TodoItem item : table.query().select(SystemColumns.ID).list().items()) {
            ids.add(item.id());
        }
        return ids;
    }

    /** The queued change of each item that has one, by item id. */
    Map<String, PendingOperation> pendingByItem() {
        Map<String, PendingOperation> byItem = new HashMap<>();
        for (PendingOperation op : pending()) {
            byItem.put(op.itemId(), op);
        }
        return byItem;
    }

    /** The item {@code id}, if it is in the store. */
    Optional<TodoItem> lookup(String id) {
        return table.lookup(id);
    }

    /**
     * Adds an open item; returns it with its new id. The id is a random UUID rather than the client's time-ordered
     * one: people type ids by a unique prefix, and random ids differ in their first characters.
     */
    TodoItem add(String text) {
        return table.insert(TodoItem.of(text).withId(UUID.randomUUID().toString()));
    }

    /**
     * Stores an item's new text and completion; returns it as stored. Other properties of its record (columns this
     * app does not know, which another app may use) are kept as they are.
     *
     * @throws UnknownIdException if the item is no longer in the store
     */
    TodoItem update(TodoItem item) {
        try {
            return table.update(item);
        } catch (RecordNotFoundException e) {
            throw new UnknownIdException(item.id(), "item");
        }
    }

    /** Removes an item. */
    void remove(TodoItem item) {
        table.deleteById(item.id());
    }

    /** The user whose list this store holds (the one it first synced as), if any. */
    Optional<String> owner() {
        return sync.owner();
    }

    /**
     * Signs the store out: pushes what is queued and clears the local list.
     *
     * @param force also when changes could not be pushed (they are dropped)
     * @throws IllegalStateException if changes could not be pushed and {@code force} is false (nothing cleared)
     */
    void signOut(boolean force) {
        sync.signOut(force);
    }

    /** The queued changes of the list, oldest first (parked ones included). */
    List<PendingOperation> pending() {
        List<PendingOperation> ops = new ArrayList<>();
        for (PendingOperation op : sync.pendingOperations()) {
            if (op.table().equalsIgnoreCase(TABLE)) {
                ops.add(op);
            }
        }
        return ops;
    }

    /** The parked changes: conflicts left for the user, changes the server refused, server failures. */
    List<Parked> parked() {
        List<Parked> parked = new ArrayList<>();
        for (PendingOperation op : pending()) {
            if (op.isParked()) {
                TodoItem mine = op.kind() == OperationKind.DELETE ? null : lookup(op.itemId()).orElse(null);
                parked.add(new Parked(op, mine, op.serverRecord()));
            }
        }
        return parked;
    }

    /**
     * The parked change of the item whose id is {@code typed} or starts with it.
     *
     * @throws UnknownIdException   if no parked change has such an id
     * @throws AmbiguousIdException if several do
     */
    Parked findParked(String typed) {
        List<Parked> parked = parked();
        List<String> ids = new ArrayList<>();
        for (Parked p : parked) {
            ids.add(p.operation().itemId());
        }
        String id = ShortIds.resolve(typed, ids, "conflict");
        return parked.stream().filter(p -> p.operation().itemId().equals(id)).findFirst().orElseThrow();
    }

    /** Resolves a parked change; the next sync sends what is left to send. */
    void resolve(Parked parked, ConflictResolution resolution) {
        sync.resolve(parked.operation(), resolution);
    }

    /**
     * Pushes the queued changes, then pulls the server's changes since the last pull.
     *
     * @throws dev.outpost.client.exception.NetworkException if the server cannot be reached; every change stays queued
     */
    /**
     * Keeps the list in sync with the server from now on (see {@code SyncContext.startLiveSync}): pulls as soon as the
     * server announces a change, pushes local changes soon after they are made, under the same query id as
     * {@link #sync()}. Polls every {@code pollInterval} a server without change events.
     */
    LiveSync startLiveSync(Duration pollInterval) {
        return sync.startLiveSync(LiveSyncOptions.builder().table(TABLE, Query.all(), QUERY_ID)
                .pollInterval(pollInterval).build());
    }

    SyncResult sync() {
        PushResult push = sync.push();
        PullResult pull = table.pull(QUERY_ID);
        return new SyncResult(push, pull);
    }

    @Override
    public void close() {
        store.close();
    }
}
