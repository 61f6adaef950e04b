package dev.outpost.client.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.SystemColumns;
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

    /**
     * Sets, on each existing record named by a change's {@code id}, the properties the change carries, and leaves the
     * record's other properties as they are; a change whose record does not exist is skipped. Returns how many
     * records were changed. Cheaper than {@link #upsert} when only a few columns change: a store may write just
     * those columns, with one prepared statement for changes of the same shape. This default looks each record up,
     * merges the change into it and upserts it.
     *
     * @throws IllegalArgumentException if a change has no string {@code id}, or a value does not fit its column
     */
    default int update(String table, List<ObjectNode> changes) {
        int updated = 0;
        for (ObjectNode change : changes) {
            JsonNode id = change.get(SystemColumns.ID);
            if (id == null || !id.isTextual() || id.asText().isEmpty()) {
                throw new IllegalArgumentException("a change for local table '" + table + "' has no string id");
            }
            Optional<ObjectNode> found = lookup(table, id.asText());
            if (found.isPresent()) {
                ObjectNode merged = found.get();
                change.properties().forEach(field -> {
                    merged.properties().removeIf(stored -> stored.getKey().equalsIgnoreCase(field.getKey()));
                    merged.set(field.getKey(), field.getValue());
                });
                upsert(table, merged);
                updated++;
            }
        }
        return updated;
    }

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
     * @throws dev.outpost.protocol.query.InvalidQueryException if the filter or a sort key names a column the table
     *     does not define, the filter is ill-typed as the server would find it, or a selected name is not a property
     *     name
     */
    List<ObjectNode> query(String table, Query query);

    /**
     * How many records match {@code filter} ({@code null} for all).
     *
     * @throws dev.outpost.protocol.query.InvalidQueryException as {@link #query} does for the filter
     */
    long count(String table, Filter filter);
}
