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
     * key exists already (created by another request or replica); never drops anything.
     */
    void createTable(TableSchema schema);

    /**
     * Adds columns to a table unless columns with the same keys exist already (then the existing ones win);
     * never drops anything.
     */
    void addColumns(TableSchema schema, List<Column> columns);
}
