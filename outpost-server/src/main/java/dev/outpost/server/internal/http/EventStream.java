package dev.outpost.server.internal.http;

import dev.outpost.server.internal.events.ChangeHub;
import dev.outpost.server.internal.events.ChangeStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One open {@code /outpost/v1/events} stream, written with the servlet's non-blocking output: events wait in a
 * queue of at most {@link #MAX_QUEUED} and are written whenever the connection can take them, by whichever thread
 * offers them or by Jetty when the connection drains. A queue that would grow beyond that is replaced by one
 * {@code resync} event, so a slow reader costs bounded memory and delays no one.
 *
 * <p>Positions: the stream keeps the position of each table it has announced; each event's id is that whole vector
 * at the time the event was queued, so the id a client saw covers exactly the events it received. Changes offered
 * before {@link #open} (while the handler reads the current positions) are folded into the first answer. All state
 * is guarded by this object's monitor.
 */
final class EventStream implements ChangeStream, WriteListener {
    /** The most events waiting for one client. */
    static final int MAX_QUEUED = 64;
    private static final byte[] KEEP_ALIVE = ": keepalive\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ChangeHub hub;
    private final Map<String, String> names;
    private final String userId;
    private final Instant expires;
    private final Map<String, Long> positions = new LinkedHashMap<>();
    private final Map<String, Long> early = new HashMap<>();
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private ServletOutputStream out;
    private byte[] queuedResync;
    private String earlyResync;
    private boolean flushNeeded;
    private boolean ended;

    /**
     * A stream of the tables {@code names} (key → the name as the client wrote it, in the client's order).
     *
     * @param userId  the caller, or {@code null} for an anonymous one
     * @param expires when the caller's sign-in expires, or {@code null}
     */
    EventStream(ChangeHub hub, Map<String, String> names, String userId, Instant expires) {
        this.hub = hub;
        this.names = Map.copyOf(names);
        this.userId = userId;
        this.expires = expires;
        names.keySet().forEach(key -> positions.put(key, 0L));
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public Set<String> tables() {
        return names.keySet();
    }

    @Override
    public Instant expires() {
        return expires;
    }

    /** Completes when the stream has ended. */
    CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Starts writing to {@code out}: the {@code ready} event, then (when resuming from {@code lastEventId}) a change
     * of each table whose position in {@code current} is after the one in the id.
     *
     * @param current     each watched table's current position in the caller's view
     * @param lastEventId the positions the client has seen, or {@code null} for a new stream
     */
    synchronized void open(ServletOutputStream out, Map<String, Long> current, Map<String, Long> lastEventId) {
        if (ended) {
            done.complete(null);
            return;
        }
        this.out = out;
        boolean resumed = lastEventId != null;
        Map<String, Long> now = new HashMap<>(current);
        early.forEach((table, position) -> now.merge(table, position, Math::max));
        early.clear();
        for (String table : names.keySet()) {
            positions.put(table, resumed ? lastEventId.getOrDefault(table, 0L) : now.getOrDefault(table, 0L));
        }
        StringBuilder data = new StringBuilder("{\"tables\":[");
        positions.keySet().forEach(table -> data.append('"').append(names.get(table)).append("\","));
        data.setLength(data.length() - 1);
        data.append("],\"resumed\":").append(resumed).append('}');
        queue.add(event("ready", idVector(), data.toString()));
        if (resumed) {
            for (String table : names.keySet()) {
                long position = now.getOrDefault(table, 0L);
                if (position > positions.get(table)) {
                    queueChange(table, position);
                }
            }
        }
        if (earlyResync != null) {
            resyncNow(earlyResync);
        }
        out.setWriteListener(this);
    }

    @Override
    public synchronized void change(String table, long position) {
        if (ended) {
            return;
        }
        if (out == null) {
            early.merge(table, position, Math::max);
            return;
        }
        Long seen = positions.get(table);
        if (seen == null || position <= seen) {
            return;
        }
        queueChange(table, position);
        pump();
    }

    @Override
    public synchronized void resync(String reason) {
        if (ended) {
            return;
        }
        if (out == null) {
            earlyResync = reason;
            return;
        }
        resyncNow(reason);
        pump();
    }

    @Override
    public synchronized void keepAlive() {
        if (!ended && out != null && queue.isEmpty()) {
            queue.add(KEEP_ALIVE);
            pump();
        }
    }

    @Override
    public void end() {
        synchronized (this) {
            if (ended) {
                return;
            }
            ended = true;
            queue.clear();
        }
        hub.unregister(this);
        // Outside the monitor: completing lets Javalin finish the response on this thread.
        done.complete(null);
    }

    @Override
    public void onWritePossible() {
        synchronized (this) {
            pump();
        }
    }

    @Override
    public void onError(Throwable failure) {
        end();
    }

    /** Writes what is queued while the connection can take it; Jetty calls {@link #onWritePossible} when it can again. */
    private void pump() {
        if (ended || out == null) {
            return;
        }
        try {
            while (out.isReady()) {
                if (flushNeeded) {
                    flushNeeded = false;
                    out.flush();
                    continue;
                }
                byte[] next = queue.poll();
                if (next == null) {
                    return;
                }
                if (next == queuedResync) {
                    queuedResync = null;
                }
                out.write(next);
                flushNeeded = true;
            }
        } catch (IOException | IllegalStateException e) {
            // The client went away. Inside the monitor: Javalin finishes the response on another thread.
            ended = true;
            queue.clear();
            hub.unregister(this);
            CompletableFuture.runAsync(() -> done.complete(null));
        }
    }

    private void queueChange(String table, long position) {
        positions.put(table, position);
        queue(event("change", idVector(), "{\"table\":\"" + names.get(table) + "\",\"position\":\"" + position
                + "\"}"));
    }

    private void queue(byte[] event) {
        if (queuedResync != null) {
            return; // the resync waiting to be sent covers it
        }
        if (queue.size() >= MAX_QUEUED) {
            resyncNow("behind");
        } else {
            queue.add(event);
        }
    }

    private void resyncNow(String reason) {
        queue.clear();
        queuedResync = event("resync", null, "{\"reason\":\"" + reason + "\"}");
        queue.add(queuedResync);
    }

    private String idVector() {
        StringBuilder id = new StringBuilder();
        positions.forEach((table, position) -> id.append(id.length() == 0 ? "" : ",").append(table).append(':')
                .append(position));
        return id.toString();
    }

    private static byte[] event(String name, String id, String data) {
        StringBuilder text = new StringBuilder("event: ").append(name).append('\n');
        if (id != null) {
            text.append("id: ").append(id).append('\n');
        }
        text.append("data: ").append(data).append("\n\n");
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}
