package dev.outpost.client.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.internal.store.ColumnValues;
import dev.outpost.client.internal.store.SqlFragment;
import dev.outpost.client.internal.store.SqliteQueryTranslator;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.Query;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * <p>Thread-safe: one connection, used by one transaction at a time (a {@link ReentrantLock} held for the length
 * of each transaction, never across network I/O since a transaction callback does no network I/O).
 *
 * <p>The WAL is checkpointed by the store itself: about 100 ms after a commit that changed rows, a daemon thread
 * ({@code outpost-store-checkpoint}) takes the lock and copies the committed pages into the file (a passive
 * checkpoint), so that no commit pays for it inline; SQLite's automatic checkpoint stays on as a bound, at
 * 20,000 pages. {@link #close()} stops the thread, and closing the connection checkpoints what is left.
 */
public final class SqliteLocalStore implements LocalStore {
    /** The store layout this code writes; kept in {@code PRAGMA user_version}. */
    static final int LAYOUT_VERSION = 1;
    private static final int MAX_CACHED_STATEMENTS = 256;
    private static final int AUTO_CHECKPOINT_PAGES = 20_000;
    private static final long CHECKPOINT_DELAY_MILLIS = 100;

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, TableDefinition> tables = new ConcurrentHashMap<>();
    private final List<StoreChangeListener> listeners = new CopyOnWriteArrayList<>();
    // Guarded by lock.
    // Prepared statements by SQL text, least recently used first; the text depends only on a query's shape, but an
    // app can make many shapes (an IN list of each length), so the cache is bounded.
    private final Map<String, PreparedStatement> statements = new LinkedHashMap<>(64, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
            if (size() <= MAX_CACHED_STATEMENTS) {
                return false;
            }
            closeQuietly(eldest.getValue());
            return true;
        }
    };
    private final Map<String, String> upsertSql = new HashMap<>();
    private final Transaction transaction = new Transaction();
    private int depth;
    private Set<String> changed;
    private volatile boolean closed;
    // Checkpoints run here, after commits, instead of inside the commit that crosses SQLite's threshold.
    private final ScheduledExecutorService checkpointer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "outpost-store-checkpoint");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicBoolean checkpointScheduled = new AtomicBoolean();

    private SqliteLocalStore(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
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
            store.initialize();
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

    private void initialize() throws SQLException {
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
            int version;
            try (ResultSet rs = statement.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > LAYOUT_VERSION) {
                throw new LocalStoreException("local store " + file + " has layout " + version
                        + ", written by a newer Outpost (this one reads up to " + LAYOUT_VERSION + ")");
            }
            if (version < LAYOUT_VERSION) {
                statement.execute("PRAGMA user_version = " + LAYOUT_VERSION);
            }
            List<String> names = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery(
                    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            for (String name : names) {
                tables.put(key(name), readDefinition(statement, name));
            }
        }
    }

    private static TableDefinition readDefinition(Statement statement, String name) throws SQLException {
        TableDefinition.Builder builder = TableDefinition.systemTableBuilder(name);
        try (ResultSet rs = statement.executeQuery("PRAGMA table_info(" + SqliteQueryTranslator.quote(name) + ")")) {
            while (rs.next()) {
                String column = rs.getString("name");
                String key = column.toLowerCase(Locale.ROOT);
                if (!key.equals(SystemColumns.ID) && !key.equals(TableDefinition.EXTRAS_COLUMN)) {
                    builder.column(column, ColumnType.fromSqlType(rs.getString("type")));
                }
            }
        }
        return builder.build();
    }

    @Override
    public void defineTable(TableDefinition definition) {
        useTransaction(tx -> {
            try {
                define(definition);
            } catch (SQLException e) {
                throw new LocalStoreException("cannot define table '" + definition.name() + "': " + e.getMessage(), e);
            }
        });
    }

    private void define(TableDefinition definition) throws SQLException {
        String table = SqliteQueryTranslator.quote(definition.name());
        TableDefinition existing = tables.get(key(definition.name()));
        TableDefinition.Builder merged;
        try (Statement statement = connection.createStatement()) {
            if (existing == null) {
                List<String> columns = new ArrayList<>();
                for (TableDefinition.Column column : definition.columns().values()) {
                    columns.add(SqliteQueryTranslator.quote(column.name()) + " " + column.type().sqlType()
                            + (column.name().equals(SystemColumns.ID) ? " PRIMARY KEY NOT NULL" : ""));
                }
                columns.add(SqliteQueryTranslator.quote(TableDefinition.EXTRAS_COLUMN) + " "
                        + ColumnType.JSON.sqlType());
                // Clustered on the id: one b-tree fewer to write on every change than a rowid table with an id index.
                statement.execute("CREATE TABLE " + table + " (" + String.join(", ", columns) + ") WITHOUT ROWID");
                merged = definition.newBuilder();
            } else {
                merged = existing.newBuilder();
                for (TableDefinition.Column column : definition.columns().values()) {
                    TableDefinition.Column current = existing.column(column.name());
                    if (current == null) {
                        statement.execute("ALTER TABLE " + table + " ADD COLUMN "
                                + SqliteQueryTranslator.quote(column.name()) + " " + column.type().sqlType());
                        merged.column(column.name(), column.type());
                    } else if (current.type() != column.type()) {
                        throw new IllegalArgumentException("column '" + column.name() + "' of local table '"
                                + definition.name() + "' is " + current.type() + " and cannot become "
                                + column.type() + " (columns are only ever added)");
                    }
                }
                for (List<String> index : definition.indexes()) {
                    merged.index(index.toArray(new String[0]));
                }
            }
            for (List<String> index : definition.indexes()) {
                List<String> quoted = new ArrayList<>();
                for (String column : index) {
                    quoted.add(SqliteQueryTranslator.quote(column));
                }
                String indexName = "ix_" + definition.name() + "_" + String.join("_", index);
                statement.execute("CREATE INDEX IF NOT EXISTS " + SqliteQueryTranslator.quote(indexName) + " ON "
                        + table + " (" + String.join(", ", quoted) + ")");
            }
        }
        TableDefinition result = merged.build();
        tables.put(key(definition.name()), result);
        closeStatements();
        if (existing != null && result.columns().size() > existing.columns().size()) {
            moveExtrasIntoNewColumns(result);
        }
    }

    /**
     * Rewrites the records that kept properties in the extras column, so that values of newly defined columns move
     * out of the extras into them (and become queryable). A value that does not fit its new column stays in the
     * extras.
     */
    private void moveExtrasIntoNewColumns(TableDefinition table) {
        List<ObjectNode> rows = transaction.select(table, "SELECT * FROM " + SqliteQueryTranslator.quote(table.name())
                + " WHERE " + SqliteQueryTranslator.quote(TableDefinition.EXTRAS_COLUMN) + " IS NOT NULL", List.of(),
                List.of());
        for (ObjectNode row : rows) {
            try {
                transaction.upsert(table.name(), row);
            } catch (IllegalArgumentException e) {
                // The value does not fit the new column's type: the record keeps it in its extras.
            }
        }
    }

    @Override
    public Optional<TableDefinition> tableDefinition(String name) {
        return Optional.ofNullable(tables.get(key(name)));
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
                changed = new LinkedHashSet<>();
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
                committed = changed;
                changed = null;
            } else {
                execute("RELEASE " + savepoint);
            }
        } finally {
            lock.unlock();
        }
        if (committed != null && !committed.isEmpty()) {
            scheduleCheckpoint();
            if (!lock.isHeldByCurrentThread()) {
                notifyListeners(committed);
            }
        }
        return result;
    }

    /**
     * Copies the WAL's committed pages into the database file a moment after a commit, on the checkpoint thread:
     * the commit that crosses SQLite's threshold does not pay for it (after a pull's page, that was a third of the
     * page's time). One checkpoint is scheduled at a time; it takes the store's lock, like a transaction.
     */
    private void scheduleCheckpoint() {
        if (closed || !checkpointScheduled.compareAndSet(false, true)) {
            return;
        }
        try {
            checkpointer.schedule(this::checkpoint, CHECKPOINT_DELAY_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // Closing: the connection's close checkpoints the WAL.
            checkpointScheduled.set(false);
        }
    }

    private void checkpoint() {
        checkpointScheduled.set(false);
        lock.lock();
        try {
            if (!closed && depth == 0) {
                try (ResultSet rs = prepare("PRAGMA wal_checkpoint(PASSIVE)").executeQuery()) {
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
            if (depth == 0) {
                changed = null;
                execute("ROLLBACK");
            } else {
                execute("ROLLBACK TO " + savepoint);
                execute("RELEASE " + savepoint);
            }
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
        // A rolled-back DDL statement may have changed what the cached definitions say: reload them.
        try (Statement statement = connection.createStatement()) {
            for (String name : new ArrayList<>(tables.keySet())) {
                tables.put(name, readDefinition(statement, tables.get(name).name()));
            }
        } catch (SQLException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private void notifyListeners(Set<String> tablesChanged) {
        Set<String> view = java.util.Collections.unmodifiableSet(tablesChanged);
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
            prepare(sql).execute();
        } catch (SQLException e) {
            throw new LocalStoreException(sql + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void addChangeListener(StoreChangeListener listener) {
        listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public void removeChangeListener(StoreChangeListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void close() {
        checkpointer.shutdownNow();
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            closeStatements();
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

    private void closeStatements() {
        for (PreparedStatement statement : statements.values()) {
            closeQuietly(statement);
        }
        statements.clear();
        upsertSql.clear();
    }

    private static void closeQuietly(PreparedStatement statement) {
        try {
            statement.close();
        } catch (SQLException e) {
            // Closing a cached statement cannot fail in a way that matters: the connection stays usable.
        }
    }

    private PreparedStatement prepare(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private TableDefinition table(String name) {
        TableDefinition definition = tables.get(key(name));
        if (definition == null) {
            throw new IllegalArgumentException("unknown local table '" + name + "': define it first");
        }
        return definition;
    }

    /** The transaction view; only ever used by the thread holding {@link #lock}. */
    private final class Transaction implements StoreTransaction {

        private void checkActive() {
            if (!lock.isHeldByCurrentThread() || depth == 0) {
                throw new IllegalStateException("a StoreTransaction was used outside its transaction callback");
            }
        }

        @Override
        public void upsert(String table, ObjectNode record) {
            upsert(table, List.of(record));
        }

        @Override
        public void upsert(String tableName, List<ObjectNode> records) {
            checkActive();
            if (records.isEmpty()) {
                return;
            }
            TableDefinition table = table(tableName);
            List<TableDefinition.Column> columns = new ArrayList<>(table.columns().values());
            PreparedStatement statement;
            try {
                String sql = upsertSql.computeIfAbsent(key(table.name()), k -> upsertSql(table, columns));
                statement = prepare(sql);
                if (records.size() == 1) {
                    bindRecord(statement, table, columns, records.get(0));
                    statement.executeUpdate();
                } else {
                    try {
                        for (ObjectNode record : records) {
                            bindRecord(statement, table, columns, record);
                            statement.addBatch();
                        }
                        statement.executeBatch();
                    } finally {
                        // The statement is kept: a record refused half-way must not leave the others batched in it.
                        statement.clearBatch();
                    }
                }
            } catch (SQLException e) {
                throw new LocalStoreException("cannot write to local table '" + table.name() + "': "
                        + e.getMessage(), e);
            }
            changed.add(table.name());
        }

        private String upsertSql(TableDefinition table, List<TableDefinition.Column> columns) {
            StringBuilder names = new StringBuilder();
            StringBuilder values = new StringBuilder();
            StringBuilder updates = new StringBuilder();
            for (TableDefinition.Column column : columns) {
                String quoted = SqliteQueryTranslator.quote(column.name());
                names.append(quoted).append(", ");
                values.append("?, ");
                if (!column.name().equals(SystemColumns.ID)) {
                    updates.append(quoted).append(" = excluded.").append(quoted).append(", ");
                }
            }
            String extras = SqliteQueryTranslator.quote(TableDefinition.EXTRAS_COLUMN);
            return "INSERT INTO " + SqliteQueryTranslator.quote(table.name()) + " (" + names + extras
                    + ") VALUES (" + values + "?) ON CONFLICT(" + SqliteQueryTranslator.quote(SystemColumns.ID)
                    + ") DO UPDATE SET " + updates + extras + " = excluded." + extras;
        }

        private void bindRecord(PreparedStatement statement, TableDefinition table,
                List<TableDefinition.Column> columns, ObjectNode record) throws SQLException {
            // Fast path: properties spelled exactly like their columns (what servers send). Only when some are not
            // found that way are the record's properties matched ignoring case, and the rest go to the extras.
            JsonNode[] values = new JsonNode[columns.size()];
            int matched = 0;
            for (int i = 0; i < values.length; i++) {
                values[i] = record.get(columns.get(i).name());
                if (values[i] != null) {
                    matched++;
                }
            }
            ObjectNode extras = null;
            if (matched < record.size()) {
                for (Map.Entry<String, JsonNode> field : record.properties()) {
                    TableDefinition.Column column = table.column(field.getKey());
                    if (column == null) {
                        if (extras == null) {
                            extras = Json.object();
                        }
                        extras.set(field.getKey(), field.getValue());
                    } else if (!column.name().equals(field.getKey())) {
                        values[columns.indexOf(column)] = field.getValue();
                    }
                }
            }
            JsonNode id = values[0];
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                throw new IllegalArgumentException("a record for local table '" + table.name()
                        + "' has no string id");
            }
            for (int i = 0; i < values.length; i++) {
                statement.setObject(i + 1, ColumnValues.toSql(table.name(), columns.get(i), values[i]));
            }
            statement.setObject(values.length + 1, extras == null ? null : Json.write(extras));
        }

        /**
         * Changes whose properties are all defined columns, spelled as such, are written column-wise: a run of
         * changes of one shape with one prepared {@code UPDATE}. Others (properties kept in the extras) are merged
         * into the record and upserted. Changes are applied in their order.
         */
        @Override
        public int update(String tableName, List<ObjectNode> changes) {
            checkActive();
            TableDefinition table = table(tableName);
            int updated = 0;
            List<String> runShape = null;
            List<ObjectNode> run = new ArrayList<>();
            for (ObjectNode change : changes) {
                List<String> shape = columnShape(table, change);
                if (!run.isEmpty() && !java.util.Objects.equals(shape, runShape)) {
                    updated += updateRun(table, runShape, run);
                    run.clear();
                }
                runShape = shape;
                run.add(change);
            }
            if (!run.isEmpty()) {
                updated += updateRun(table, runShape, run);
            }
            return updated;
        }

        /** The change's columns in its order, or {@code null} if it must be merged (see {@link #update}). */
        private List<String> columnShape(TableDefinition table, ObjectNode change) {
            JsonNode id = change.get(SystemColumns.ID);
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                throw new IllegalArgumentException("a change for local table '" + table.name() + "' has no string id");
            }
            List<String> shape = new ArrayList<>(change.size());
            for (Map.Entry<String, JsonNode> field : change.properties()) {
                String name = field.getKey();
                if (!name.equals(SystemColumns.ID)) {
                    TableDefinition.Column column = table.column(name);
                    if (column == null || !column.name().equals(name)) {
                        return null;
                    }
                    shape.add(name);
                }
            }
            return shape.isEmpty() ? null : shape;
        }

        private int updateRun(TableDefinition table, List<String> shape, List<ObjectNode> run) {
            if (shape == null) {
                return StoreTransaction.super.update(table.name(), run);
            }
            StringBuilder sql = new StringBuilder("UPDATE ").append(SqliteQueryTranslator.quote(table.name()))
                    .append(" SET ");
            for (int i = 0; i < shape.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(SqliteQueryTranslator.quote(shape.get(i))).append(" = ?");
            }
            sql.append(" WHERE ").append(SqliteQueryTranslator.quote(SystemColumns.ID)).append(" = ?");
            int updated = 0;
            try {
                PreparedStatement statement = prepare(sql.toString());
                try {
                    for (ObjectNode change : run) {
                        for (int i = 0; i < shape.size(); i++) {
                            statement.setObject(i + 1, ColumnValues.toSql(table.name(), table.column(shape.get(i)),
                                    change.get(shape.get(i))));
                        }
                        statement.setString(shape.size() + 1, change.get(SystemColumns.ID).asText());
                        statement.addBatch();
                    }
                    for (int count : statement.executeBatch()) {
                        updated += Math.max(count, 0);
                    }
                } finally {
                    // The statement is kept: a change refused half-way must not leave the others batched in it.
                    statement.clearBatch();
                }
            } catch (SQLException e) {
                throw new LocalStoreException("cannot update local table '" + table.name() + "': "
                        + e.getMessage(), e);
            }
            if (updated > 0) {
                changed.add(table.name());
            }
            return updated;
        }

        @Override
        public boolean delete(String tableName, String id) {
            checkActive();
            TableDefinition table = table(tableName);
            try {
                PreparedStatement statement = prepare("DELETE FROM " + SqliteQueryTranslator.quote(table.name())
                        + " WHERE " + SqliteQueryTranslator.quote(SystemColumns.ID) + " = ?");
                statement.setString(1, id);
                boolean deleted = statement.executeUpdate() > 0;
                if (deleted) {
                    changed.add(table.name());
                }
                return deleted;
            } catch (SQLException e) {
                throw new LocalStoreException("cannot delete from local table '" + table.name() + "': "
                        + e.getMessage(), e);
            }
        }

        @Override
        public int deleteWhere(String tableName, Filter filter) {
            checkActive();
            TableDefinition table = table(tableName);
            SqlFragment where = new SqliteQueryTranslator(table).where(filter);
            try {
                PreparedStatement statement = prepare("DELETE FROM " + SqliteQueryTranslator.quote(table.name())
                        + " WHERE " + where.sql());
                bind(statement, where.parameters());
                int count = statement.executeUpdate();
                if (count > 0) {
                    changed.add(table.name());
                }
                return count;
            } catch (SQLException e) {
                throw new LocalStoreException("cannot delete from local table '" + table.name() + "': "
                        + e.getMessage(), e);
            }
        }

        @Override
        public Optional<ObjectNode> lookup(String tableName, String id) {
            checkActive();
            TableDefinition table = table(tableName);
            List<ObjectNode> rows = select(table, "SELECT * FROM " + SqliteQueryTranslator.quote(table.name())
                    + " WHERE " + SqliteQueryTranslator.quote(SystemColumns.ID) + " = ?", List.of(id), List.of());
            return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
        }

        @Override
        public List<ObjectNode> query(String tableName, Query query) {
            checkActive();
            TableDefinition table = table(tableName);
            SqliteQueryTranslator translator = new SqliteQueryTranslator(table);
            translator.checkSelection(query.select());
            SqlFragment where = translator.where(query.filter());
            List<Object> parameters = new ArrayList<>(where.parameters());
            StringBuilder sql = new StringBuilder("SELECT ").append(selectList(table, query.select()))
                    .append(" FROM ").append(SqliteQueryTranslator.quote(table.name()))
                    .append(" WHERE ").append(where.sql())
                    .append(" ORDER BY ").append(translator.orderBy(query.orderBy()));
            if (query.top() != null || query.skip() != null) {
                sql.append(" LIMIT ? OFFSET ?");
                parameters.add(query.top() == null ? -1 : query.top());
                parameters.add(query.skip() == null ? 0 : query.skip());
            }
            return select(table, sql.toString(), parameters, query.select());
        }

        @Override
        public long count(String tableName, Filter filter) {
            checkActive();
            TableDefinition table = table(tableName);
            SqlFragment where = new SqliteQueryTranslator(table).where(filter);
            try {
                PreparedStatement statement = prepare("SELECT COUNT(*) FROM "
                        + SqliteQueryTranslator.quote(table.name()) + " WHERE " + where.sql());
                bind(statement, where.parameters());
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? rs.getLong(1) : 0;
                }
            } catch (SQLException e) {
                throw new LocalStoreException("cannot count local table '" + table.name() + "': " + e.getMessage(),
                        e);
            }
        }

        /**
         * The columns to read: only the selected ones when each names a defined column (in the table's order, as
         * {@code *} would give them); otherwise all, and the selection is made from the records.
         */
        private String selectList(TableDefinition table, List<String> selection) {
            if (selection.isEmpty()) {
                return "*";
            }
            Set<String> wanted = new java.util.HashSet<>();
            for (String name : selection) {
                TableDefinition.Column column = table.column(name);
                if (column == null) {
                    return "*";
                }
                wanted.add(column.name());
            }
            StringBuilder list = new StringBuilder();
            for (TableDefinition.Column column : table.columns().values()) {
                if (wanted.contains(column.name())) {
                    list.append(list.length() == 0 ? "" : ", ").append(SqliteQueryTranslator.quote(column.name()));
                }
            }
            return list.toString();
        }

        private List<ObjectNode> select(TableDefinition table, String sql, List<Object> parameters,
                List<String> selection) {
            try {
                PreparedStatement statement = prepare(sql);
                bind(statement, parameters);
                List<ObjectNode> rows = new ArrayList<>();
                try (ResultSet rs = statement.executeQuery()) {
                    ResultSetMetaData meta = rs.getMetaData();
                    int count = meta.getColumnCount();
                    TableDefinition.Column[] columns = new TableDefinition.Column[count + 1];
                    int extrasIndex = -1;
                    for (int i = 1; i <= count; i++) {
                        String name = meta.getColumnName(i);
                        if (name.equalsIgnoreCase(TableDefinition.EXTRAS_COLUMN)) {
                            extrasIndex = i;
                        } else {
                            columns[i] = table.column(name);
                        }
                    }
                    while (rs.next()) {
                        ObjectNode row = Json.object();
                        for (int i = 1; i <= count; i++) {
                            if (columns[i] != null) {
                                row.set(columns[i].name(), ColumnValues.fromSql(rs, i, columns[i].type()));
                            }
                        }
                        if (extrasIndex > 0) {
                            String extras = rs.getString(extrasIndex);
                            if (extras != null) {
                                Json.parse(extras).properties().forEach(f -> row.set(f.getKey(), f.getValue()));
                            }
                        }
                        rows.add(selection.isEmpty() ? row : project(row, selection));
                    }
                }
                return rows;
            } catch (SQLException e) {
                throw new LocalStoreException("cannot read local table '" + table.name() + "': " + e.getMessage(), e);
            }
        }

        private ObjectNode project(ObjectNode row, List<String> selection) {
            Map<String, String> wanted = new LinkedHashMap<>();
            for (String name : selection) {
                wanted.put(name.toLowerCase(Locale.ROOT), name);
            }
            ObjectNode projected = Json.object();
            row.properties().forEach(field -> {
                if (wanted.containsKey(field.getKey().toLowerCase(Locale.ROOT))) {
                    projected.set(field.getKey(), field.getValue());
                }
            });
            return projected;
        }
    }
}
