package dev.outpost.todo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code outpost serve} in a process of its own, on a free port, over the given database; and the server's
 * {@code todoitem} table read with plain HTTP (Datasync v3), as a script would. Stopped with SIGTERM on close.
 */
final class ServerProcess implements AutoCloseable {
    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final Process process;
    private final String url;
    private final List<String> output;

    private ServerProcess(Process process, String url, List<String> output) {
        this.process = process;
        this.url = url;
        this.output = output;
    }

    /** Starts a server over the database {@code jdbcUrl} and waits until it says where it serves. */
    static ServerProcess start(String jdbcUrl) {
        ProcessBuilder builder = Jvm.mainClass("dev.outpost.server.ServerMain",
                List.of("serve", "--port", "0", "--database", jdbcUrl, "--shutdown-timeout-seconds", "1"))
                .redirectErrorStream(true);
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        try {
            Process process = builder.start();
            CompletableFuture<String> url = new CompletableFuture<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = lines.readLine()) != null) {
                        output.add(line);
                        Matcher m = SERVING.matcher(line);
                        if (m.find()) {
                            url.complete(m.group(1));
                        }
                    }
                } catch (IOException e) {
                    // The server stopped.
                }
                url.completeExceptionally(new IllegalStateException("server ended without serving:\n"
                        + String.join("\n", output)));
            }, "server-output");
            reader.setDaemon(true);
            reader.start();
            return new ServerProcess(process, url.get(2, TimeUnit.MINUTES), output);
        } catch (Exception e) {
            throw new IllegalStateException("could not start outpost serve: " + e.getMessage(), e);
        }
    }

    /** The base URL, e.g. {@code http://127.0.0.1:41234}. */
    String url() {
        return url;
    }

    /** What the server printed so far. */
    String output() {
        synchronized (output) {
            return String.join("\n", output);
        }
    }

    /** The server's live {@code todoitem} records, by id (empty before the table exists). */
    List<JsonNode> todoItems() {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/tables/todoitem?$top=1000&$orderby=id"))
                .header("ZUMO-API-VERSION", "3.0.0").GET().build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 404) {
                return List.of();
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET /tables/todoitem answered " + response.statusCode() + ": "
                        + response.body());
            }
            List<JsonNode> items = new ArrayList<>();
            JSON.readTree(response.body()).path("items").forEach(items::add);
            return items;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
