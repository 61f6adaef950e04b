package dev.outpost.client.sqlite;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.LocalStoreException;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.Query;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * The {@link StoreTransaction} of a {@link SqliteLocalStore}: reads and writes on the store's one connection, with
 * statements prepared once and kept. It also collects which tables the transaction changed, for the listeners told
 * after the outermost commit. One per store, used only by the thread holding the store's lock, and only while a
 * transaction callback runs.
 */
final class SqliteTransaction implements StoreTransaction {
    private final StoreSchema schema;
    private final StatementCache statements;
    private final BooleanSupplier active;
    private Set<String> changed = new LinkedHashSet<>();

    /** @param active whether the calling thread is inside one of the store's transactions */
    SqliteTransaction(StoreSchema schema, StatementCache statements, BooleanSupplier active) {
        this.schema = schema;
        this.statements = statements;
        this.active = active;
    }

    /** Starts collecting the tables an outermost transaction changes. */
    void begin() {
        changed = new LinkedHashSet<>();
    }

    /** The tables changed since {@link #begin()} (original spelling). */
    Set<String> changed() {
        return changed;
    }

    private void checkActive() {
        if (!active.getAsBoolean()) {
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
        TableDefinition table = schema.table(tableName);
        List<TableDefinition.Column> columns = new ArrayList<>(table.columns().values());
        PreparedStatement statement;
        try {
            String sql = statements.upsertText(table.name(), () -> RecordRows.upsertSql(table, columns));
            statement = statements.prepare(sql);
            if (records.size() == 1) {
                RecordRows.bindRecord(statement, table, columns, records.get(0));
                statement.executeUpdate();
            } else {
                try {
                    for (ObjectNode record : records) {
                        RecordRows.bindRecord(statement, table, columns, record);
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

    /**
     * Changes whose properties are all defined columns, spelled as such, are written column-wise: a run of
     * changes of one shape with one prepared {@code UPDATE}. Others (properties kept in the extras) are merged
     * into the record and upserted. Changes are applied in their order.
     */
    @Override
    public int update(String tableName, List<ObjectNode> changes) {
        checkActive();
        TableDefinition table = schema.table(tableName);
        int updated = 0;
        List<String> runShape = null;
        List<ObjectNode> run = new ArrayList<>();
        for (ObjectNode change : changes) {
            List<String> shape = columnShape(table, change);
            if (!run.isEmpty() && !Objects.equals(shape, runShape)) {
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
            PreparedStatement statement = statements.prepare(sql.toString());
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
        TableDefinition table = schema.table(tableName);
        try {
            PreparedStatement statement = statements.prepare("DELETE FROM " + SqliteQueryTranslator.quote(table.name())
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
        TableDefinition table = schema.table(tableName);
        SqlFragment where = new SqliteQueryTranslator(table).where(filter);
        try {
            PreparedStatement statement = statements.prepare("DELETE FROM " + SqliteQueryTranslator.quote(table.name())
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
        TableDefinition table = schema.table(tableName);
        List<ObjectNode> rows = select(table, "SELECT * FROM " + SqliteQueryTranslator.quote(table.name())
                + " WHERE " + SqliteQueryTranslator.quote(SystemColumns.ID) + " = ?", List.of(id), List.of());
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    @Override
    public List<ObjectNode> query(String tableName, Query query) {
        checkActive();
        TableDefinition table = schema.table(tableName);
        SqliteQueryTranslator translator = new SqliteQueryTranslator(table);
        translator.checkSelection(query.select());
        SqlFragment where = translator.where(query.filter());
        List<Object> parameters = new ArrayList<>(where.parameters());
        StringBuilder sql = new StringBuilder("SELECT ").append(RecordRows.selectList(table, query.select()))
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
        TableDefinition table = schema.table(tableName);
        SqlFragment where = new SqliteQueryTranslator(table).where(filter);
        try {
            PreparedStatement statement = statements.prepare("SELECT COUNT(*) FROM "
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

    /** The records {@code sql} selects from {@code table}, bound to {@code parameters}. */
    List<ObjectNode> select(TableDefinition table, String sql, List<Object> parameters, List<String> selection) {
        try {
            PreparedStatement statement = statements.prepare(sql);
            bind(statement, parameters);
            try (ResultSet rs = statement.executeQuery()) {
                return RecordRows.read(rs, table, selection);
            }
        } catch (SQLException e) {
            throw new LocalStoreException("cannot read local table '" + table.name() + "': " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }
}
