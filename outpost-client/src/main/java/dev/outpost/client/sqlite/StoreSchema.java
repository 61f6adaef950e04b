package dev.outpost.client.sqlite;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.LocalStoreException;
import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.SystemColumns;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The store's layout: its version (in {@code PRAGMA user_version}; a file written by a newer layout is refused), and
 * the definitions of its tables, read from SQLite at open and kept in memory. Defining a table creates it
 * ({@code WITHOUT ROWID}, clustered on the id, with a hidden JSON column for undefined properties) or adds the
 * missing columns and indexes; columns are never dropped or retyped. Changes run under the store's lock, inside a
 * transaction; reads of the definitions are thread-safe.
 */
final class StoreSchema {
    /** The store layout this code writes; kept in {@code PRAGMA user_version}. */
    static final int LAYOUT_VERSION = 1;

    private final Path file;
    private final Connection connection;
    private final Map<String, TableDefinition> tables = new ConcurrentHashMap<>();

    StoreSchema(Path file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Checks and records the layout version, then reads every table's definition.
     *
     * @throws LocalStoreException if the file was written by a newer layout
     */
    void load() throws SQLException {
        try (Statement statement = connection.createStatement()) {
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

    /** Reads every known table's definition again: a rolled-back DDL statement may have changed it. */
    void reload() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String name : new ArrayList<>(tables.keySet())) {
                tables.put(name, readDefinition(statement, tables.get(name).name()));
            }
        }
    }

    /** The table's definition, if it exists. */
    Optional<TableDefinition> definition(String name) {
        return Optional.ofNullable(tables.get(key(name)));
    }

    /**
     * The table's definition.
     *
     * @throws IllegalArgumentException if there is no such table
     */
    TableDefinition table(String name) {
        TableDefinition definition = tables.get(key(name));
        if (definition == null) {
            throw new IllegalArgumentException("unknown local table '" + name + "': define it first");
        }
        return definition;
    }

    /**
     * Creates the table or brings it up to {@code definition}, inside {@code tx}; the kept statements are forgotten.
     * Records that kept values of newly defined columns in their extras are rewritten, so that the values move into
     * the columns (a value that does not fit its new column stays in the extras).
     *
     * @throws IllegalArgumentException if an existing column has a different type
     */
    void define(TableDefinition definition, SqliteTransaction tx, StatementCache statements) throws SQLException {
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
        statements.clear();
        if (existing != null && result.columns().size() > existing.columns().size()) {
            moveExtrasIntoNewColumns(result, tx);
        }
    }

    private static void moveExtrasIntoNewColumns(TableDefinition table, SqliteTransaction tx) {
        for (ObjectNode row : tx.select(table, "SELECT * FROM " + SqliteQueryTranslator.quote(table.name())
                + " WHERE " + SqliteQueryTranslator.quote(TableDefinition.EXTRAS_COLUMN) + " IS NOT NULL", List.of(),
                List.of())) {
            try {
                tx.upsert(table.name(), row);
            } catch (IllegalArgumentException e) {
                // The value does not fit the new column's type: the record keeps it in its extras.
            }
        }
    }

    private static TableDefinition readDefinition(Statement statement, String name) throws SQLException {
        TableDefinition.Builder builder = TableDefinition.builder(name);
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

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
