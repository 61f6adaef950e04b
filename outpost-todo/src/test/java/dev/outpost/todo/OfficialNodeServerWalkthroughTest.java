package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.outpost.testing.OfficialNodeServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README walkthrough's steps against the official Azure Mobile Apps Node server, with no protocol setting: work
 * offline, sync, a second device, an edit conflict resolved with the server's version. (The client finds by itself
 * that the server speaks v2.)
 */
class OfficialNodeServerWalkthroughTest {
    @TempDir
    Path dir;

    private record Run(int exitCode, String out, String err) {
    }

    private Run run(String device, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Output output = new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), false, new Style(false),
                Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));
        int code = TodoApp.run(args, output, Map.of("OUTPOST_TODO_STORE", dir.resolve(device + ".db").toString()));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private String idOf(String device, String text) {
        for (var item : TodoProcess.parseArray(run(device, "list", "--all", "--json").out())) {
            if (item.path("text").asText().equals(text)) {
                return item.path("id").asText();
            }
        }
        throw new AssertionError("no item '" + text + "' on " + device);
    }

    @Test
    void theWalkthroughWorksAgainstTheOfficialNodeServerWithNoProtocolSetting() {
        try (OfficialNodeServer server = OfficialNodeServer.start(dir)) {
            // 1. Offline: the configured server does not answer yet.
            run("phone", "config", "server", "http://127.0.0.1:9");
            run("phone", "add", "Buy", "milk");
            run("phone", "add", "Walk", "the", "dog");
            run("phone", "done", idOf("phone", "Buy milk"));
            assertThat(run("phone", "sync").exitCode()).isEqualTo(ExitCodes.OFFLINE);

            // 2, 3. The server is there: sync pushes and pulls.
            run("phone", "config", "server", server.url());
            Run synced = run("phone", "sync");
            assertThat(synced.exitCode()).as(synced.err()).isEqualTo(ExitCodes.OK);
            assertThat(synced.out()).contains("Pushed 2 changes");

            // 4. A second device gets everything.
            run("laptop", "config", "server", server.url());
            assertThat(run("laptop", "sync").exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(run("laptop", "list", "--all").out()).contains("Buy milk", "Walk the dog");

            // 5. Both change the same item's text: the second to sync meets a conflict and takes the server's.
            String dog = idOf("laptop", "Walk the dog");
            run("laptop", "edit", dog, "Walk", "the", "cat");
            run("phone", "edit", dog, "Walk", "the", "dog", "twice");
            assertThat(run("phone", "sync").exitCode()).isEqualTo(ExitCodes.OK);
            Run conflict = run("laptop", "sync");
            assertThat(conflict.exitCode()).isEqualTo(ExitCodes.CONFLICTS);
            assertThat(run("laptop", "conflicts").out()).contains("Walk the cat", "Walk the dog twice");
            run("laptop", "conflicts", "keep-server", dog.substring(0, 6));
            assertThat(run("laptop", "sync").exitCode()).isEqualTo(ExitCodes.OK);
            assertThat(run("laptop", "list").out()).contains("Walk the dog twice").doesNotContain("Walk the cat");
        }
    }
}
