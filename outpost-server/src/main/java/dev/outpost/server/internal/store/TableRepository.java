package dev.outpost.server.internal.store;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.ETags;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.server.internal.sql.SqlDialect;
import dev.outpost.server.internal.sql.SqlFragment;
import dev.outpost.server.internal.sql.TableClock;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.Names;
import dev.outpost.server.internal.table.TableSchema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Records of every table in SQL: insert, read, update (merge or replace), delete (soft or hard), undelete, streamed
 * queries, counts and tombstone purge.
 *
 * <p>Write methods run inside a transaction the caller owns (see {@link GroupCommitter}), after the table's
 * {@link TableClock} was locked: every writer of a table is serialised by that lock, so a record read at the start
 * of a write cannot change before the write's commit. They throw {@link RecordNotFoundException},
 * {@link RecordGoneException}, {@link VersionMismatchException} and {@link DuplicateIdException} for the expected
 * outcomes, always <em>before</em> changing anything, so a transaction shared with other writes can go on
 * ({@link GroupCommitter} relies on it). Thread-safe.
 */
public final class TableRepository {
    /** A sort key of a query. */
    public record Sort(Column column, boolean descending) {
    }

    /**
     * A query: columns to return, condition, order, offset and page size.
     *
     * @param columns the columns in output order
     * @param where   the condition ({@code null} for all rows)
     * @param orderBy the sort keys; {@code id} is appended as the final tie-breaker unless present
     * @param offset  rows to skip
     * @param limit   rows to write at most (one more is read to know whether more exist)
     */
    public record Select(List<Column> columns, SqlFragment where, List<Sort> orderBy, long offset, int limit) {
    }

    /**
     * What a streamed query wrote.
     *
     * @param written       rows written
     * @param more          whether at least one more row matched after them
     * @param lastUpdatedAt {@code updatedAt} of the last row written, or {@code null}
     * @param lastId        {@code id} of the last row written, or {@code null}
     */
    public record Page(int written, boolean more, Instant lastUpdatedAt, String lastId) {
    }

    /**
     * The most rows a streamed page reads in one round trip; larger pages are fetched in chunks of this size. A page
     * of 1,000 (the default v3 page size a client asks for, and the native pull's default) thus needs no cursor:
     * on PostgreSQL a cursor costs a transaction, a fetch per chunk and a rollback, measured at +45 % of
     * PostgreSQL's CPU and +10 % of the server's per page.
     */
    static final int CHUNK = 1_000;

    private final Database database;
    private final SqlDialect dialect;
    private final int maxParameters;

    /** A repository on {@code database}. */
    public TableRepository(Database database) {
        this(database, MAX_PARAMETERS);
    }

    /** A repository whose statements bind at most {@code maxParameters} parameters each (tests use few). */
    TableRepository(Database database, int maxParameters) {
        this.database = database;
        this.dialect = database.dialect();
        this.maxParameters = maxParameters;
    }

    /** The database this repository stores into. */
    public Database database() {
        return database;
    }

    // --- reads ------------------------------------------------------------------------------------------------

    /** Reads a record by id (tombstones included), or {@code null}. */
    public ObjectNode find(TableSchema schema, String id) {
        return find(schema, RowScope.ALL, id);
    }

    /** Reads a record by id (tombstones included) if it is in {@code scope}, or {@code null}. */
    public ObjectNode find(TableSchema schema, RowScope scope, String id) {
        return database.read(connection -> find(connection, schema, scope, id));
    }

    /** Reads a record by id (tombstones included) on {@code connection}, or {@code null}. */
    public ObjectNode find(Connection connection, TableSchema schema, String id) throws SQLException {
        return find(connection, schema, RowScope.ALL, id);
    }

    /** Reads a record by id (tombstones included) on {@code connection} if it is in {@code scope}, or {@code null}. */
    public ObjectNode find(Connection connection, TableSchema schema, RowScope scope, String id) throws SQLException {
        SqlFragment where = scope.and(new SqlFragment(q("id") + " = ?", List.of(id)));
        String sql = "SELECT " + columnList(schema.columns()) + " FROM " + table(schema) + " WHERE " + where.sql();
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, where.params());
            try (ResultSet rs = statement.executeQuery()) {
                return rs.next() ? RecordJson.read(rs, schema.columns(), dialect) : null;
            }
        }
    }

    /**
     * Streams the rows of {@code select} as JSON objects onto {@code out} (the caller writes the enclosing array)
     * without holding them in memory.
     */
    public Page stream(TableSchema schema, Select select, JsonGenerator out) {
        StringBuilder sql = new StringBuilder("SELECT ").append(columnList(select.columns())).append(" FROM ")
                .append(table(schema));
        List<Object> params = new ArrayList<>();
        where(sql, params, select.where());
        sql.append(" ORDER BY ");
        boolean hasId = false;
        for (Sort sort : select.orderBy()) {
            sql.append(q(sort.column().sqlName()));
            if (SystemColumns.isSystem(sort.column().name())) {
                // System columns are never null: a NULLS clause would stop PostgreSQL from walking the
                // (updatedAt, id) index in order and make it sort the whole table instead.
                sql.append(sort.descending() ? " DESC" : " ASC");
            } else {
                sql.append(sort.descending() ? " DESC NULLS LAST" : " ASC NULLS FIRST");
            }
            sql.append(", ");
            hasId |= sort.column().name().equals(SystemColumns.ID);
        }
        if (hasId) {
            sql.setLength(sql.length() - 2);
        } else {
            sql.append(q("id"));
        }
        sql.append(" LIMIT ? OFFSET ?");
        params.add((long) select.limit() + 1);
        params.add(select.offset());
        // Pages up to a chunk (and the row that tells whether more follow) come in one round trip; larger ones are
        // fetched in chunks (PostgreSQL needs a transaction for that), so the server never holds more than a chunk.
        boolean chunked = select.limit() > CHUNK;
        RecordJson.RowWriter rows = new RecordJson.RowWriter(select.columns(), dialect);
        return database.read(connection -> {
            if (chunked) {
                dialect.beginRead(connection);
            }
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                statement.setFetchSize(Math.min(select.limit() + 1, CHUNK));
                bind(statement, params);
                try (ResultSet rs = statement.executeQuery()) {
                    int written = 0;
                    boolean more = false;
                    while (rs.next()) {
                        if (written == select.limit()) {
                            more = true;
                            break;
                        }
                        rows.write(out, rs);
                        written++;
                    }
                    return new Page(written, more, rows.lastUpdatedAt(), rows.lastId());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                if (chunked) {
                    dialect.endRead(connection);
                }
            }
        });
    }

    /**
     * The {@code updatedAt} of the latest change in {@code scope} (tombstones included), or {@code null} when it has
     * no rows: the table's position as its event streams see it.
     */
    public Instant lastChange(TableSchema schema, RowScope scope) {
        StringBuilder sql = new StringBuilder("SELECT ").append(q("updatedAt")).append(" FROM ").append(table(schema));
        List<Object> params = new ArrayList<>();
        where(sql, params, scope.and(null));
        sql.append(" ORDER BY ").append(q("updatedAt")).append(" DESC LIMIT 1");
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                bind(statement, params);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next() ? (Instant) dialect.read(rs, 1, ColumnType.DATE)
                            : null;
                }
            }
        });
    }

    /** Counts the rows matching {@code where} ({@code null} for all). */
    public long count(TableSchema schema, SqlFragment where) {
        StringBuilder sql = new StringBuilder("SELECT COUNT(*) FROM ").append(table(schema));
        List<Object> params = new ArrayList<>();
        where(sql, params, where);
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                bind(statement, params);
                try (ResultSet rs = statement.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Whether more than {@code offset} rows match {@code where}. */
    public boolean existsBeyond(TableSchema schema, SqlFragment where, long offset) {
        StringBuilder sql = new StringBuilder("SELECT 1 FROM ").append(table(schema));
        List<Object> params = new ArrayList<>();
        where(sql, params, where);
        sql.append(" LIMIT 1 OFFSET ?");
        params.add(offset);
        return database.read(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
                bind(statement, params);
                try (ResultSet rs = statement.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    // --- writes -----------------------------------------------------------------------------------------------

    /**
     * Inserts a record.
     *
     * @throws DuplicateIdException if the id exists (tombstones included), with the stored record
     */
    public ObjectNode insert(Connection connection, TableClock clock, TableSchema schema, String id,
                             Map<Column, Object> values) throws SQLException {
        return insert(connection, clock, schema, RowScope.ALL, id, values);
    }

    /**
     * Inserts a record that must be in {@code scope}.
     *
     * @throws DuplicateIdException if the id exists (tombstones included), with the stored record when it is in
     *                              {@code scope} (else nothing of it)
     * @throws OutsideViewException if the new record would not be in {@code scope}
     */
    public ObjectNode insert(Connection connection, TableClock clock, TableSchema schema, RowScope scope, String id,
                             Map<Column, Object> values) throws SQLException {
        return checked(connection, scope.checkInserts(), schema, scope, id,
                () -> insertUnchecked(connection, clock, schema, scope, id, values));
    }

    private ObjectNode insertUnchecked(Connection connection, TableClock clock, TableSchema schema, RowScope scope,
                                       String id, Map<Column, Object> values) throws SQLException {
        Instant now = Instant.ofEpochMilli(clock.next());
        StringBuilder names = new StringBuilder();
        StringBuilder placeholders = new StringBuilder();
        List<Column> bound = new ArrayList<>();
        List<Object> boundValues = new ArrayList<>();
        for (Column column : schema.userColumns()) {
            names.append(q(column.sqlName())).append(", ");
            placeholders.append(dialect.placeholder(column.type())).append(", ");
            bound.add(column);
            boundValues.add(values.get(column));
        }
        Object[] system = {id, now, now, RecordJson.version(now.toEpochMilli()), Boolean.FALSE};
        for (int i = 0; i < TableSchema.SYSTEM_COLUMNS.size(); i++) {
            Column column = TableSchema.SYSTEM_COLUMNS.get(i);
            names.append(q(column.sqlName())).append(", ");
            placeholders.append("?, ");
            bound.add(column);
            boundValues.add(system[i]);
        }
        names.setLength(names.length() - 2);
        placeholders.setLength(placeholders.length() - 2);
        // ON CONFLICT DO NOTHING: an existing id (tombstones included) writes nothing and returns no row, without
        // the error that would abort a PostgreSQL transaction.
        String sql = "INSERT INTO " + table(schema) + " (" + names + ") VALUES (" + placeholders + ") ON CONFLICT ("
                + q("id") + ") DO NOTHING RETURNING " + columnList(schema.columns());
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < bound.size(); i++) {
                dialect.bind(statement, i + 1, bound.get(i).type(), boundValues.get(i));
            }
            try (ResultSet rs = statement.executeQuery()) {
                if (rs.next()) {
                    return RecordJson.read(rs, schema.columns(), dialect);
                }
            }
        }
        throw new DuplicateIdException(find(connection, schema, scope, id));
    }

    /**
     * An insert for the {@link GroupCommitter}: applied on its own like {@link #insert}, or together with the inserts
     * into the same table queued right after it, as one multi-row INSERT.
     */
    public GroupCommitter.Batchable<ObjectNode> insertion(TableSchema schema, String id, Map<Column, Object> values) {
        return insertion(schema, RowScope.ALL, id, values);
    }

    /** As {@link #insertion(TableSchema, String, Map)}, of a record that must be in {@code scope}. */
    public GroupCommitter.Batchable<ObjectNode> insertion(TableSchema schema, RowScope scope, String id,
                                                          Map<Column, Object> values) {
        return new Insertion(schema, scope, id, values);
    }

    /** One record of a multi-row insert. */
    private final class Insertion implements GroupCommitter.Batchable<ObjectNode> {
        private final TableSchema schema;
        private final RowScope scope;
        private final String id;
        private final Map<Column, Object> values;

        Insertion(TableSchema schema, RowScope scope, String id, Map<Column, Object> values) {
            this.schema = schema;
            this.scope = scope;
            this.id = id;
            this.values = values;
        }

        private TableRepository repository() {
            return TableRepository.this;
        }

        @Override
        public ObjectNode apply(Connection connection, TableClock clock) throws SQLException {
            return insert(connection, clock, schema, scope, id, values);
        }

        @Override
        public boolean batchesWith(GroupCommitter.Batchable<?> other) {
            // The same schema instance: a column added in between makes another column list.
            // One scope too (a duplicate's answer depends on it), and none whose inserts need checking.
            return other instanceof Insertion insertion && insertion.repository() == TableRepository.this
                    && insertion.schema == schema && insertion.scope.equals(scope) && !scope.checkInserts();
        }

        @Override
        public List<GroupCommitter.Outcome<ObjectNode>> applyAll(Connection connection, TableClock clock,
                List<GroupCommitter.Batchable<?>> writes) throws SQLException {
            List<Insertion> insertions = new ArrayList<>(writes.size());
            for (GroupCommitter.Batchable<?> write : writes) {
                insertions.add((Insertion) write);
            }
            return insertAll(connection, clock, schema, scope, insertions);
        }
    }

    /** The most parameters one statement binds by default (SQLite allows 32,766, PostgreSQL 65,535). */
    static final int MAX_PARAMETERS = 30_000;

    /**
     * Inserts records with one statement per chunk, each with its own {@code updatedAt} in list order, exactly as
     * {@link #insert} one after the other would: returns for each the stored record, or a refusal with a
     * {@link DuplicateIdException} holding the record that has its id (an earlier one of the list included).
     */
    private List<GroupCommitter.Outcome<ObjectNode>> insertAll(Connection connection, TableClock clock,
            TableSchema schema, RowScope scope, List<Insertion> insertions) throws SQLException {
        List<String> ids = new ArrayList<>(insertions.size());
        List<Map<Column, Object>> values = new ArrayList<>(insertions.size());
        long[] updatedAt = new long[insertions.size()];
        for (int i = 0; i < insertions.size(); i++) {
            ids.add(insertions.get(i).id);
            values.add(insertions.get(i).values);
            updatedAt[i] = clock.next();
        }
        List<ObjectNode> stored = insertRows(connection, schema, ids, values, updatedAt);
        List<GroupCommitter.Outcome<ObjectNode>> outcomes = new ArrayList<>(insertions.size());
        for (int i = 0; i < insertions.size(); i++) {
            ObjectNode record = stored.get(i);
            outcomes.add(record != null ? new GroupCommitter.Outcome.Applied<>(record)
                    : new GroupCommitter.Outcome.Refused<>(new DuplicateIdException(find(connection, schema, scope,
                            ids.get(i)))));
        }
        return outcomes;
    }

    /**
     * Inserts records with multi-row INSERT statements (as many rows per statement as {@link #maxParameters}
     * allows), record {@code i} with id {@code ids[i]}, {@code values[i]} and {@code updatedAt[i]} (epoch
     * milliseconds, from the table's locked {@link TableClock}, one per record in list order). Returns for each the
     * stored record, or {@code null} where nothing was inserted because the id exists (in the table, or earlier in
     * the list): an existing id writes nothing, without the error that would abort a PostgreSQL transaction.
     */
    List<ObjectNode> insertRows(Connection connection, TableSchema schema, List<String> ids,
                                List<Map<Column, Object>> values, long[] updatedAt) throws SQLException {
        List<Column> userColumns = schema.userColumns();
        int perRow = userColumns.size() + TableSchema.SYSTEM_COLUMNS.size();
        int chunk = Math.max(1, maxParameters / perRow);
        List<ObjectNode> results = new ArrayList<>(ids.size());
        for (int from = 0; from < ids.size(); from += chunk) {
            int to = Math.min(ids.size(), from + chunk);
            StringBuilder sql = new StringBuilder("INSERT INTO ").append(table(schema)).append(" (");
            StringBuilder row = new StringBuilder("(");
            for (Column column : userColumns) {
                sql.append(q(column.sqlName())).append(", ");
                row.append(dialect.placeholder(column.type())).append(", ");
            }
            for (Column column : TableSchema.SYSTEM_COLUMNS) {
                sql.append(q(column.sqlName())).append(", ");
                row.append("?, ");
            }
            sql.setLength(sql.length() - 2);
            row.setLength(row.length() - 2);
            row.append(')');
            sql.append(") VALUES ");
            for (int i = from; i < to; i++) {
                sql.append(i == from ? "" : ", ").append(row);
            }
            sql.append(" ON CONFLICT (").append(q("id")).append(") DO NOTHING RETURNING ")
                    .append(columnList(schema.columns()));
            Map<String, ObjectNode> stored = new HashMap<>();
            try (KeptStatements.Lease lease = KeptStatements.prepare(connection, sql.toString())) {
                PreparedStatement statement = lease.statement();
                int index = 1;
                for (int i = from; i < to; i++) {
                    Instant now = Instant.ofEpochMilli(updatedAt[i]);
                    Map<Column, Object> rowValues = values.get(i);
                    for (Column column : userColumns) {
                        dialect.bind(statement, index++, column.type(), rowValues.get(column));
                    }
                    Object[] system = {ids.get(i), now, now, RecordJson.version(updatedAt[i]), Boolean.FALSE};
                    for (int c = 0; c < system.length; c++) {
                        dialect.bind(statement, index++, TableSchema.SYSTEM_COLUMNS.get(c).type(), system[c]);
                    }
                }
                try (ResultSet rs = statement.executeQuery()) {
                    while (rs.next()) {
                        ObjectNode record = RecordJson.read(rs, schema.columns(), dialect);
                        stored.put(rowKey(record.path(SystemColumns.ID).asText(),
                                record.path(SystemColumns.VERSION).asText()), record);
                    }
                }
            }
            for (int i = from; i < to; i++) {
                // Rows come back in no promised order; each is found by its id and version (the first of two rows
                // with one id is the one stored, and has its own version, as updatedAt is unique per table).
                results.add(stored.get(rowKey(ids.get(i), RecordJson.version(updatedAt[i]))));
            }
        }
        return results;
    }

    private static String rowKey(String id, String version) {
        return id + '\n' + version;
    }

    /**
     * Reads the records (tombstones included) of those of {@code ids} that exist, by id, with one
     * {@code SELECT ... WHERE id IN (...)} per chunk of {@link #maxParameters} ids.
     */
    Map<String, ObjectNode> findAll(Connection connection, TableSchema schema, RowScope scope, List<String> ids)
            throws SQLException {
        Map<String, ObjectNode> found = new HashMap<>();
        String prefix = "SELECT " + columnList(schema.columns()) + " FROM " + table(schema) + " WHERE "
                + (scope.isAll() ? "" : "(" + scope.view().sql() + ") AND ") + q("id") + " IN (";
        List<Object> leading = scope.isAll() ? List.of() : scope.view().params();
        ChunkedIn.query(connection, prefix, leading, dialect, ids, maxParameters, rs -> {
            ObjectNode record = RecordJson.read(rs, schema.columns(), dialect);
            found.put(record.path(SystemColumns.ID).asText(), record);
        });
        return found;
    }

    /** The most parameters one statement of this repository binds. */
    int maxParameters() {
        return maxParameters;
    }

    /**
     * Updates a record: merges {@code values} into it, or replaces every user column ({@code replace}).
     *
     * @param expectedVersion the version precondition ({@code null} or {@code *} for none)
     * @param undelete        whether to clear {@code deleted} as well
     * @param allowDeleted    whether a tombstone may be updated (else {@link RecordGoneException})
     */
    public ObjectNode update(Connection connection, TableClock clock, TableSchema schema, String id,
                             Map<Column, Object> values, boolean replace, String expectedVersion, boolean undelete,
                             boolean allowDeleted) throws SQLException {
        return update(connection, clock, schema, RowScope.ALL, id, values, replace, expectedVersion, undelete,
                allowDeleted);
    }

    /**
     * As {@link #update(Connection, TableClock, TableSchema, String, Map, boolean, String, boolean, boolean)}, of a
     * record in {@code scope} (else {@link RecordNotFoundException}), which it must stay in (else
     * {@link OutsideViewException}); the scope's pinned columns keep their values.
     */
    public ObjectNode update(Connection connection, TableClock clock, TableSchema schema, RowScope scope, String id,
                             Map<Column, Object> values, boolean replace, String expectedVersion, boolean undelete,
                             boolean allowDeleted) throws SQLException {
        ObjectNode current = requireCurrent(connection, schema, scope, id, expectedVersion,
                allowDeleted || undelete);
        List<Column> columns = new ArrayList<>();
        List<Object> newValues = new ArrayList<>();
        for (Column column : schema.userColumns()) {
            if (scope.pinned().contains(Names.key(column.name()))) {
                continue;
            }
            if (replace || values.containsKey(column)) {
                columns.add(column);
                newValues.add(values.get(column));
            }
        }
        boolean deleted = !undelete && current.path(SystemColumns.DELETED).asBoolean(false);
        return checked(connection, scope.checkUpdates(), schema, scope, id,
                () -> writeSystem(connection, clock, schema, id, columns, newValues, deleted));
    }

    /**
     * Deletes a record: sets {@code deleted} (soft delete) or removes the row.
     *
     * @return the tombstone, or for a hard delete the record as it was
     * @throws RecordGoneException if the record is already deleted
     */
    public ObjectNode delete(Connection connection, TableClock clock, TableSchema schema, String id,
                             String expectedVersion) throws SQLException {
        return delete(connection, clock, schema, RowScope.ALL, id, expectedVersion);
    }

    /** As {@link #delete(Connection, TableClock, TableSchema, String, String)}, of a record in {@code scope}. */
    public ObjectNode delete(Connection connection, TableClock clock, TableSchema schema, RowScope scope, String id,
                             String expectedVersion) throws SQLException {
        ObjectNode current = requireCurrent(connection, schema, scope, id, expectedVersion, false);
        if (schema.softDelete()) {
            return writeSystem(connection, clock, schema, id, List.of(), List.of(), true);
        }
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table(schema) + " WHERE "
                + q("id") + " = ?")) {
            statement.setString(1, id);
            statement.executeUpdate();
        }
        return current;
    }

    /** Clears {@code deleted} on a record (which may or may not be deleted) and gives it a new version. */
    public ObjectNode undelete(Connection connection, TableClock clock, TableSchema schema, String id,
                               String expectedVersion) throws SQLException {
        return undelete(connection, clock, schema, RowScope.ALL, id, expectedVersion);
    }

    /** As {@link #undelete(Connection, TableClock, TableSchema, String, String)}, of a record in {@code scope}. */
    public ObjectNode undelete(Connection connection, TableClock clock, TableSchema schema, RowScope scope, String id,
                               String expectedVersion) throws SQLException {
        requireCurrent(connection, schema, scope, id, expectedVersion, true);
        return writeSystem(connection, clock, schema, id, List.of(), List.of(), false);
    }

    /** Removes tombstones whose {@code updatedAt} is before {@code olderThan}; returns how many. */
    public int purge(Connection connection, TableSchema schema, Instant olderThan) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("DELETE FROM " + table(schema) + " WHERE "
                + q("deleted") + " = ? AND " + q("updatedAt") + " < ?")) {
            dialect.bind(statement, 1, Boolean.TRUE);
            dialect.bind(statement, 2, olderThan);
            return statement.executeUpdate();
        }
    }

    private ObjectNode requireCurrent(Connection connection, TableSchema schema, RowScope scope, String id,
                                      String expectedVersion, boolean allowDeleted) throws SQLException {
        ObjectNode current = find(connection, schema, scope, id);
        if (current == null) {
            throw new RecordNotFoundException();
        }
        if (!allowDeleted && current.path(SystemColumns.DELETED).asBoolean(false)) {
            throw new RecordGoneException(current);
        }
        if (expectedVersion != null && !expectedVersion.equals(ETags.ANY)
                && !expectedVersion.equals(current.path(SystemColumns.VERSION).asText())) {
            throw new VersionMismatchException(current);
        }
        return current;
    }

    private ObjectNode writeSystem(Connection connection, TableClock clock, TableSchema schema, String id,
                                   List<Column> columns, List<Object> values, boolean deleted) throws SQLException {
        Instant now = Instant.ofEpochMilli(clock.next());
        StringBuilder sql = new StringBuilder("UPDATE ").append(table(schema)).append(" SET ");
        for (Column column : columns) {
            sql.append(q(column.sqlName())).append(" = ").append(dialect.placeholder(column.type())).append(", ");
        }
        sql.append(q("updatedAt")).append(" = ?, ").append(q("version")).append(" = ?, ").append(q("deleted"))
                .append(" = ? WHERE ").append(q("id")).append(" = ? RETURNING ").append(columnList(schema.columns()));
        try (PreparedStatement statement = connection.prepareStatement(sql.toString())) {
            int index = 1;
            for (int i = 0; i < columns.size(); i++) {
                dialect.bind(statement, index++, columns.get(i).type(), values.get(i));
            }
            dialect.bind(statement, index++, now);
            statement.setString(index++, RecordJson.version(now.toEpochMilli()));
            dialect.bind(statement, index++, deleted);
            statement.setString(index, id);
            try (ResultSet rs = statement.executeQuery()) {
                if (!rs.next()) {
                    throw new RecordNotFoundException();
                }
                return RecordJson.read(rs, schema.columns(), dialect);
            }
        }
    }

    /** A write on the caller's connection. */
    @FunctionalInterface
    private interface SqlWrite<T> {
        T run() throws SQLException;
    }

    /**
     * Runs {@code write}; when {@code check}, inside a savepoint, and undoes it with {@link OutsideViewException}
     * unless record {@code id} is in {@code scope} afterwards (so nothing changed when it throws).
     */
    private <T> T checked(Connection connection, boolean check, TableSchema schema, RowScope scope, String id,
                          SqlWrite<T> write) throws SQLException {
        if (!check) {
            return write.run();
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("SAVEPOINT outpost_view");
            T result;
            try {
                result = write.run();
                if (find(connection, schema, scope, id) == null) {
                    throw new OutsideViewException();
                }
            } catch (SQLException | RuntimeException e) {
                statement.execute("ROLLBACK TO SAVEPOINT outpost_view");
                statement.execute("RELEASE SAVEPOINT outpost_view");
                throw e;
            }
            statement.execute("RELEASE SAVEPOINT outpost_view");
            return result;
        }
    }

    // --- SQL helpers ------------------------------------------------------------------------------------------

    private void where(StringBuilder sql, List<Object> params, SqlFragment where) {
        if (where != null) {
            sql.append(" WHERE ").append(where.sql());
            params.addAll(where.params());
        }
    }

    private void bind(PreparedStatement statement, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            dialect.bind(statement, i + 1, params.get(i));
        }
    }

    private String columnList(List<Column> columns) {
        StringBuilder list = new StringBuilder();
        for (Column column : columns) {
            if (list.length() > 0) {
                list.append(", ");
            }
            list.append(q(column.sqlName()));
        }
        return list.toString();
    }

    private String table(TableSchema schema) {
        return q(schema.sqlName());
    }

    private String q(String identifier) {
        return dialect.quote(identifier);
    }
}
