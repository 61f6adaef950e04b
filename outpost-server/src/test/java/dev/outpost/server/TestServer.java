package dev.outpost.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.outpost.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A real {@link OutpostServer} on a free port over a fresh test database, with a small OkHttp client. */
public final class TestServer implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final MediaType JSON_TYPE = MediaType.get("application/json");
    private static final OkHttpClient CLIENT = new OkHttpClient.Builder()
            .readTimeout(60, TimeUnit.SECONDS)
            .retryOnConnectionFailure(false)
            .build();

    private final TestDatabase database;
    private final String url;
    private final OutpostServer server;

    private TestServer(TestDatabase database, String url, OutpostServer server) {
        this.database = database;
        this.url = url;
        this.server = server;
    }

    /** Starts a server with the dynamic schema on a fresh database. */
    public static TestServer start(TestDatabase database) {
        return start(database, b -> b);
    }

    /** Starts a server on a fresh database, with configuration changes. */
    public static TestServer start(TestDatabase database, UnaryOperator<ServerConfig.Builder> configure) {
        String url = database.createUrl();
        return startOn(database, url, configure);
    }

    /** Starts another server on an existing database {@code url} (which this server will not drop). */
    public static TestServer startOn(TestDatabase database, String url,
                                     UnaryOperator<ServerConfig.Builder> configure) {
        return startOn(database, url, configure, java.time.Clock.systemUTC());
    }

    /** Starts a server on {@code url} with a given clock. */
    public static TestServer startOn(TestDatabase database, String url,
                                     UnaryOperator<ServerConfig.Builder> configure, java.time.Clock clock) {
        ServerConfig config = configure.apply(ServerConfig.builder().port(0).database(url)
                .shutdownTimeout(java.time.Duration.ZERO)).build();
        OutpostServer server = OutpostServer.builder().config(config).clock(clock).build().start();
        return new TestServer(database, url, server);
    }

    /** Stops the server and keeps the database (for restarting on it). */
    public void stopKeepingDatabase() {
        server.stop();
    }

    /** A table name no other test uses. */
    public static String freshTable(String prefix) {
        return prefix + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    }

    public String databaseUrl() {
        return url;
    }

    public OutpostServer server() {
        return server;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    /** Sends a request; {@code body} is sent as-is (no body when null). */
    public Reply send(String method, String path, String body, Map<String, String> headers) {
        Request.Builder request = new Request.Builder().url(baseUrl() + path);
        // A Content-Type of "" means: send the body with no Content-Type header at all.
        headers.forEach((name, value) -> {
            if (!(name.equals("Content-Type") && value.isEmpty())) {
                request.header(name, value);
            }
        });
        RequestBody requestBody = body == null ? null
                : RequestBody.create(body, headers.containsKey("Content-Type") ? null : JSON_TYPE);
        if (body == null && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
            requestBody = RequestBody.create(new byte[0]);
        }
        request.method(method, requestBody);
        try (Response response = CLIENT.newCall(request.build()).execute()) {
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            response.headers().forEach(pair -> responseHeaders.put(pair.getFirst().toLowerCase(), pair.getSecond()));
            return new Reply(response.code(), responseHeaders, response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A GET of an absolute URL (another port of the server). */
    public static Reply get(String url) {
        return get(url, null);
    }

    /** A GET of an absolute URL with an {@code Authorization} header (none when null). */
    public static Reply get(String url, String authorization) {
        Request.Builder request = new Request.Builder().url(url);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try (Response response = CLIENT.newCall(request.build()).execute()) {
            Map<String, String> responseHeaders = new LinkedHashMap<>();
            response.headers().forEach(pair -> responseHeaders.put(pair.getFirst().toLowerCase(), pair.getSecond()));
            return new Reply(response.code(), responseHeaders, response.body().string());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Reply v2(String method, String path, String body) {
        return send(method, path, body, Map.of("ZUMO-API-VERSION", "2.0.0"));
    }

    public Reply v3(String method, String path, String body) {
        return send(method, path, body, Map.of("ZUMO-API-VERSION", "3.0.0"));
    }

    @Override
    public void close() {
        server.stop();
        database.drop(url);
    }

    /** An HTTP answer. */
    public record Reply(int status, Map<String, String> headers, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        public String header(String name) {
            return headers.get(name.toLowerCase());
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
