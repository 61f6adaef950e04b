package dev.outpost.client.sqlite;

import dev.outpost.client.exception.LocalStoreException;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.store.StoreChangeListener;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.store.TableDefinition;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * A {@link LocalStore} in one SQLite file, through sqlite-jdbc.
 *
 * <p>The file is opened in WAL mode with {@code synchronous=NORMAL}: a commit survives an app crash, and at worst
 * the last commits before a power loss are lost (never a half-written transaction). The store holds the file's lock
 * exclusively while it is open ({@code locking_mode=EXCLUSIVE}): open one store per file, and close it before
 * another process (or another store) opens the file. The layout version is kept in
 * {@code PRAGMA user_version}; a file written by a newer layout is refused. Each user table has the text primary
 * key {@code id}, one column per defined column, and a hidden JSON column ({@value TableDefinition#EXTRAS_COLUMN})
 * that keeps properties the table does not define (for example new columns the server added), so that records
 * round-trip without loss. Only defined columns can be queried. Tables are created {@code WITHOUT ROWID}, clustered on
 * the id (stores written by earlier versions keep their rowid tables; both read and write the same way).
 *
 * <pre>{@code
 * try (SqliteLocalStore store = SqliteLocalStore.open(dataDir.resolve("app.db"))) {
 *     store.defineTable(TableDefinition.builder("todoitem").withSystemColumns()
 *             .column("text", ColumnType.STRING).build());
 * }
 * }</pre>
 *
 * <p>The store is a small shell over package-private parts: {@code StoreSchema} (layout version, table
 * definitions, DDL), {@code SqliteTransaction} (the reads and writes), {@code RecordRows} (records as rows and back),
 * {@code StatementCache} and {@code Checkpointer}.
 *
 * <p>Thread-safe: one connection, used by one transaction at a time (a {@link ReentrantLock} held for the length
 * of each transaction, never across network I/O since a transaction callback does no network I/O).
 *
 * <p>The WAL is checkpointed by the store itself: about 100 ms after a commit that changed rows, a daemon thread
 * ({@code outpost-store-checkpoint}) takes the lock and copies the committed pages into the file (a passive
 * checkpoint), so that no commit pays for it inline; SQLite's automatic checkpoint stays on as a bound, at
 * 20,000 pages. {@link #close()} stops the thread, and closing the connection checkpoints what is left.
 */
public final class SqliteLocalStore implements LocalStore {
    private static final int AUTO_CHECKPOINT_PAGES = 20_000;

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<StoreChangeListener> listeners = new CopyOnWriteArrayList<>();
    private final StoreSchema schema;
    private final StatementCache statements;
    private final SqliteTransaction transaction;
    private final Checkpointer checkpointer = new Checkpointer(this::checkpoint);
    // Guarded by lock.
    private int depth;
    private volatile boolean closed;

    private SqliteLocalStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
        this.schema = new StoreSchema(file, connection);
        this.statements = new StatementCache(connection);
        this.transaction = new SqliteTransaction(schema, statements, () -> lock.isHeldByCurrentThread() && depth > 0);
    }

    /**
     * Opens (creating if needed) the store in {@code file}.
     *
     * @throws LocalStoreException if the file cannot be opened or was written by a newer version of Outpost
     */
    public static SqliteLocalStore open(Path file) {
        Connection connection;
        try {
            // The store's lock already lets one thread at a time use the connection, so SQLite's own per-call mutex
            // (taken for every column read and bind) is left out.
            SQLiteConfig config = new SQLiteConfig();
            config.setOpenMode(SQLiteOpenMode.NOMUTEX);
            connection = config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw new LocalStoreException("cannot open local store " + file + ": " + e.getMessage(), e);
        }
        SqliteLocalStore store = new SqliteLocalStore(file, connection);
        try {
            configure(connection);
            store.schema.load();
        } catch (SQLException | RuntimeException e) {
            store.close();
            if (e instanceof LocalStoreException lse) {
                throw lse;
            }
            throw new LocalStoreException("cannot open local store " + file + ": " + e.getMessage(), e);
        }
        return store;
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    private static void configure(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA busy_timeout = 10000");
            try (ResultSet rs = statement.executeQuery("PRAGMA journal_mode = WAL")) {
                rs.next();
            }
            statement.execute("PRAGMA synchronous = NORMAL");
            // The store checkpoints the WAL itself, shortly after commits and off the committing thread; SQLite's own
            // automatic checkpoint stays as a bound, at a size the store's checkpoints keep it from reaching.
            statement.execute("PRAGMA wal_autocheckpoint = " + AUTO_CHECKPOINT_PAGES);
            // One connection owns the file: exclusive locking spares the shared-memory index and the file locks of
            // every transaction (a commit costs about half as much), at the price of other processes not being able
            // to open the file while the store is open.
            try (ResultSet rs = statement.executeQuery("PRAGMA locking_mode = EXCLUSIVE")) {
                rs.next();
            }
        }
    }

    @Override
    public void defineTable(TableDefinition definition) {
        useTransaction(tx -> {
            try {
                schema.define(definition, transaction, statements);
            } catch (SQLException e) {
                throw new LocalStoreException("cannot define table '" + definition.name() + "': " + e.getMessage(), e);
            }
        });
    }

    @Override
    public Optional<TableDefinition> tableDefinition(String name) {
        return schema.definition(name);
    }

    @Override
    public <R> R inTransaction(Function<StoreTransaction, R> work) {
        Set<String> committed = null;
        R result;
        lock.lock();
        try {
            checkOpen();
            String savepoint = "sp" + depth;
            execute(depth == 0 ? "BEGIN IMMEDIATE" : "SAVEPOINT " + savepoint);
            if (depth == 0) {
                transaction.begin();
            }
            depth++;
            try {
                result = work.apply(transaction);
            } catch (RuntimeException | Error e) {
                depth--;
                rollback(savepoint, e);
                throw e;
            }
            depth--;
            if (depth == 0) {
                execute("COMMIT");
                committed = transaction.changed();
            } else {
                execute("RELEASE " + savepoint);
            }
        } finally {
            lock.unlock();
        }
        if (committed != null && !committed.isEmpty()) {
            if (!closed) {
                checkpointer.schedule();
            }
            if (!lock.isHeldByCurrentThread()) {
                notifyListeners(committed);
            }
        }
        return result;
    }

    /** A passive checkpoint of the WAL, under the lock, between transactions; run by the {@link Checkpointer}. */
    private void checkpoint() {
        lock.lock();
        try {
            if (!closed && depth == 0) {
                try (ResultSet rs = statements.prepare("PRAGMA wal_checkpoint(PASSIVE)").executeQuery()) {
                    rs.next();
                }
            }
        } catch (SQLException | RuntimeException e) {
            // A checkpoint that fails leaves the pages in the WAL, where they are safe; the next one copies them.
        } finally {
            lock.unlock();
        }
    }

    private void rollback(String savepoint, Throwable failure) {
        try {
            execute(depth == 0 ? "ROLLBACK" : "ROLLBACK TO " + savepoint);
            if (depth > 0) {
                execute("RELEASE " + savepoint);
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        // A rolled-back DDL statement may have changed what the cached definitions say: reload them.
        try {
            schema.reload();
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void notifyListeners(Set<String> tablesChanged) {
        Set<String> view = Collections.unmodifiableSet(tablesChanged);
        for (StoreChangeListener listener : listeners) {
            try {
                listener.tablesChanged(view);
            } catch (RuntimeException e) {
                // Listeners must not throw; one that does must not break the store or the other listeners.
            }
        }
    }

    /** Runs a transaction-control statement, prepared once and kept (they are run for every transaction). */
    private void execute(String sql) {
        try {
            statements.prepare(sql).execute();
        } catch (SQLException e) {
            throw new LocalStoreException(sql + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void addChangeListener(StoreChangeListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeChangeListener(StoreChangeListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        checkpointer.close();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            statements.clear();
            connection.close();
        } catch (SQLException e) {
            throw new LocalStoreException("cannot close local store " + file + ": " + e.getMessage(), e);
        } finally {
            lock.unlock();
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("local store " + file + " is closed");
        }
    }
}
