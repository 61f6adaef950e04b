package dev.outpost.client.testing;

import dev.outpost.protocol.OutpostHeaders;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import mockwebserver3.MockResponse;
import mockwebserver3.MockResponseBody;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.BufferedSink;

/**
 * Scripted answers to {@code GET /outpost/v1/events} for a {@link FakeTableServer} ({@code onEvents(streams)}): each
 * request gets the next queued refusal, or else a new open {@link Stream} that writes what the test sends, when it
 * sends it, until the test ends it. Records every request. Thread-safe; {@link #close()} ends every open stream.
 */
public final class EventStreams implements Function<RecordedRequest, MockResponse>, AutoCloseable {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String END = "\u0000end";

    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<Stream> streams = new ArrayList<>();
    private final Deque<Function<RecordedRequest, MockResponse>> refusals = new ArrayDeque<>();
    private Predicate<RecordedRequest> refuseWhen = request -> false;
    private MockResponse standingRefusal;
    private boolean closed;

    /** The next request is answered {@code status} with an error body of {@code code} (may be {@code null}). */
    public synchronized void refuseNext(int status, String code) {
        refusals.add(request -> refusal(status, code));
    }

    /** Requests that match {@code when} are answered {@code status} (until this is called again). */
    public synchronized void refuseWhen(Predicate<RecordedRequest> when, int status, String code) {
        this.refuseWhen = when;
        this.standingRefusal = refusal(status, code);
    }

    private static MockResponse refusal(int status, String code) {
        String body = "{\"error\":\"refused (test)\"" + (code == null ? "" : ",\"code\":\"" + code + "\"") + "}";
        return new MockResponse.Builder().code(status).addHeader("Content-Type", "application/json")
                .addHeader(OutpostHeaders.OUTPOST_SERVER, "0.1.0-fake").body(body).build();
    }

    @Override
    public MockResponse apply(RecordedRequest request) {
        Stream stream;
        synchronized (this) {
            requests.add(request);
            notifyAll();
            if (!refusals.isEmpty()) {
                return refusals.poll().apply(request);
            }
            if (refuseWhen.test(request)) {
                return standingRefusal;
            }
            stream = new Stream(request);
            streams.add(stream);
            if (closed) {
                stream.end();
            }
            notifyAll();
        }
        return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
                .addHeader(OutpostHeaders.OUTPOST_SERVER, "0.1.0-fake").body(stream)
                // No length and no chunks: the body runs to the end of the connection, which closes when it ends.
                .onResponseEnd(new SocketEffect.CloseSocket()).build();
    }

    /** Every events request so far. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** Waits (up to 20 s) for the {@code n}th stream opened (1 for the first). */
    public synchronized Stream awaitStream(int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (streams.size() < n) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("stream " + n + " was not opened; requests: " + requests.size());
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return streams.get(n - 1);
    }

    /** How many streams were opened. */
    public synchronized int opened() {
        return streams.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        streams.forEach(Stream::end);
    }

    /** One open event stream: what {@link #send} gives is written and flushed at once. */
    public static final class Stream implements MockResponseBody {
        private final RecordedRequest request;
        private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>();
        private volatile boolean finished;

        Stream(RecordedRequest request) {
            this.request = request;
        }

        /** The request that opened it. */
        public RecordedRequest request() {
            return request;
        }

        /** Sends raw event text (fields and the blank line that ends each event). */
        public Stream send(String text) {
            outbox.add(text);
            return this;
        }

        /** Sends one event. */
        public Stream event(String type, String id, String data) {
            StringBuilder text = new StringBuilder("event: ").append(type).append('\n');
            if (id != null) {
                text.append("id: ").append(id).append('\n');
            }
            return send(text.append("data: ").append(data).append("\n\n").toString());
        }

        /** {@code ready}, as the first event of a connection. */
        public Stream ready(String id, boolean resumed) {
            return event("ready", id, "{\"tables\":[],\"resumed\":" + resumed + "}");
        }

        /** A {@code change} of {@code table}. */
        public Stream change(String table, String id) {
            return event("change", id, "{\"table\":\"" + table + "\",\"position\":\"1\"}");
        }

        /** Ends the stream (the server closes it). */
        public void end() {
            outbox.add(END);
        }

        /** Whether the stream has ended (ended by the test, or found closed by the client). */
        public boolean finished() {
            return finished;
        }

        @Override
        public long getContentLength() {
            return -1;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try {
                sink.flush();
                while (true) {
                    String text = outbox.poll(50, TimeUnit.MILLISECONDS);
                    if (text == null) {
                        // Nothing to send: a comment line finds out whether the client is still there.
                        sink.writeUtf8(":\n").flush();
                        continue;
                    }
                    if (text.equals(END)) {
                        return;
                    }
                    sink.writeUtf8(text).flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                finished = true;
            }
        }
    }
}
