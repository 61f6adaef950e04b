package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.server.OutpostServer;
import dev.outpost.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server that refuses the sync as a whole (here: it does not serve the {@code todoitem} table) gets one line and
 * exit code 5; nothing is parked, so nothing is offered for deletion as a conflict, and every change stays queued.
 */
class SyncRefusalTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Output output = new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, new Style(false),
                Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));
        int code = TodoApp.run(args, output, Map.of("OUTPOST_TODO_STORE", dir.resolve("todo.db").toString()));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aServerWithoutTheTableRefusesTheSyncInOneLineAndParksNothing() throws IOException {
        Path tables = Files.writeString(dir.resolve("tables.json"), "{\"notes\": {\"columns\": {\"text\": \"string\"}}}");
        OutpostServer server = OutpostServer.builder().config(ServerConfig.builder().port(0).host("127.0.0.1")
                .database("jdbc:sqlite:" + dir.resolve("server.db")).tablesFile(tables)
                .shutdownTimeout(Duration.ZERO).build()).build().start();
        try {
            run("config", "server", "http://127.0.0.1:" + server.port());
            run("add", "Buy", "milk");

            Run sync = run("sync");

            assertThat(sync.exitCode()).isEqualTo(ExitCodes.REFUSED);
            assertThat(sync.err().strip().lines()).hasSize(1);
            assertThat(sync.err()).contains("does not serve the todo list's table (404")
                    .contains("Nothing is lost: 1 change stays queued");
            assertThat(run("conflicts").out()).contains("No conflicts");
            assertThat(run("status").out()).contains("1 change: 1 added");
        } finally {
            server.close();
        }
    }
}
