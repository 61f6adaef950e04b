package dev.outpost.client.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.Query;
import java.util.List;
import java.util.Optional;

/**
 * The operations available inside one {@link LocalStore#inTransaction transaction}: everything done through it
 * commits together or not at all.
 *
 * <p>Confined to the thread that runs the transaction callback and valid only while the callback runs; never keep
 * it or hand it to another thread. Methods throw {@link LocalStoreException} when SQLite fails, and
 * {@link IllegalArgumentException} for an unknown table, an unknown column in a query, or a value that does not
 * fit its column's type.
 */
public interface StoreTransaction {

    /**
     * Inserts or fully replaces a record by its {@code id}. Properties the table does not define are kept in the
     * table's extras and come back from {@link #lookup}/{@link #query}; defined columns missing from the record
     * become {@code null}.
     *
     * @throws IllegalArgumentException if the record has no string {@code id}, or a value does not fit its column
     */
    void upsert(String table, ObjectNode record);

    /** {@link #upsert(String, ObjectNode)} for many records, with one prepared statement. */
    void upsert(String table, List<ObjectNode> records);

    /** Deletes the record {@code id}; returns whether there was one. */
    boolean delete(String table, String id);

    /** Deletes the records that match {@code filter} ({@code null} for all); returns how many. */
    int deleteWhere(String table, Filter filter);

    /** The record {@code id}, if there is one. */
    Optional<ObjectNode> lookup(String table, String id);

    /**
     * The records matching the query's filter, in its order (then by {@code id}), after its skip and top, with only
     * the selected properties when it has a selection. {@code includeDeleted} and {@code includeTotalCount} are
     * ignored here: see {@link #count}.
     *
     * @throws dev.outpost.protocol.query.InvalidQueryException if the filter names a column the table lacks
     */
    List<ObjectNode> query(String table, Query query);

    /** How many records match {@code filter} ({@code null} for all). */
    long count(String table, Filter filter);
}
