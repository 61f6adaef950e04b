package dev.outpost.server.internal.store;

import dev.outpost.server.internal.sql.SqlDialect;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.InvalidRecordException;
import dev.outpost.server.internal.table.Names;
import dev.outpost.server.internal.table.SchemaSource;
import dev.outpost.server.internal.table.TableSchema;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps table schemas in the {@code outpost_clock} (one row per table) and {@code outpost_columns} system tables,
 * and creates tables, columns and indexes. Each change runs under the schema lock ({@link SqlDialect#lockSchema})
 * and claims its row with {@code INSERT … ON CONFLICT DO NOTHING} in the same transaction as the DDL, so concurrent
 * replicas creating the same table or column agree on one spelling and type, and never run the same DDL at once.
 * Thread-safe.
 */
public final class SchemaStore implements SchemaSource {
    private final Database database;

    /** A schema store on {@code database}. */
    public SchemaStore(Database database) {
        this.database = database;
    }

    @Override
    public List<TableSchema> loadAll() {
        return database.read(connection -> {
            Map<String, String[]> tables = new LinkedHashMap<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery(
                         "SELECT table_key, table_name, soft_delete FROM outpost_clock ORDER BY table_key")) {
                while (rs.next()) {
                    tables.put(rs.getString(1), new String[] {rs.getString(2), Long.toString(rs.getLong(3))});
                }
            }
            Map<String, List<Column>> columns = new LinkedHashMap<>();
            try (Statement statement = connection.createStatement();
                 ResultSet rs = statement.executeQuery("SELECT table_key, column_name, sql_name, column_type "
                         + "FROM outpost_columns ORDER BY table_key, position, column_key")) {
                while (rs.next()) {
                    ColumnType type = ColumnType.fromName(rs.getString(4));
                    if (type == null) {
                        throw new IllegalStateException("unknown column type '" + rs.getString(4) + "' in "
                                + "outpost_columns");
                    }
                    columns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                            .add(new Column(rs.getString(2), rs.getString(3), type, false));
                }
            }
            List<TableSchema> schemas = new ArrayList<>();
            for (Map.Entry<String, String[]> table : tables.entrySet()) {
                schemas.add(new TableSchema(table.getValue()[0], !table.getValue()[1].equals("0"), false,
                        columns.getOrDefault(table.getKey(), List.of())));
            }
            return schemas;
        });
    }

    @Override
    public void createTable(TableSchema schema, int maxTables) {
        SqlDialect dialect = database.dialect();
        database.write(connection -> {
            dialect.lockSchema(connection);
            if (!tableExists(connection, schema)) {
                long tables = count(connection, "SELECT COUNT(*) FROM outpost_clock", null);
                if (tables >= maxTables) {
                    throw new InvalidRecordException("tooManyTables", null, "table '" + schema.name() + "' was not "
                            + "created: the database has " + tables + " tables, the most the dynamic schema may "
                            + "create (--max-dynamic-tables " + maxTables + ")");
                }
            }
            try (PreparedStatement claim = connection.prepareStatement("INSERT INTO outpost_clock (table_key, "
                    + "table_name, sql_name, soft_delete, last_millis) VALUES (?, ?, ?, ?, 0) "
                    + "ON CONFLICT (table_key) DO NOTHING")) {
                claim.setString(1, schema.key());
                claim.setString(2, schema.name());
                claim.setString(3, schema.sqlName());
                claim.setLong(4, schema.softDelete() ? 1 : 0);
                if (claim.executeUpdate() == 0) {
                    return null;
                }
            }
            StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(dialect.quote(schema.sqlName()))
                    .append(" (");
            for (Column column : TableSchema.SYSTEM_COLUMNS) {
                ddl.append(dialect.quote(column.sqlName())).append(' ').append(systemType(column)).append(", ");
            }
            ddl.append("PRIMARY KEY (").append(dialect.quote("id")).append("))");
            try (Statement statement = connection.createStatement()) {
                statement.execute(ddl.toString());
                statement.execute("CREATE INDEX IF NOT EXISTS " + dialect.quote(Names.indexName(schema.key()))
                        + " ON " + dialect.quote(schema.sqlName()) + " (" + dialect.quote("updatedAt") + ", "
                        + dialect.quote("id") + ")");
            }
            addColumns(connection, schema, schema.userColumns(), Integer.MAX_VALUE);
            return null;
        });
    }

    /**
     * Creates, if missing, the index a table's row rule reads by: {@code columns} (those the rule compares with the
     * caller's claims), then {@code (updatedAt, id)}, so that a user's rows are found, and pulled in order, without
     * reading everyone's.
     */
    public void createRowIndex(TableSchema schema, List<Column> columns) {
        SqlDialect dialect = database.dialect();
        StringBuilder ddl = new StringBuilder("CREATE INDEX IF NOT EXISTS ")
                .append(dialect.quote(Names.rowIndexName(schema.key()))).append(" ON ")
                .append(dialect.quote(schema.sqlName())).append(" (");
        for (Column column : columns) {
            ddl.append(dialect.quote(column.sqlName())).append(", ");
        }
        ddl.append(dialect.quote("updatedAt")).append(", ").append(dialect.quote("id")).append(')');
        database.write(connection -> {
            dialect.lockSchema(connection);
            try (Statement statement = connection.createStatement()) {
                statement.execute(ddl.toString());
            }
            return null;
        });
    }

    private static boolean tableExists(Connection connection, TableSchema schema) throws SQLException {
        return count(connection, "SELECT COUNT(*) FROM outpost_clock WHERE table_key = ?", schema.key()) > 0;
    }

    private static long count(Connection connection, String sql, String key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            if (key != null) {
                statement.setString(1, key);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private String systemType(Column column) {
        SqlDialect dialect = database.dialect();
        String type = dialect.columnType(column.type());
        if (column.name().equals("deleted")) {
            return type + " NOT NULL DEFAULT " + (dialect.name().equals("sqlite") ? "0" : "FALSE");
        }
        return type + " NOT NULL";
    }

    @Override
    public void addColumns(TableSchema schema, List<Column> columns, int maxColumns) {
        database.write(connection -> {
            database.dialect().lockSchema(connection);
            addColumns(connection, schema, columns, maxColumns);
            return null;
        });
    }

    private void addColumns(Connection connection, TableSchema schema, List<Column> columns, int maxColumns)
            throws SQLException {
        SqlDialect dialect = database.dialect();
        if (maxColumns < Integer.MAX_VALUE) {
            Set<String> have = new HashSet<>();
            try (PreparedStatement existing = connection.prepareStatement(
                    "SELECT column_key FROM outpost_columns WHERE table_key = ?")) {
                existing.setString(1, schema.key());
                try (ResultSet rs = existing.executeQuery()) {
                    while (rs.next()) {
                        have.add(rs.getString(1));
                    }
                }
            }
            long added = columns.stream().map(Column::key).distinct().filter(key -> !have.contains(key)).count();
            if (have.size() + added > maxColumns) {
                throw new InvalidRecordException("tooManyColumns", null, "table '" + schema.name() + "' would have "
                        + (have.size() + added) + " columns, more than the dynamic schema allows (" + maxColumns
                        + ")");
            }
        }
        long position;
        try (PreparedStatement max = connection.prepareStatement(
                "SELECT COALESCE(MAX(position), 0) FROM outpost_columns WHERE table_key = ?")) {
            max.setString(1, schema.key());
            try (ResultSet rs = max.executeQuery()) {
                rs.next();
                position = rs.getLong(1);
            }
        }
        for (Column column : columns) {
            try (PreparedStatement claim = connection.prepareStatement("INSERT INTO outpost_columns (table_key, "
                    + "column_key, column_name, sql_name, column_type, position) VALUES (?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (table_key, column_key) DO NOTHING")) {
                claim.setString(1, schema.key());
                claim.setString(2, column.key());
                claim.setString(3, column.name());
                claim.setString(4, column.sqlName());
                claim.setString(5, column.type().schemaName());
                claim.setLong(6, ++position);
                if (claim.executeUpdate() == 0) {
                    continue;
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("ALTER TABLE " + dialect.quote(schema.sqlName()) + " ADD COLUMN "
                        + dialect.quote(column.sqlName()) + " " + dialect.columnType(column.type()));
            }
        }
    }
}
