package dev.outpost.server.internal.table;

import java.util.List;

/**
 * Where table schemas are kept so that every server replica sees the same ones: the {@code outpost_clock} and
 * {@code outpost_columns} system tables. Implementations are thread-safe.
 */
public interface SchemaSource {

    /** Loads every table's schema from the database. */
    List<TableSchema> loadAll();

    /**
     * Creates a table with its columns, clock row and {@code (updatedAt, id)} index unless a table with the same
     * key exists already (created by another request or replica); never drops anything. The tables already in the
     * database are counted under the schema lock, so the limit holds across concurrent requests and replicas.
     *
     * @param maxTables the most tables the database may hold
     * @throws InvalidRecordException ({@code tooManyTables}) if the table is new and the database holds
     *                                {@code maxTables} tables already
     */
    void createTable(TableSchema schema, int maxTables);

    /** Creates a table as {@link #createTable(TableSchema, int)} does, with no limit on the number of tables. */
    default void createTable(TableSchema schema) {
        createTable(schema, Integer.MAX_VALUE);
    }

    /**
     * Adds columns to a table unless columns with the same keys exist already (then the existing ones win);
     * never drops anything. The table's columns are counted in the database under the schema lock.
     *
     * @param maxColumns the most user columns the table may have
     * @throws InvalidRecordException ({@code tooManyColumns}) if the new columns would make more than
     *                                {@code maxColumns}
     */
    void addColumns(TableSchema schema, List<Column> columns, int maxColumns);
}
