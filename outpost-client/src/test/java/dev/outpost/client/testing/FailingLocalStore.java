package dev.outpost.client.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.exception.LocalStoreException;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.store.StoreChangeListener;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.query.Filter;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** A real store whose writes to one table fail on demand, as a full disk would. */
public final class FailingLocalStore implements LocalStore {
    private final LocalStore delegate;
    private volatile String failingTable;
    private volatile int writesBeforeFailing;

    public FailingLocalStore(LocalStore delegate) {
        this.delegate = delegate;
    }

    /** From now on, writes to {@code table} fail ({@code null}: none do). */
    public void failWritesTo(String table) {
        failWritesTo(table, 0);
    }

    /** From now on, writes to {@code table} fail once {@code allowed} more writes to it succeeded. */
    public void failWritesTo(String table, int allowed) {
        this.writesBeforeFailing = allowed;
        this.failingTable = table;
    }

    @Override
    public void defineTable(TableDefinition definition) {
        delegate.defineTable(definition);
    }

    @Override
    public Optional<TableDefinition> tableDefinition(String name) {
        return delegate.tableDefinition(name);
    }

    @Override
    public <R> R inTransaction(Function<StoreTransaction, R> work) {
        return delegate.inTransaction(tx -> work.apply(new Failing(tx)));
    }

    @Override
    public void addChangeListener(StoreChangeListener listener) {
        delegate.addChangeListener(listener);
    }

    @Override
    public void removeChangeListener(StoreChangeListener listener) {
        delegate.removeChangeListener(listener);
    }

    @Override
    public void close() {
        delegate.close();
    }

    private final class Failing extends ForwardingTransaction {
        Failing(StoreTransaction tx) {
            super(tx);
        }

        private void check(String table) {
            if (table.equalsIgnoreCase(failingTable) && writesBeforeFailing-- <= 0) {
                throw new LocalStoreException("disk full (simulated) writing " + table);
            }
        }

        @Override
        public void upsert(String table, ObjectNode record) {
            check(table);
            super.upsert(table, record);
        }

        @Override
        public void upsert(String table, List<ObjectNode> records) {
            check(table);
            super.upsert(table, records);
        }

        @Override
        public int update(String table, List<ObjectNode> changes) {
            check(table);
            return delegate.update(table, changes);
        }

        @Override
        public boolean delete(String table, String id) {
            check(table);
            return super.delete(table, id);
        }

        @Override
        public int deleteWhere(String table, Filter filter) {
            check(table);
            return super.deleteWhere(table, filter);
        }
    }
}
