package dev.outpost.client.testing;

import dev.outpost.client.sync.Conflict;
import dev.outpost.client.sync.ConflictResolution;
import dev.outpost.client.sync.PullResult;
import dev.outpost.client.sync.PushResult;
import dev.outpost.client.sync.SyncListener;
import dev.outpost.protocol.OutpostException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records sync events as short strings. Thread-safe. */
public final class RecordingSyncListener implements SyncListener {
    private final List<String> events = new CopyOnWriteArrayList<>();

    public List<String> events() {
        return List.copyOf(events);
    }

    @Override
    public void pushStarted(int operations) {
        events.add("pushStarted " + operations);
    }

    @Override
    public void pushFinished(PushResult result) {
        events.add("pushFinished " + result.pushed());
    }

    @Override
    public void pushFailed(OutpostException error) {
        events.add("pushFailed " + error.getClass().getSimpleName());
    }

    @Override
    public void conflict(Conflict conflict, ConflictResolution resolution) {
        events.add("conflict " + conflict.itemId() + " " + resolution);
    }

    @Override
    public void pullStarted(String table, String queryId) {
        events.add("pullStarted " + table);
    }

    @Override
    public void pullPage(String table, int upserted, int deleted, int skipped) {
        events.add("pullPage " + upserted + "/" + deleted + "/" + skipped);
    }

    @Override
    public void pullFinished(PullResult result) {
        events.add("pullFinished " + result.upserted());
    }

    @Override
    public void pullFailed(String table, OutpostException error) {
        events.add("pullFailed " + error.getClass().getSimpleName());
    }

    @Override
    public void liveSyncConnected() {
        events.add("liveSyncConnected");
    }

    @Override
    public void liveSyncDisconnected(OutpostException cause) {
        events.add("liveSyncDisconnected " + cause.getClass().getSimpleName());
    }

    @Override
    public void liveSyncPolling() {
        events.add("liveSyncPolling");
    }

    @Override
    public void liveSyncStopped() {
        events.add("liveSyncStopped");
    }

    /** How many recorded events are {@code event} or start with it and a space. */
    public long count(String event) {
        return events.stream().filter(e -> e.equals(event) || e.startsWith(event + " ")).count();
    }
}
