package dev.outpost.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/** A real {@link OutpostServer} on a free port over a SQLite file, with a v3 back door for the tests. */
public final class RealOutpost implements Backend {
    private static final OkHttpClient HTTP = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private static final MediaType JSON = MediaType.get("application/json");

    private final MutableClock clock = new MutableClock();
    private final OutpostServer server;

    public RealOutpost(Path dir) {
        ServerConfig config = ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("server.db"))
                .shutdownTimeout(Duration.ZERO)
                .build();
        this.server = OutpostServer.builder().config(config).clock(clock).build().start();
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public int port() {
        return server.port();
    }

    @Override
    public ObjectNode write(String table, ObjectNode changes) {
        String id = changes.get("id").asText();
        ObjectNode existing = record(table, id);
        if (existing == null) {
            return (ObjectNode) call("POST", url(table, null), changes);
        }
        ObjectNode merged = existing.deepCopy();
        changes.properties().forEach(field -> merged.set(field.getKey(), field.getValue()));
        for (String system : List.of(SystemColumns.CREATED_AT, SystemColumns.UPDATED_AT, SystemColumns.VERSION)) {
            merged.remove(system);
        }
        return (ObjectNode) call("PUT", url(table, id), merged);
    }

    @Override
    public ObjectNode record(String table, String id) {
        HttpUrl url = url(table, id).newBuilder().addQueryParameter("__includedeleted", "true").build();
        JsonNode found = call("GET", url, null);
        return found == null ? null : (ObjectNode) found;
    }

    @Override
    public List<ObjectNode> liveRecords(String table) {
        List<ObjectNode> records = new ArrayList<>();
        while (true) {
            HttpUrl url = url(table, null).newBuilder().addQueryParameter("$skip", Integer.toString(records.size()))
                    .addQueryParameter("$orderby", "id").build();
            JsonNode page = call("GET", url, null);
            if (page == null || page.path("items").isEmpty()) {
                return records;
            }
            page.get("items").forEach(item -> records.add((ObjectNode) item));
        }
    }

    @Override
    public void freezeClock(Instant instant) {
        clock.freeze(instant);
    }

    @Override
    public void close() {
        server.stop();
    }

    private HttpUrl url(String table, String id) {
        HttpUrl.Builder url = HttpUrl.get(url()).newBuilder().addPathSegment("tables").addPathSegment(table);
        if (id != null) {
            url.addPathSegment(id);
        }
        return url.build();
    }

    /** One v3 request; the JSON answer, or {@code null} for 404/410/204. */
    private static JsonNode call(String method, HttpUrl url, JsonNode body) {
        Request.Builder request = new Request.Builder().url(url).header("ZUMO-API-VERSION", "3.0.0");
        request.method(method, body == null ? null : RequestBody.create(Json.write(body), JSON));
        try (Response response = HTTP.newCall(request.build()).execute()) {
            String text = response.body().string();
            if (response.code() == 404 || response.code() == 410 || response.code() == 204) {
                return null;
            }
            if (!response.isSuccessful()) {
                throw new IllegalStateException(method + " " + url + " answered " + response.code() + ": " + text);
            }
            return Json.parse(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
