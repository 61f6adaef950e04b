package dev.outpost.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process TCP proxy that can lose responses, refuse connections or stall, for testing what a network does to
 * a client at the worst moment.
 *
 * <ul>
 *   <li>{@link #loseNextResponses(int)}: requests reach the server and are processed; when the server starts to
 *       answer, the proxy cuts the client's connection instead of relaying, so the client never learns the
 *       outcome. This is the "lost response" that makes naive sync clients duplicate or lose writes.</li>
 *   <li>{@link #refuseConnections(boolean)}: new connections are closed at once, as by a server that is down.</li>
 *   <li>{@link #stall(boolean)}: bytes in both directions are held back until the stall ends.</li>
 *   <li>{@link #resetNextResponses(int)}: requests reach the server; the proxy relays the first part of the answer,
 *       then resets both connections (a TCP RST), so the client sees a connection reset mid-response.</li>
 *   <li>{@link #delay(long)}: every relayed chunk is held back that many milliseconds (a slow network).</li>
 *   <li>{@link #cutAll()}: every open connection is closed now.</li>
 * </ul>
 *
 * <p>Thread-safe; each connection uses two daemon threads. Close it when done.
 */
public final class ChaosProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger responsesToLose = new AtomicInteger();
    private final AtomicInteger responsesLost = new AtomicInteger();
    private final AtomicInteger responsesToReset = new AtomicInteger();
    private volatile long delayMillis;
    private final AtomicInteger connections = new AtomicInteger();
    private final Object stallLock = new Object();
    private volatile boolean refusing;
    private volatile boolean stalled;
    private volatile boolean closed;

    private ChaosProxy(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::acceptLoop, "chaos-proxy-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Starts a proxy on a free loopback port in front of {@code host:port}. */
    public static ChaosProxy start(String host, int port) {
        try {
            return new ChaosProxy(host, port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The port the proxy listens on. */
    public int port() {
        return listener.getLocalPort();
    }

    /** {@code http://127.0.0.1:<port>}: the base URL a client should use. */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Loses the next {@code count} responses (the requests are still delivered). */
    public void loseNextResponses(int count) {
        responsesToLose.set(count);
    }

    /**
     * Resets the connections of the next {@code count} responses after relaying their first bytes (at most half of
     * the first chunk the server sends, so the client has started to read an answer it will never finish).
     */
    public void resetNextResponses(int count) {
        responsesToReset.addAndGet(count);
    }

    /** Holds every relayed chunk back {@code millis} milliseconds from now on (0: no delay). */
    public void delay(long millis) {
        if (millis < 0) {
            throw new IllegalArgumentException("delay must not be negative: " + millis);
        }
        delayMillis = millis;
    }

    /** How many responses were lost so far. */
    public int responsesLost() {
        return responsesLost.get();
    }

    /** How many client connections were accepted so far (refused ones included). */
    public int connectionsAccepted() {
        return connections.get();
    }

    /** While {@code true}, new connections are closed as soon as they are accepted. */
    public void refuseConnections(boolean refuse) {
        this.refusing = refuse;
        if (refuse) {
            cutAll();
        }
    }

    /** While {@code true}, no bytes are relayed in either direction. */
    public void stall(boolean stall) {
        synchronized (stallLock) {
            this.stalled = stall;
            stallLock.notifyAll();
        }
    }

    /**
     * Ends every fault: responses still to lose or reset are forgotten, connections are accepted, nothing is
     * delayed or stalled. Open connections stay open.
     */
    public void heal() {
        responsesToLose.set(0);
        responsesToReset.set(0);
        refuseConnections(false);
        delay(0);
        stall(false);
    }

    /** Closes every open connection. */
    public void cutAll() {
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    @Override
    public void close() {
        closed = true;
        stall(false);
        closeQuietly(listener);
        cutAll();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            connections.incrementAndGet();
            if (refusing) {
                closeQuietly(client);
                continue;
            }
            Socket server = new Socket();
            try {
                server.connect(new InetSocketAddress(targetHost, targetPort), 5_000);
            } catch (IOException e) {
                closeQuietly(client);
                closeQuietly(server);
                continue;
            }
            sockets.add(client);
            sockets.add(server);
            AtomicBoolean requestPending = new AtomicBoolean();
            pump(client, server, false, requestPending);
            pump(server, client, true, requestPending);
        }
    }

    /**
     * Relays one direction of a connection. The first bytes the server sends after the client sent a request start a
     * response; that is where a response is lost (the request has been delivered, the server is answering).
     */
    private void pump(Socket from, Socket to, boolean isResponse, AtomicBoolean requestPending) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    awaitUnstalled();
                    long delay = delayMillis;
                    if (delay > 0) {
                        Thread.sleep(delay);
                    }
                    if (!isResponse) {
                        requestPending.set(true);
                    } else if (requestPending.getAndSet(false)) {
                        if (loseThisResponse()) {
                            break;
                        }
                        if (take(responsesToReset)) {
                            out.write(buffer, 0, Math.max(1, n / 2));
                            out.flush();
                            reset(from);
                            reset(to);
                            break;
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // The other side went away or the proxy was closed: tear the pair down below.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "chaos-proxy-" + (isResponse ? "down" : "up"));
        thread.setDaemon(true);
        thread.start();
    }

    /** Takes one from {@code counter} if it is positive. */
    private static boolean take(AtomicInteger counter) {
        while (true) {
            int left = counter.get();
            if (left <= 0) {
                return false;
            }
            if (counter.compareAndSet(left, left - 1)) {
                return true;
            }
        }
    }

    /** Closes {@code socket} with a TCP RST rather than an orderly FIN. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException e) {
            // Already closed: nothing to reset.
        }
        closeQuietly(socket);
    }

    private boolean loseThisResponse() {
        while (true) {
            int left = responsesToLose.get();
            if (left <= 0) {
                return false;
            }
            if (responsesToLose.compareAndSet(left, left - 1)) {
                responsesLost.incrementAndGet();
                return true;
            }
        }
    }

    private void awaitUnstalled() throws InterruptedException {
        synchronized (stallLock) {
            while (stalled && !closed) {
                stallLock.wait();
            }
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException | RuntimeException e) {
            // Nothing useful to do: the connection is being torn down on purpose.
        }
    }
}
