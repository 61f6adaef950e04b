package dev.outpost.client.internal.push;

import dev.outpost.client.exception.AuthenticationException;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.internal.Events;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.queue.OperationQueue;
import dev.outpost.client.internal.queue.QueueWalk;
import dev.outpost.client.store.LocalStore;
import dev.outpost.client.sync.ConflictHandler;
import dev.outpost.client.sync.PushResult;
import dev.outpost.protocol.OutpostException;

/**
 * Pushes the operation queue, FIFO across all tables: each push is a {@link PushRun} over a fresh
 * {@link QueueWalk}, and is reported to the listener. Callers serialise pushes with the sync permit; thread-safe
 * otherwise.
 */
public final class Pusher {
    private final LocalStore store;
    private final OperationQueue queue;
    private final TableApi api;
    private final ConflictHandler handler;
    private final Events events;
    private final Resolutions resolutions;
    private final Outgoing outgoing;
    private final Answers answers;

    public Pusher(LocalStore store, OperationQueue queue, TableApi api, ConflictHandler handler, Events events) {
        this.store = store;
        this.queue = queue;
        this.api = api;
        this.handler = handler;
        this.events = events;
        this.resolutions = new Resolutions(queue);
        this.outgoing = new Outgoing(queue);
        this.answers = new Answers(queue);
    }

    /**
     * Pushes every operation that is not parked (operations parked by a transient server failure are retried).
     *
     * @throws NetworkException        if the server cannot be reached; the queue is intact
     * @throws AuthenticationException on 401; the queue is intact
     */
    public PushResult push() {
        try {
            QueueWalk walk = QueueWalk.start(store, queue);
            events.pushStarted(walk.pushable());
            PushTally tally = new PushTally();
            ConflictStep conflicts = new ConflictStep(walk, queue, handler, resolutions, events, tally);
            PushResult result = new PushRun(walk, api, outgoing, answers, conflicts, tally).run();
            events.pushFinished(result);
            return result;
        } catch (OutpostException e) {
            events.pushFailed(e);
            throw e;
        }
    }
}
