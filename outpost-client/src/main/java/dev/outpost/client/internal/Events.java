package dev.outpost.client.internal;

import dev.outpost.client.sync.Conflict;
import dev.outpost.client.sync.ConflictResolution;
import dev.outpost.client.sync.PullResult;
import dev.outpost.client.sync.PushResult;
import dev.outpost.client.sync.SyncListener;
import dev.outpost.protocol.OutpostException;

/**
 * Delivers {@link SyncListener} events, dropping whatever a listener throws so that it cannot break a push or
 * pull. Callers invoke it only after the transaction an event reports has committed. Thread-safe.
 */
public final class Events {
    private final SyncListener listener;

    public Events(SyncListener listener) {
        this.listener = listener == null ? SyncListener.NONE : listener;
    }

    private void deliver(Runnable event) {
        try {
            event.run();
        } catch (RuntimeException e) {
            // A listener must not throw (documented); if it does, sync goes on.
        }
    }

    public void pushStarted(int operations) {
        deliver(() -> listener.pushStarted(operations));
    }

    public void pushFinished(PushResult result) {
        deliver(() -> listener.pushFinished(result));
    }

    public void pushFailed(OutpostException error) {
        deliver(() -> listener.pushFailed(error));
    }

    public void conflict(Conflict conflict, ConflictResolution resolution) {
        deliver(() -> listener.conflict(conflict, resolution));
    }

    public void pullStarted(String table, String queryId) {
        deliver(() -> listener.pullStarted(table, queryId));
    }

    public void pullPage(String table, int upserted, int deleted, int skipped) {
        deliver(() -> listener.pullPage(table, upserted, deleted, skipped));
    }

    public void pullFinished(PullResult result) {
        deliver(() -> listener.pullFinished(result));
    }

    public void pullFailed(String table, OutpostException error) {
        deliver(() -> listener.pullFailed(table, error));
    }

    public void liveSyncConnected() {
        deliver(listener::liveSyncConnected);
    }

    public void liveSyncDisconnected(OutpostException cause) {
        deliver(() -> listener.liveSyncDisconnected(cause));
    }

    public void liveSyncPolling() {
        deliver(listener::liveSyncPolling);
    }

    public void liveSyncStopped() {
        deliver(listener::liveSyncStopped);
    }
}
