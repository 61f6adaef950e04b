package dev.outpost.server.internal.table;

import dev.outpost.protocol.SystemColumns;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shape of one table: its name, user columns (in the order they were declared or first seen), the system
 * columns, and whether deletes are soft. Immutable and thread-safe; a schema change makes a new instance.
 */
public final class TableSchema {
    /** The system columns, in the order they follow the user columns in every record. */
    public static final List<Column> SYSTEM_COLUMNS = List.of(
            new Column(SystemColumns.ID, SystemColumns.ID, ColumnType.STRING, true),
            new Column(SystemColumns.CREATED_AT, SystemColumns.CREATED_AT, ColumnType.DATE, true),
            new Column(SystemColumns.UPDATED_AT, SystemColumns.UPDATED_AT, ColumnType.DATE, true),
            new Column(SystemColumns.VERSION, SystemColumns.VERSION, ColumnType.STRING, true),
            new Column(SystemColumns.DELETED, SystemColumns.DELETED, ColumnType.BOOLEAN, true));

    private final String name;
    private final String sqlName;
    private final boolean softDelete;
    private final boolean declared;
    private final List<Column> userColumns;
    private final List<Column> columns;
    private final Map<String, Column> byKey;

    /**
     * Creates a schema.
     *
     * @param name        the canonical table name
     * @param softDelete  whether deletes leave a tombstone
     * @param declared    whether the table comes from a tables file (unknown columns are refused) rather than the
     *                    dynamic schema (unknown columns are added)
     * @param userColumns the user columns in order
     */
    public TableSchema(String name, boolean softDelete, boolean declared, List<Column> userColumns) {
        this.name = Objects.requireNonNull(name, "name");
        this.sqlName = Names.sqlName(name);
        this.softDelete = softDelete;
        this.declared = declared;
        this.userColumns = List.copyOf(userColumns);
        List<Column> all = new ArrayList<>(this.userColumns);
        all.addAll(SYSTEM_COLUMNS);
        this.columns = List.copyOf(all);
        Map<String, Column> map = new LinkedHashMap<>();
        for (Column column : all) {
            if (map.putIfAbsent(column.key(), column) != null) {
                throw new IllegalArgumentException("table " + name + " has two columns named '" + column.name()
                        + "' (names match ignoring case)");
            }
        }
        this.byKey = Collections.unmodifiableMap(map);
    }

    /** The canonical table name (its first spelling). */
    public String name() {
        return name;
    }

    /** The lower-case lookup key of the name. */
    public String key() {
        return Names.key(name);
    }

    /** The physical table name in the database. */
    public String sqlName() {
        return sqlName;
    }

    /** Whether deletes set {@code deleted = true} (and keep a tombstone) instead of removing the row. */
    public boolean softDelete() {
        return softDelete;
    }

    /** Whether the table was declared in a tables file (then unknown columns are refused). */
    public boolean declared() {
        return declared;
    }

    /** The user columns, in order. */
    public List<Column> userColumns() {
        return userColumns;
    }

    /** Every column: the user columns, then {@code id, createdAt, updatedAt, version, deleted}. */
    public List<Column> columns() {
        return columns;
    }

    /** The column named {@code name}, ignoring case, or {@code null}. */
    public Column column(String name) {
        return byKey.get(Names.key(name));
    }

    /** A copy with more user columns appended. */
    public TableSchema withColumns(List<Column> more) {
        List<Column> all = new ArrayList<>(userColumns);
        all.addAll(more);
        return new TableSchema(name, softDelete, declared, all);
    }

    @Override
    public String toString() {
        return "TableSchema[" + name + ", " + userColumns + ", softDelete=" + softDelete + "]";
    }
}
