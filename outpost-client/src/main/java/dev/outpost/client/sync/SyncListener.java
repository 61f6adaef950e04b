package dev.outpost.client.sync;

import dev.outpost.protocol.OutpostException;

/**
 * Hears how push and pull progress, for progress bars and status lines. Every method has a no-op default; override
 * the ones you need, or use {@link #NONE}.
 *
 * <p>Events are delivered on the thread running the push or pull, after the transaction they report has committed
 * and with no lock held. A listener must be fast, must not throw (what it throws is caught and dropped) and must
 * not call push or pull; it may read the store.
 */
public interface SyncListener {
    /** A listener that ignores everything. */
    SyncListener NONE = new SyncListener() {
    };

    /** A push starts with {@code operations} queued operations to send. */
    default void pushStarted(int operations) {
    }

    /** A push finished; its result. */
    default void pushFinished(PushResult result) {
    }

    /** A push stopped early ({@code NetworkException}, {@code AuthenticationException}, store failure). */
    default void pushFailed(OutpostException error) {
    }

    /** A conflict was met during a push and resolved as {@code resolution}. */
    default void conflict(Conflict conflict, ConflictResolution resolution) {
    }

    /** A pull of {@code table} starts ({@code queryId} is {@code null} for a full pull). */
    default void pullStarted(String table, String queryId) {
    }

    /** A page of a pull was stored: records written, deleted, and skipped because they have pending operations. */
    default void pullPage(String table, int upserted, int deleted, int skipped) {
    }

    /** A pull finished; its result. */
    default void pullFinished(PullResult result) {
    }

    /** A pull stopped early. */
    default void pullFailed(String table, OutpostException error) {
    }
}
