package dev.outpost.client.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.client.internal.json.Json;
import dev.outpost.protocol.SystemColumns;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.Assumptions;

/**
 * The official Azure Mobile Apps Node server (azure-mobile-apps 4.x, sqlite provider) in a child process, for
 * compatibility tests. Installed by {@code outpost-client/scripts/install-node-server.sh} into
 * {@code ~/.cache/outpost-node-server} (or the directory in {@code -Doutpost.nodeServerDir}); when it is not
 * installed, the tests that need it are skipped with a message saying so.
 */
public final class NodeServer implements Backend {
    private static final OkHttpClient HTTP = new OkHttpClient.Builder().retryOnConnectionFailure(false).build();
    private static final MediaType JSON = MediaType.get("application/json");
    private static volatile boolean announced;

    private final Process process;
    private final int port;

    public NodeServer(Path dir) {
        Path home = installation();
        try {
            Path script = Path.of(NodeServer.class.getResource("/node-server/server.js").toURI());
            ProcessBuilder builder = new ProcessBuilder("node", script.toString(), dir.resolve("node.db").toString())
                    .redirectErrorStream(true);
            builder.environment().put("NODE_PATH", home.resolve("node_modules").toString());
            process = builder.start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            String line;
            int found = -1;
            StringBuilder seen = new StringBuilder();
            while ((line = out.readLine()) != null) {
                if (line.startsWith("LISTENING ")) {
                    found = Integer.parseInt(line.substring("LISTENING ".length()).trim());
                    break;
                }
                seen.append(line).append('\n');
            }
            if (found < 0) {
                process.destroyForcibly();
                throw new IllegalStateException("the Node server did not start:\n" + seen);
            }
            port = found;
            Thread drain = new Thread(() -> {
                try {
                    while (out.readLine() != null) {
                        // Keep the pipe empty so the server never blocks on a full stdout.
                    }
                } catch (IOException e) {
                    // The process ended.
                }
            }, "node-server-output");
            drain.setDaemon(true);
            drain.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The installation directory, or a skipped test when there is none. */
    private static Path installation() {
        String configured = System.getProperty("outpost.nodeServerDir");
        Path home = configured != null ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "outpost-node-server");
        boolean installed = Files.isDirectory(home.resolve("node_modules/azure-mobile-apps"))
                && Files.isRegularFile(home.resolve("node_modules/sqlite3/build/Release/node_sqlite3.node"));
        if (!installed) {
            String message = "official Node server (azure-mobile-apps 4.x) not installed in " + home
                    + ": NODE_V2 compatibility tests SKIPPED (install it with outpost-client/scripts/"
                    + "install-node-server.sh)";
            if (!announced) {
                announced = true;
                System.out.println("[outpost] " + message);
            }
            Assumptions.abort(message);
        }
        return home;
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
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
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
