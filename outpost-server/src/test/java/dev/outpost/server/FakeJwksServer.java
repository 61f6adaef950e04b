package dev.outpost.server;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider's key endpoint on a free local port: serves a JWKS (public keys only) that a test can change,
 * or a 500 while {@link #fail} is set, and counts the requests. Thread-safe.
 */
final class FakeJwksServer implements AutoCloseable {
    private final HttpServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private volatile String body = "{\"keys\":[]}";
    private volatile boolean failing;

    FakeJwksServer(JWK... keys) {
        publish(keys);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/keys", exchange -> {
            fetches.incrementAndGet();
            byte[] bytes = failing ? "down".getBytes(StandardCharsets.UTF_8) : body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(failing ? 500 : 200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** Serves these keys (their public parts) from now on. */
    void publish(JWK... keys) {
        body = new JWKSet(List.of(keys)).toPublicJWKSet().toString();
    }

    /** Answers 500 while {@code failing}. */
    void fail(boolean failing) {
        this.failing = failing;
    }

    /** How many times the keys were asked for. */
    int fetches() {
        return fetches.get();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/keys";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
