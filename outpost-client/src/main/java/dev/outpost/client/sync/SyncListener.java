package dev.outpost.client.sync;

import dev.outpost.protocol.OutpostException;

/**
 * Hears how push and pull progress, for progress bars and status lines, and how a {@link LiveSync} stands. Every
 * method has a no-op default; override the ones you need, or use {@link #NONE}.
 *
 * <p>Events are delivered on the thread running the push or pull (a live sync's own threads for its pulls, pushes
 * and {@code liveSync…} events), after the transaction they report has committed and with no lock held. A listener
 * must be fast, must not throw (what it throws is caught and dropped) and must not call push, pull or
 * {@link LiveSync#stop()}; it may read the store.
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

    /** A live sync opened the server's change events: from now on, changes are pulled as they are announced. */
    default void liveSyncConnected() {
    }

    /**
     * A live sync's change events closed, or could not be opened: {@code cause} says why (a
     * {@code NetworkException} when the server could not be reached or ended the stream, an
     * {@code AuthenticationException} when it refused the token even after a refresh, another
     * {@code ServerResponseException} when it refused the request). It tries again after a delay, unless the refusal
     * is one that trying again cannot cure (an unknown table, say): then it polls instead ({@link #liveSyncPolling}).
     */
    default void liveSyncDisconnected(OutpostException cause) {
    }

    /**
     * A live sync polls: the server has no change events (a v2/v3 server, or a client set to speak v2/v3), or
     * refused them for good; the watched tables are pulled and the queue pushed every poll interval, and local
     * changes are pushed soon after they are made.
     */
    default void liveSyncPolling() {
    }

    /** A live sync stopped. */
    default void liveSyncStopped() {
    }
}
