package dev.outpost.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.testing.OfficialNodeServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The official Azure Mobile Apps Node server ({@link OfficialNodeServer}) as a sync test's backend, with a v2 back
 * door to read and write its records directly. Skipped where it is not installed, unless it is required.
 */
public final class NodeServer implements Backend {
    private static final OkHttpClient HTTP = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private static final MediaType JSON = MediaType.get("application/json");

    private final OfficialNodeServer server;
    private final int port;

    public NodeServer(Path dir) {
        this.server = OfficialNodeServer.start(dir);
        this.port = server.port();
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public ObjectNode write(String table, ObjectNode changes) {
        String id = changes.get("id").asText();
        ObjectNode existing = record(table, id);
        ObjectNode body = changes.deepCopy();
        for (String system : List.of(SystemColumns.CREATED_AT, SystemColumns.UPDATED_AT, SystemColumns.VERSION,
                SystemColumns.DELETED)) {
            body.remove(system);
        }
        if (existing == null) {
            return (ObjectNode) call("POST", url(table, null), body);
        }
        return (ObjectNode) call("PATCH", url(table, id), body);
    }

    @Override
    public ObjectNode record(String table, String id) {
        HttpUrl url = url(table, null).newBuilder()
                .addQueryParameter("$filter", "id eq '" + id.replace("'", "''") + "'")
                .addQueryParameter("__includeDeleted", "true").build();
        JsonNode found = call("GET", url, null);
        return found == null || found.isEmpty() ? null : (ObjectNode) found.get(0);
    }

    @Override
    public List<ObjectNode> liveRecords(String table) {
        List<ObjectNode> records = new ArrayList<>();
        while (true) {
            HttpUrl url = url(table, null).newBuilder().addQueryParameter("$orderby", "id")
                    .addQueryParameter("$skip", Integer.toString(records.size())).build();
            JsonNode page = call("GET", url, null);
            if (page == null || page.isEmpty()) {
                return records;
            }
            page.forEach(item -> records.add((ObjectNode) item));
        }
    }

    /** The Node server stamps writes with its own clock; records written in a tight loop share milliseconds. */
    @Override
    public void freezeClock(Instant instant) {
    }

    @Override
    public void close() {
        server.close();
    }

    private HttpUrl url(String table, String id) {
        HttpUrl.Builder url = HttpUrl.get(url()).newBuilder().addPathSegment("tables").addPathSegment(table);
        if (id != null) {
            url.addPathSegment(id);
        }
        return url.build();
    }

    private static JsonNode call(String method, HttpUrl url, JsonNode body) {
        Request.Builder request = new Request.Builder().url(url).header("ZUMO-API-VERSION", "2.0.0");
        request.method(method, body == null ? null : RequestBody.create(Json.write(body), JSON));
        try (Response response = HTTP.newCall(request.build()).execute()) {
            String text = response.body().string();
            if (response.code() == 404) {
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
