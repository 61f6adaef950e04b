package dev.outpost.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Thousands of open {@code GET /outpost/v1/events} streams held by one thread: non-blocking sockets on one selector,
 * each response read just enough to follow it — status line and headers, chunked transfer coding, then the SSE lines
 * {@code event:} and {@code data:} — and each {@code change} event's position and arrival time recorded. No object
 * is made per event; a stream costs its socket, a small line buffer and a few fields, so that the load generator
 * holds 10,000 streams on the same two cores as the server it measures.
 *
 * <p>Arrivals are kept per position: {@link #arrivals(long)} holds, for each stream, when a {@code change} event of
 * that position reached it. The selector thread is the only writer; other threads read through the volatile count.
 * Not otherwise thread-safe: {@link #open} and {@link #close} are called from one thread.
 */
final class EventStreams implements AutoCloseable {
    /** When each stream heard of one position (nanoTime; 0 until it did). */
    static final class Arrivals {
        final long[] at;
        private volatile int count;

        Arrivals(int streams) {
            this.at = new long[streams];
        }

        int count() {
            return count;
        }
    }

    /** At most this many connections being opened (connecting, or waiting for their {@code ready}) at once. */
    private static final int OPENING_AT_ONCE = 200;

    private final InetSocketAddress server;
    private final byte[] request;
    private final Selector selector;
    private final Thread thread;
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
    private final ConcurrentLinkedQueue<Runnable> commands = new ConcurrentLinkedQueue<>();
    private final Map<Long, Arrivals> arrivals = new ConcurrentHashMap<>();
    private final List<Stream> streams = new ArrayList<>();
    private volatile int ready;
    private volatile int failed;
    private volatile int resyncs;
    private volatile int otherEvents;
    private volatile String firstFailure;
    private volatile boolean running = true;
    private int toOpen;
    private int opening;
    private volatile int total;
    private volatile int settled;

    /** Streams of {@code target} (path and query) on {@code server}; none is open until {@link #open}. */
    EventStreams(InetSocketAddress server, String target) throws IOException {
        this.server = server;
        this.request = ("GET " + target + " HTTP/1.1\r\nHost: " + server.getHostString() + ":" + server.getPort()
                + "\r\nAccept: text/event-stream\r\nAccept-Encoding: gzip\r\nUser-Agent: outpost-bench\r\n"
                + "ZUMO-API-VERSION: 3.0.0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        this.selector = Selector.open();
        this.thread = new Thread(this::loop, "outpost-bench-streams");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Opens {@code count} streams (at most {@value #OPENING_AT_ONCE} at a time) and waits until each has received
     * its {@code ready} event or failed, or {@code timeout} is up.
     *
     * @return how many are open and ready
     */
    int open(int count, long timeout, TimeUnit unit) throws InterruptedException {
        total += count;
        commands.add(() -> {
            toOpen += count;
            startOpening();
        });
        selector.wakeup();
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (settled < total && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return ready;
    }

    /** Streams open and ready. */
    int ready() {
        return ready;
    }

    /** Streams that could not open or ended (connection refused or closed, an answer other than 200). */
    int failed() {
        return failed;
    }

    /** The first failure's description, or {@code null}. */
    String firstFailure() {
        return firstFailure;
    }

    /** Events other than ready, change and resync (there should be none). */
    int otherEvents() {
        return otherEvents;
    }

    /** {@code resync} events received (the server dropped events of a stream that read too slowly). */
    int resyncs() {
        return resyncs;
    }

    /** When each stream heard of {@code position} ({@code null} if none has yet). */
    Arrivals arrivals(long position) {
        return arrivals.get(position);
    }

    /** Positions heard of so far, with how many streams heard each. */
    Map<Long, Integer> positionsHeard() {
        Map<Long, Integer> heard = new java.util.TreeMap<>();
        arrivals.forEach((position, a) -> heard.put(position, a.count()));
        return heard;
    }

    /** Forgets the arrivals recorded so far. */
    void forgetArrivals() {
        arrivals.clear();
    }

    /** Closes every stream and stops the thread. */
    @Override
    public void close() throws IOException {
        running = false;
        selector.wakeup();
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Stream stream : streams) {
            stream.channel.close();
        }
        selector.close();
    }

    private void startOpening() {
        while (toOpen > 0 && opening < OPENING_AT_ONCE) {
            toOpen--;
            opening++;
            Stream stream = new Stream(streams.size());
            streams.add(stream);
            try {
                SocketChannel channel = SocketChannel.open();
                stream.channel = channel;
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                stream.key = channel.register(selector, SelectionKey.OP_CONNECT, stream);
                if (channel.connect(server)) {
                    connected(stream);
                }
            } catch (IOException e) {
                fail(stream, "connect: " + e);
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                selector.select(1000);
                Runnable command;
                while ((command = commands.poll()) != null) {
                    command.run();
                }
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Stream stream = (Stream) key.attachment();
                    if (!key.isValid()) {
                        continue;
                    }
                    try {
                        if (key.isConnectable()) {
                            if (stream.channel.finishConnect()) {
                                connected(stream);
                            }
                        } else if (key.isWritable()) {
                            write(stream);
                        } else if (key.isReadable()) {
                            read(stream);
                        }
                    } catch (IOException e) {
                        fail(stream, e.toString());
                    }
                }
            } catch (IOException | RuntimeException e) {
                firstFailure = "selector: " + e;
                running = false;
            }
        }
    }

    private void connected(Stream stream) throws IOException {
        stream.out = ByteBuffer.wrap(request);
        write(stream);
    }

    private void write(Stream stream) throws IOException {
        stream.channel.write(stream.out);
        stream.key.interestOps(stream.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void read(Stream stream) throws IOException {
        in.clear();
        int n = stream.channel.read(in);
        if (n < 0) {
            fail(stream, "the server closed the stream");
            return;
        }
        in.flip();
        long now = System.nanoTime();
        while (in.hasRemaining() && !stream.ended) {
            stream.feed(in, now);
        }
    }

    private void fail(Stream stream, String why) {
        if (stream.ended) {
            return;
        }
        stream.ended = true;
        if (firstFailure == null) {
            firstFailure = "stream " + stream.index + ": " + why;
        }
        if (stream.ready) {
            ready--;
        } else {
            settled++;
            opening--;
            startOpening();
        }
        failed++;
        try {
            stream.channel.close();
        } catch (IOException ignored) {
            // Closing a failed stream.
        }
    }

    private void heard(Stream stream, int event, long position, long now) {
        switch (event) {
            case READY -> {
                if (!stream.ready) {
                    stream.ready = true;
                    ready++;
                    settled++;
                    opening--;
                    startOpening();
                }
            }
            case CHANGE -> {
                Arrivals a = arrivals.computeIfAbsent(position, p -> new Arrivals(total));
                if (stream.index < a.at.length && a.at[stream.index] == 0) {
                    a.at[stream.index] = now;
                    a.count++;
                }
            }
            case RESYNC -> resyncs++;
            default -> otherEvents++;
        }
    }

    /** One stream's connection and where its response is being read. */
    private final class Stream {
        private enum State { STATUS, HEADERS, CHUNK_SIZE, CHUNK_DATA, CHUNK_END }

        final int index;
        SocketChannel channel;
        SelectionKey key;
        ByteBuffer out;
        boolean ready;
        boolean ended;
        private State state = State.STATUS;
        private boolean chunked;
        private long chunkLeft;
        private byte[] line = new byte[128];
        private int lineLength;
        private byte[] sseLine = new byte[128];
        private int sseLength;
        private int event = NONE;
        private long position;

        Stream(int index) {
            this.index = index;
        }

        /** Consumes some of {@code in}. */
        void feed(ByteBuffer in, long now) throws IOException {
            switch (state) {
                case STATUS, HEADERS, CHUNK_SIZE, CHUNK_END -> {
                    byte b = in.get();
                    if (b != '\n') {
                        line = append(line, lineLength++, b);
                        return;
                    }
                    String text = new String(line, 0, lineLength, StandardCharsets.ISO_8859_1).trim();
                    lineLength = 0;
                    headLine(text);
                }
                case CHUNK_DATA -> {
                    int n = (int) Math.min(chunkLeft, in.remaining());
                    for (int i = 0; i < n; i++) {
                        sseByte(in.get(), now);
                    }
                    chunkLeft -= n;
                    if (chunkLeft == 0) {
                        state = State.CHUNK_END;
                    }
                }
            }
        }

        private void headLine(String text) throws IOException {
            switch (state) {
                case STATUS -> {
                    if (!text.startsWith("HTTP/1.1 200")) {
                        throw new IOException("answered " + text);
                    }
                    state = State.HEADERS;
                }
                case HEADERS -> {
                    String lower = text.toLowerCase(java.util.Locale.ROOT);
                    if (lower.isEmpty()) {
                        if (!chunked) {
                            throw new IOException("the event stream is not chunked");
                        }
                        state = State.CHUNK_SIZE;
                    } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                        chunked = true;
                    } else if (lower.startsWith("content-encoding:")) {
                        throw new IOException("the event stream is compressed: " + text);
                    }
                }
                case CHUNK_SIZE -> {
                    int semicolon = text.indexOf(';');
                    chunkLeft = Long.parseLong(semicolon < 0 ? text : text.substring(0, semicolon), 16);
                    if (chunkLeft == 0) {
                        throw new IOException("the server ended the stream");
                    }
                    state = State.CHUNK_DATA;
                }
                case CHUNK_END -> state = State.CHUNK_SIZE;
                default -> throw new IllegalStateException(state.name());
            }
        }

        private void sseByte(byte b, long now) {
            if (b != '\n') {
                sseLine = append(sseLine, sseLength++, b);
                return;
            }
            if (sseLength == 0) {
                if (event != NONE) {
                    heard(this, event, position, now);
                }
                event = NONE;
                position = 0;
            } else if (startsWith(sseLine, sseLength, EVENT)) {
                event = startsWith(sseLine, sseLength, EVENT_CHANGE) ? CHANGE
                        : startsWith(sseLine, sseLength, EVENT_READY) ? READY
                        : startsWith(sseLine, sseLength, EVENT_RESYNC) ? RESYNC : OTHER;
            } else if (event == CHANGE && startsWith(sseLine, sseLength, DATA)) {
                position = position(sseLine, sseLength);
            }
            sseLength = 0;
        }
    }

    private static final int NONE = 0;
    private static final int READY = 1;
    private static final int CHANGE = 2;
    private static final int RESYNC = 3;
    private static final int OTHER = 4;
    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_READY = "event: ready".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_CHANGE = "event: change".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EVENT_RESYNC = "event: resync".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] POSITION = "\"position\":\"".getBytes(StandardCharsets.US_ASCII);

    private static byte[] append(byte[] buffer, int at, byte b) {
        byte[] grown = at < buffer.length ? buffer : Arrays.copyOf(buffer, buffer.length * 2);
        grown[at] = b;
        return grown;
    }

    private static boolean startsWith(byte[] line, int length, byte[] prefix) {
        return length >= prefix.length && Arrays.equals(line, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The digits after {@code "position":"} in a change event's data, or -1. */
    private static long position(byte[] line, int length) {
        for (int i = 0; i + POSITION.length <= length; i++) {
            if (Arrays.equals(line, i, i + POSITION.length, POSITION, 0, POSITION.length)) {
                long value = 0;
                for (int j = i + POSITION.length; j < length && line[j] >= '0' && line[j] <= '9'; j++) {
                    value = value * 10 + (line[j] - '0');
                }
                return value;
            }
        }
        return -1;
    }
}
