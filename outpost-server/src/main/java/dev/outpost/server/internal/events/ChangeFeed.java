package dev.outpost.server.internal.events;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * How the changes of a commit reach the event streams of every replica. A writer calls {@link #beforeCommit} inside
 * its transaction, right before it commits, and {@link #afterCommit} once committed; the feed hands the changes to
 * its {@link Sink} (on every replica that shares the database). Thread-safe.
 */
public interface ChangeFeed extends AutoCloseable {
    /** Where a feed delivers changes. */
    interface Sink {
        /** Changes committed (possibly by another replica). Must not block. */
        void deliver(List<Change> changes);

        /** Changes may have been lost (the feed was cut off for a while): every stream should pull everything. */
        void lost();
    }

    /** A feed that publishes nothing (servers and tests without events). */
    ChangeFeed NONE = new ChangeFeed() {
        @Override
        public void start(Sink sink) {
        }

        @Override
        public void beforeCommit(Connection connection, List<Change> changes) {
        }

        @Override
        public void afterCommit(List<Change> changes) {
        }

        @Override
        public void close() {
        }
    };

    /** Starts delivering changes to {@code sink}. */
    void start(Sink sink);

    /** Called inside the writing transaction, before its commit. */
    void beforeCommit(Connection connection, List<Change> changes) throws SQLException;

    /** Called once the writing transaction has committed. */
    void afterCommit(List<Change> changes);

    @Override
    void close();
}
