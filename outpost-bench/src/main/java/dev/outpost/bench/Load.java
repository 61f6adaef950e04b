package dev.outpost.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Iterator;
import org.HdrHistogram.Histogram;

/**
 * Closed-loop HTTP load: {@code connections} keep-alive connections, each sending its next request as soon as the
 * previous response has been read to the end (and gunzipped), for a time or a number of requests; measures
 * throughput and latency (HdrHistogram, microseconds, from the first byte sent to the last byte received).
 *
 * <p>One thread drives every connection through a selector, as load generators like wrk do: a thread per connection
 * (OkHttp's blocking calls) costs a context switch per request, which on a 2-core machine took CPU from the server
 * being measured. The requests, headers, connections and responses the server sees are the same.
 */
final class Load {

    /** The request to send as number {@code sequence} (0, 1, 2, …). */
    @FunctionalInterface
    interface Call {
        byte[] request(long sequence);
    }

    /** What a run measured. */
    record Result(long requests, long errors, double seconds, Histogram latencyMicros) {
        double perSecond() {
            return requests / seconds;
        }

        String describe(String unit) {
            return String.format("%,.0f %s/s  (%,d in %.1f s, errors %d)  latency p50 %.2f ms  p99 %.2f ms  "
                    + "max %.1f ms", perSecond(), unit, requests, seconds, errors,
                    latencyMicros.getValueAtPercentile(50) / 1000.0,
                    latencyMicros.getValueAtPercentile(99) / 1000.0, latencyMicros.getMaxValue() / 1000.0);
        }
    }

    private static final long MAX_LATENCY_MICROS = 60_000_000L;

    private final InetSocketAddress server;
    private final int expectedStatus;
    private final Call call;
    private final long total;
    private final long end;
    private final Histogram latency = new Histogram(MAX_LATENCY_MICROS, 3);
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
    private long next;
    private long answered;
    private long errors;
    private int open;

    private Load(InetSocketAddress server, int expectedStatus, Call call, long total, Duration time) {
        this.server = server;
        this.expectedStatus = expectedStatus;
        this.call = call;
        this.total = total;
        this.end = System.nanoTime() + time.toNanos();
    }

    /** Sends requests over {@code connections} connections for {@code time}; each must answer {@code status}. */
    static Result forDuration(InetSocketAddress server, int connections, Duration time, int status, Call call)
            throws IOException {
        return new Load(server, status, call, Long.MAX_VALUE, time).run(connections);
    }

    /** Sends {@code total} requests over {@code connections} connections; each must answer {@code status}. */
    static Result forCount(InetSocketAddress server, int connections, long total, int status, Call call)
            throws IOException {
        return new Load(server, status, call, total, Duration.ofDays(1)).run(connections);
    }

    /** One connection's state: the request being written and the response being read. */
    private static final class Connection {
        final SocketChannel channel;
        final HttpResponseReader reader = new HttpResponseReader();
        ByteBuffer out;
        long sentAt;

        Connection(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private Result run(int connections) throws IOException {
        long start = System.nanoTime();
        try (Selector selector = Selector.open()) {
            for (int i = 0; i < connections; i++) {
                connect(selector);
            }
            while (open > 0) {
                selector.select(100);
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    Connection connection = (Connection) key.attachment();
                    try {
                        if (key.isValid() && key.isWritable()) {
                            write(key, connection);
                        } else if (key.isValid() && key.isReadable()) {
                            read(selector, key, connection);
                        }
                    } catch (IOException e) {
                        fail("request failed: " + e);
                        key.cancel();
                        connection.channel.close();
                        open--;
                        connect(selector);
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(answered, errors, seconds, latency);
    }

    private void connect(Selector selector) throws IOException {
        if (!more()) {
            return;
        }
        SocketChannel channel = SocketChannel.open(server);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        channel.configureBlocking(false);
        Connection connection = new Connection(channel);
        SelectionKey key = channel.register(selector, 0, connection);
        open++;
        sendNext(key, connection);
    }

    private boolean more() {
        return next < total && System.nanoTime() < end;
    }

    private void sendNext(SelectionKey key, Connection connection) throws IOException {
        if (!more()) {
            key.cancel();
            connection.channel.close();
            open--;
            return;
        }
        connection.out = ByteBuffer.wrap(call.request(next++));
        connection.reader.reset();
        connection.sentAt = System.nanoTime();
        write(key, connection);
    }

    private void write(SelectionKey key, Connection connection) throws IOException {
        connection.channel.write(connection.out);
        key.interestOps(connection.out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    private void read(Selector selector, SelectionKey key, Connection connection) throws IOException {
        in.clear();
        if (connection.channel.read(in) < 0) {
            throw new IOException("the server closed the connection");
        }
        in.flip();
        if (!connection.reader.feed(in)) {
            return;
        }
        latency.recordValue(Math.min((System.nanoTime() - connection.sentAt) / 1000, MAX_LATENCY_MICROS));
        HttpResponseReader response = connection.reader;
        if (response.status() == expectedStatus) {
            answered++;
        } else {
            fail("answered " + response.status() + " instead of " + expectedStatus + ": " + response.bodyText());
        }
        if (!response.keepAlive()) {
            key.cancel();
            connection.channel.close();
            open--;
            connect(selector);
            return;
        }
        sendNext(key, connection);
    }

    private void fail(String message) {
        if (++errors <= 3) {
            System.err.println("  " + message);
        }
    }
}
