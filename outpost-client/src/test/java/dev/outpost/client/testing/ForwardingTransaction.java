package dev.outpost.client.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.store.StoreTransaction;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.Query;
import java.util.List;
import java.util.Optional;

/**
 * A transaction that forwards every call to another one, except {@link StoreTransaction#update}, which it leaves to
 * the interface's default (a store that does not write column-wise). Subclasses add behaviour around the calls.
 */
public class ForwardingTransaction implements StoreTransaction {
    protected final StoreTransaction delegate;

    public ForwardingTransaction(StoreTransaction delegate) {
        this.delegate = delegate;
    }

    @Override
    public void upsert(String table, ObjectNode record) {
        delegate.upsert(table, record);
    }

    @Override
    public void upsert(String table, List<ObjectNode> records) {
        delegate.upsert(table, records);
    }

    @Override
    public boolean delete(String table, String id) {
        return delegate.delete(table, id);
    }

    @Override
    public int deleteWhere(String table, Filter filter) {
        return delegate.deleteWhere(table, filter);
    }

    @Override
    public Optional<ObjectNode> lookup(String table, String id) {
        return delegate.lookup(table, id);
    }

    @Override
    public List<ObjectNode> query(String table, Query query) {
        return delegate.query(table, query);
    }

    @Override
    public long count(String table, Filter filter) {
        return delegate.count(table, filter);
    }
}
