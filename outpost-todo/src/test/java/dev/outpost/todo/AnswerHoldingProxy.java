package dev.outpost.todo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A TCP proxy in front of a server that, once {@link #hold() armed}, lets POST requests through and keeps the first
 * successful (2xx) answer from the client: the server has applied the pushed change (a native batch, or a v3 insert
 * when the server has no native push), the client is still waiting for the answer. The test then interrupts the
 * client at exactly that moment. {@link #awaitHeldAnswer} says when it has come.
 *
 * <p>Unlike {@code ChaosProxy}'s stall (which holds both directions, so the request may not have arrived yet), this
 * makes the worst case certain: applied on the server, unknown to the client. Thread-safe; close it when done.
 */
final class AnswerHoldingProxy implements AutoCloseable {
    private final int targetPort;
    private final ServerSocket listener;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final CountDownLatch held = new CountDownLatch(1);
    private volatile boolean holding;
    private volatile boolean closed;

    AnswerHoldingProxy(int targetPort) {
        this.targetPort = targetPort;
        try {
            this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread acceptor = new Thread(this::acceptLoop, "holding-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code http://127.0.0.1:<port>}. */
    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    /** From now on, the next successful answer to a POST is kept from the client (its connection is left hanging). */
    void hold() {
        holding = true;
    }

    /** Waits until the server has answered a POST and the answer is being held; false after the timeout. */
    boolean awaitHeldAnswer(long seconds) throws InterruptedException {
        return held.await(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // Closing anyway.
        }
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 5_000);
                sockets.add(client);
                sockets.add(server);
                Exchange exchange = new Exchange();
                pump(client, server, exchange, true);
                pump(server, client, exchange, false);
            } catch (IOException e) {
                return;
            }
        }
    }

    /** What one connection is doing: whether a request is waiting for its answer, and whether it is a POST. */
    private static final class Exchange {
        volatile boolean requestPending;
        volatile boolean post;
    }

    private void pump(Socket from, Socket to, Exchange exchange, boolean upstream) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    if (upstream && !exchange.requestPending) {
                        exchange.requestPending = true;
                        exchange.post = new String(buffer, 0, Math.min(n, 5), StandardCharsets.US_ASCII)
                                .equals("POST ");
                    } else if (!upstream && exchange.requestPending) {
                        exchange.requestPending = false;
                        if (exchange.post && holding && new String(buffer, 0, Math.min(n, 10),
                                StandardCharsets.US_ASCII).startsWith("HTTP/1.1 2")) {
                            held.countDown();
                            waitUntilClosed();
                            return;
                        }
                    }
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException e) {
                // One side went away: tear the pair down.
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "holding-proxy-" + (upstream ? "up" : "down"));
        thread.setDaemon(true);
        thread.start();
    }

    private void waitUntilClosed() {
        synchronized (this) {
            while (!closed) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Already closed.
        }
    }
}
