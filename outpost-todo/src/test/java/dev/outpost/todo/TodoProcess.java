package dev.outpost.todo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One device running the Todo app: its own store, and every command in a new JVM running the shaded jar
 * ({@code java -jar outpost-todo.jar --store FILE …}, see {@link Jvm#app}), as the launcher runs it.
 */
final class TodoProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path store;
    private final Map<String, String> env;

    /** A device whose store is {@code store}; {@code cache} is its XDG cache folder (for sqlite's library). */
    TodoProcess(Path store, Path cache) {
        this.store = store;
        this.env = Map.of("XDG_CACHE_HOME", cache.toString());
    }

    /** The store file. */
    Path store() {
        return store;
    }

    /** A process builder for {@code outpost todo --store FILE args…}, not started. */
    ProcessBuilder builder(String... args) {
        List<String> all = new ArrayList<>(List.of("--store", store.toString()));
        all.addAll(List.of(args));
        ProcessBuilder builder = Jvm.app(all);
        builder.environment().putAll(env);
        return builder;
    }

    /** A command that runs until stopped (such as {@code watch}), its output lines collected as they come. */
    record Running(Process process, List<String> out, List<String> err) implements AutoCloseable {
        /** Stops it as Ctrl-C does (a termination signal: shutdown hooks run); whether it ended within 30 s. */
        boolean stop() throws InterruptedException {
            // Through the handle: Process.destroy() would also close the pipes, losing what the process prints as it
            // stops.
            process.toHandle().destroy();
            return process.waitFor(30, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Starts {@code outpost todo args…} and follows its output. */
    Running start(String... args) {
        try {
            Process process = builder(args).start();
            return new Running(process, follow(process.getInputStream()), follow(process.getErrorStream()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> follow(InputStream stream) {
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "todo-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    /** Runs {@code outpost todo args…} to its end. */
    Jvm.Result run(String... args) {
        return Jvm.run(builder(args), env);
    }

    /** Runs a command that must succeed (exit 0) and returns its result. */
    Jvm.Result ok(String... args) {
        Jvm.Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("expected exit 0 from " + result);
        }
        return result;
    }

    /** {@code list --all --json}, parsed. */
    List<JsonNode> items() {
        return parseArray(ok("list", "--all", "--json").out());
    }

    /** The id of the item with this text. */
    String idOf(String text) {
        for (JsonNode item : items()) {
            if (item.path("text").asText().equals(text)) {
                return item.path("id").asText();
            }
        }
        throw new AssertionError("no item '" + text + "' in " + items());
    }

    /** Parses JSON printed by a command. */
    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + json, e);
        }
    }

    static List<JsonNode> parseArray(String json) {
        List<JsonNode> items = new ArrayList<>();
        parse(json).forEach(items::add);
        return items;
    }
}
