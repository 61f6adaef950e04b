package dev.outpost.client.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.query.Query;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Where an app's records live on the device: named tables of JSON records with typed columns, plus Outpost's own
 * system tables (the operation queue, parked errors, pull cursors), in one database.
 *
 * <p>Work is done in callback-scoped transactions: {@link #inTransaction} runs the callback, commits when it
 * returns and rolls back when it throws. A transaction started inside another one on the same thread joins it as a
 * savepoint (rolled back alone if its callback throws). Change listeners are told after the outermost commit.
 * {@link dev.outpost.client.sqlite.SqliteLocalStore} is the JVM implementation; an Android one can implement the
 * same interface.
 *
 * <p>Implementations are thread-safe: transactions from different threads run one after another.
 */
public interface LocalStore extends AutoCloseable {

    /**
     * Creates the table or brings an existing one up to {@code definition} by adding missing columns and indexes.
     * Columns are never dropped; a column that exists keeps its type.
     *
     * @throws IllegalArgumentException if an existing column has a different type
     * @throws LocalStoreException      if SQLite fails
     */
    void defineTable(TableDefinition definition);

    /** The table's current definition (as stored, including columns added earlier), if it exists. */
    Optional<TableDefinition> tableDefinition(String name);

    /**
     * Runs {@code work} in a transaction and returns its result: committed if it returns, rolled back if it throws
     * (the exception is rethrown as is).
     *
     * @throws LocalStoreException if SQLite fails to begin or commit
     */
    <R> R inTransaction(Function<StoreTransaction, R> work);

    /** {@link #inTransaction} for work with no result. */
    default void useTransaction(Consumer<StoreTransaction> work) {
        inTransaction(tx -> {
            work.accept(tx);
            return null;
        });
    }

    /** Upserts records in a transaction of their own. See {@link StoreTransaction#upsert(String, List)}. */
    default void upsert(String table, List<ObjectNode> records) {
        useTransaction(tx -> tx.upsert(table, records));
    }

    /** Deletes a record in a transaction of its own; returns whether there was one. */
    default boolean delete(String table, String id) {
        return inTransaction(tx -> tx.delete(table, id));
    }

    /** Looks a record up. See {@link StoreTransaction#lookup}. */
    default Optional<ObjectNode> lookup(String table, String id) {
        return inTransaction(tx -> tx.lookup(table, id));
    }

    /** Runs a query. See {@link StoreTransaction#query}. */
    default List<ObjectNode> query(String table, Query query) {
        return inTransaction(tx -> tx.query(table, query));
    }

    /** Registers a listener told after each outermost commit that changed tables. */
    void addChangeListener(StoreChangeListener listener);

    /** Removes a listener added with {@link #addChangeListener}. */
    void removeChangeListener(StoreChangeListener listener);

    /** Closes the database. Further calls throw {@link IllegalStateException}. Closing twice is harmless. */
    @Override
    void close();
}
