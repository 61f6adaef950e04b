package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code watch}: a device watching its list in a process of its own shows an item added and synced on another
 * device, keeps going through a server restart, and stops on a termination signal (as Ctrl-C), leaving its store
 * closed and in sync.
 */
class WatchTest {
    @TempDir
    Path dir;
    private OutpostServer server;
    private int port;

    @BeforeEach
    void start() {
        server = startServer(0);
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OutpostServer startServer(int onPort) {
        return OutpostServer.builder().config(ServerConfig.builder().port(onPort).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("server.db")).shutdownTimeout(Duration.ZERO).build())
                .build().start();
    }

    /** Runs a command on device A, in this JVM. */
    private String onA(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Output output = new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), false, new Style(false),
                Clock.systemUTC());
        int code = TodoApp.run(args, output, Map.of("OUTPOST_TODO_STORE", dir.resolve("a.db").toString()));
        assertThat(code).as("exit code of " + List.of(args)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aWatchingDeviceShowsAnotherDevicesChangeAndStopsOnASignal() throws Exception {
        String url = "http://127.0.0.1:" + port;
        onA("--server", url, "add", "Buy milk");
        onA("sync");
        TodoProcess b = new TodoProcess(dir.resolve("b.db"), dir.resolve("cache"));
        try (TodoProcess.Running watch = b.start("--server", url, "watch", "--json")) {
            List<String> out = watch.out();
            List<String> err = watch.err();
            await().atMost(Duration.ofSeconds(60)).until(() -> out.stream().anyMatch(l -> l.contains("Buy milk")));
            await().atMost(Duration.ofSeconds(30)).until(() -> err.stream().anyMatch(l -> l.contains("connected")));

            onA("add", "Walk the dog");
            onA("sync");
            await().atMost(Duration.ofSeconds(30)).until(() -> out.stream().anyMatch(l -> l.contains("Walk the dog")));
            String last = out.get(out.size() - 1);
            assertThat(TodoProcess.parse(last).get("items")).hasSize(2);
            out.forEach(line -> assertThat(TodoProcess.parse(line).has("items")).as(line).isTrue());

            // Through a server restart: B says it is offline, then follows again.
            server.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> err.stream().anyMatch(l -> l.contains("Offline")));
            server = startServer(port);
            onA("add", "Call mum");
            onA("sync");
            await().atMost(Duration.ofSeconds(60)).until(() -> out.stream().anyMatch(l -> l.contains("Call mum")));

            // SIGTERM, as Ctrl-C: the shutdown hook stops the live sync and closes the store.
            assertThat(watch.stop()).isTrue();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(err)
                    .anyMatch(line -> line.startsWith("Stopped watching")));
        }
        assertThat(b.items()).extracting(item -> item.get("text").asText())
                .containsExactlyInAnyOrder("Buy milk", "Walk the dog", "Call mum");
    }

    @Test
    void watchWithoutJsonPrintsTheListAgainWhenItChanges() throws Exception {
        String url = "http://127.0.0.1:" + port;
        onA("--server", url, "add", "Buy milk");
        onA("sync");
        TodoProcess b = new TodoProcess(dir.resolve("b.db"), dir.resolve("cache"));
        try (TodoProcess.Running watch = b.start("--server", url, "watch")) {
            List<String> out = watch.out();
            await().atMost(Duration.ofSeconds(60)).until(() -> out.stream().anyMatch(l -> l.contains("Buy milk")));
            onA("add", "Walk the dog");
            onA("sync");
            await().atMost(Duration.ofSeconds(30)).until(() -> out.contains("2 open · 0 done"));
            assertThat(out).anyMatch(line -> line.matches("○ +[0-9a-f]+ +Walk the dog +.*"));
            assertThat(watch.stop()).isTrue();
        }
    }

    @Test
    void aPollIntervalBelowOneSecondIsRefused() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Output output = new Output(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, new Style(false), Clock.systemUTC());
        int code = TodoApp.run(new String[] {"watch", "--poll-seconds", "0"}, output,
                Map.of("OUTPOST_TODO_STORE", dir.resolve("c.db").toString()));
        assertThat(code).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--poll-seconds must be at least 1");
    }
}
