package dev.outpost.client.internal.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.client.exception.NetworkException;
import dev.outpost.client.exception.ServerResponseException;
import dev.outpost.client.exception.ServerUnavailableException;
import dev.outpost.client.exception.UnexpectedAnswerException;
import dev.outpost.client.internal.Events;
import dev.outpost.client.internal.http.NativeUnavailableException;
import dev.outpost.client.internal.http.TableApi;
import dev.outpost.client.internal.json.Json;
import dev.outpost.client.sync.LiveSync;
import dev.outpost.client.sync.LiveSyncOptions;
import dev.outpost.protocol.ErrorBody;
import dev.outpost.protocol.OutpostException;
import java.io.EOFException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import okhttp3.Call;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import okhttp3.sse.EventSources;

/**
 * A live sync's connection to the server's change events ({@code GET /outpost/v1/events}, docs/native-protocol.md),
 * run on its own thread: open the stream, hand each event to the {@link LiveWork}, and when the stream ends or cannot
 * be opened, wait a {@link Backoff} delay and open it again, resuming with {@code Last-Event-ID}. Where the server
 * has no change events (a v2/v3 client or server, an Outpost server without the endpoint) or refuses them in a way
 * that trying again cannot cure (400, 403, 404 of an unknown table, …), it hands over to polling and ends. A 401 has
 * already been retried once with a refreshed token by the client's authenticator; it is retried again after the
 * delay, with whatever token the provider gives then.
 *
 * <p>Thread-safe: {@link #stop()} may come from any thread; the rest runs on the stream thread.
 */
final class EventStream implements Runnable {
    private static final String WHAT = "GET /outpost/v1/events";

    private final TableApi api;
    private final Events events;
    private final LiveWork work;
    private final List<String> tables;
    private final Duration idleTimeout;
    private final Backoff backoff;
    private final Consumer<LiveSync.State> state;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the call reading the stream now, cancelled by {@link #stop()}. */
    private Call current;
    /** Guarded by {@link #lock}. */
    private boolean stopping;
    /** The id of the last event received: where a new connection resumes. Stream thread only. */
    private String lastEventId;

    EventStream(TableApi api, Events events, LiveWork work, LiveSyncOptions options,
            Consumer<LiveSync.State> state) {
        this.api = api;
        this.events = events;
        this.work = work;
        this.tables = options.tables();
        this.idleTimeout = options.idleTimeout();
        this.backoff = new Backoff(options.initialReconnectDelay(), options.maxReconnectDelay());
        this.state = state;
    }

    @Override
    public void run() {
        if (!api.nativeAllowed()) {
            poll();
            return;
        }
        while (!stopping()) {
            OutpostException cause;
            try {
                if (!api.useNative()) {
                    poll();
                    return;
                }
                cause = listen();
            } catch (NativeUnavailableException e) {
                poll();
                return;
            } catch (ServerResponseException e) {
                if (isPermanent(e)) {
                    events.liveSyncDisconnected(e);
                    poll();
                    return;
                }
                cause = e;
            } catch (OutpostException e) {
                cause = e;
            }
            work.disconnected();
            if (stopping()) {
                return;
            }
            state.accept(LiveSync.State.CONNECTING);
            events.liveSyncDisconnected(cause);
            pause(backoff.next());
        }
    }

    /**
     * Whether a refusal of the stream is one that asking again cannot cure: a 4xx other than 401 (a token may be
     * refreshed), 408 and 429 (the server is busy).
     */
    private static boolean isPermanent(ServerResponseException refusal) {
        return refusal.status() >= 400 && refusal.status() < 500 && refusal.status() != 401
                && !(refusal instanceof ServerUnavailableException);
    }

    private void poll() {
        if (stopping()) {
            return;
        }
        state.accept(LiveSync.State.POLLING);
        events.liveSyncPolling();
        work.startPolling();
    }

    /** Opens the stream and reads it to its end; returns why it ended. */
    private OutpostException listen() {
        Call call = api.events(tables, lastEventId, idleTimeout);
        synchronized (lock) {
            if (stopping) {
                return new NetworkException(WHAT, new IOException("stopped"));
            }
            current = call;
        }
        try (Response response = TableApi.openEvents(call)) {
            Reader reader = new Reader();
            EventSources.processResponse(response, reader);
            return reader.end;
        } finally {
            synchronized (lock) {
                current = null;
            }
        }
    }

    /** Waits {@code delay}, or until {@link #stop()}. */
    private void pause(Duration delay) {
        long deadline = System.nanoTime() + delay.toNanos();
        synchronized (lock) {
            long left;
            while (!stopping && (left = deadline - System.nanoTime()) > 0) {
                try {
                    lock.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    // Only stop() ends the stream; it notifies instead of interrupting.
                }
            }
        }
    }

    private boolean stopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    /** Closes the stream and ends the thread's loop (it may still be finishing a connection attempt). */
    void stop() {
        synchronized (lock) {
            stopping = true;
            if (current != null) {
                current.cancel();
            }
            lock.notifyAll();
        }
    }

    /** Reads one connection's events (on the stream thread, inside {@link EventSources#processResponse}). */
    private final class Reader extends EventSourceListener {
        /** Why the stream ended. */
        private OutpostException end = new NetworkException(WHAT, new EOFException("the server ended the stream"));

        @Override
        public void onEvent(EventSource source, String id, String type, String data) {
            if (id != null && !id.isEmpty()) {
                lastEventId = id;
            }
            if ("ready".equals(type)) {
                JsonNode ready = parse(data);
                backoff.reset();
                work.connected(ready.path("resumed").asBoolean(false));
                state.accept(LiveSync.State.CONNECTED);
                events.liveSyncConnected();
            } else if ("change".equals(type)) {
                JsonNode table = parse(data).path("table");
                if (table.isTextual()) {
                    work.tableChanged(table.asText());
                } else {
                    work.everythingChanged();
                }
            } else if ("resync".equals(type)) {
                work.everythingChanged();
            }
        }

        private JsonNode parse(String data) {
            try {
                return Json.parse(data);
            } catch (RuntimeException e) {
                return Json.object();
            }
        }

        @Override
        public void onFailure(EventSource source, Throwable failure, Response response) {
            if (failure instanceof IOException io) {
                end = new NetworkException(WHAT, io);
            } else {
                int status = response == null ? 200 : response.code();
                end = new UnexpectedAnswerException(WHAT, status, ErrorBody.of("notEventStream",
                        failure == null ? "not an event stream" : failure.getMessage()));
            }
        }
    }
}
