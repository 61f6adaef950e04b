package dev.outpost.server.internal.events;

import java.sql.Connection;
import java.util.List;

/**
 * The feed of a server that is the only one on its database (SQLite): changes go straight to the sink once
 * committed. Thread-safe.
 */
public final class LocalChangeFeed implements ChangeFeed {
    private volatile Sink sink;

    @Override
    public void start(Sink sink) {
        this.sink = sink;
    }

    @Override
    public void beforeCommit(Connection connection, List<Change> changes) {
    }

    @Override
    public void afterCommit(List<Change> changes) {
        Sink target = sink;
        if (target != null && !changes.isEmpty()) {
            target.deliver(changes);
        }
    }

    @Override
    public void close() {
        sink = null;
    }
}
