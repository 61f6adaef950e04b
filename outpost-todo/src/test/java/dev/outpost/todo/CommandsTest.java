package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local commands, run in this JVM on a real store in a temporary folder (no server needed). */
class CommandsTest {
    @TempDir
    Path dir;

    /** What one command printed and returned. */
    record Run(int exitCode, String out, String err) {
    }

    private Run run(boolean colour, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Output output = new Output(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), colour, new Style(colour),
                Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC));
        int code = TodoApp.run(args, output, Map.of("OUTPOST_TODO_STORE", dir.resolve("data/todo.db").toString()));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Run run(String... args) {
        return run(false, args);
    }

    private List<JsonNode> items() {
        return TodoProcess.parseArray(run("list", "--all", "--json").out());
    }

    @Test
    void localChangesAreListedWithMarksAlignedColumnsAndWhatIsNotSynced() {
        assertThat(run("add", "Buy", "milk").out()).startsWith("Added ○ ").endsWith("  Buy milk\n");
        run("add", "Walk the dog");
        String milk = items().get(0).path("id").asText();
        assertThat(run("done", milk.substring(0, 6)).out()).startsWith("Done ✓ " + milk.substring(0, 6));

        Run open = run("list");
        assertThat(open.out()).doesNotContain("Buy milk").contains("○  ", "Walk the dog  not synced")
                .contains("1 open · 1 done (list --all shows them) · 2 changes not synced");
        Run all = run("list", "--all");
        List<String> lines = List.of(all.out().split("\n"));
        assertThat(lines.get(0)).startsWith("✓  ").contains("Buy milk      not synced");
        assertThat(lines.get(1)).startsWith("○  ").contains("Walk the dog  not synced");
        assertThat(lines.get(0).indexOf("Buy milk")).isEqualTo(lines.get(1).indexOf("Walk the dog"));
        assertThat(all.out()).doesNotContain("\u001b[");
    }

    @Test
    void listJsonPrintsIdTextAndComplete() {
        run("add", "Buy milk");
        List<JsonNode> items = items();
        assertThat(items).hasSize(1);
        assertThat(items.get(0).properties()).extracting(Map.Entry::getKey)
                .containsExactly("id", "text", "complete");
        assertThat(items.get(0).path("complete").asBoolean()).isFalse();
    }

    @Test
    void editUndoAndRemoveChangeTheLocalList() {
        run("add", "Buy milk");
        String id = items().get(0).path("id").asText();
        run("edit", id, "Buy", "oat", "milk");
        run("done", id);
        assertThat(run("undo", id).out()).startsWith("Reopened ○ ");
        assertThat(items().get(0).path("text").asText()).isEqualTo("Buy oat milk");
        assertThat(items().get(0).path("complete").asBoolean()).isFalse();
        assertThat(run("rm", id).out()).startsWith("Removed ");
        assertThat(items()).isEmpty();
        assertThat(run("list").out()).startsWith("Nothing to do.");
    }

    @Test
    void anUnknownOrAmbiguousIdIsOneLineAndExitCodeOne() {
        run("add", "one");
        run("add", "two");
        Run unknown = run("done", "zzzz");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(unknown.err()).isEqualTo("No item has an id starting with 'zzzz'.\n");

        String first = items().get(0).path("id").asText();
        String second = items().get(1).path("id").asText();
        int common = 0;
        while (first.charAt(common) == second.charAt(common)) {
            common++;
        }
        if (common > 0) {
            Run ambiguous = run("done", first.substring(0, common));
            assertThat(ambiguous.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(ambiguous.err()).contains("is ambiguous").hasLineCount(1);
        }
        Run none = run("done", "");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.FAILED);
    }

    @Test
    void theServerIsRememberedBesideTheStoreAndCheckedFirst() {
        assertThat(run("config", "server").out()).isEqualTo("http://127.0.0.1:8080\n");
        assertThat(run("config", "server", "http://10.0.0.7:8080/").exitCode()).isZero();
        assertThat(run("config", "server").out()).isEqualTo("http://10.0.0.7:8080\n");
        assertThat(Files.exists(dir.resolve("data/todo.properties"))).isTrue();

        Run wrong = run("config", "server", "ftp://nope");
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(wrong.err()).contains("is not a server URL");
        assertThat(run("config", "colour", "red").exitCode()).isEqualTo(ExitCodes.USAGE);

        run("--server", "http://10.0.0.8:8080", "list");
        assertThat(run("list", "--server", "http://10.0.0.9:8080").exitCode()).isZero();
        assertThat(run("config", "server").out()).isEqualTo("http://10.0.0.9:8080\n");
    }

    @Test
    void statusCountsWhatIsWaitingByKindWithoutContactingTheServer() {
        run("config", "server", WalkthroughIT.unreachableUrl());
        run("add", "one");
        run("add", "two");
        JsonNode status = TodoProcess.parse(run("status", "--json").out());
        assertThat(status.path("pending").path("insert").asInt()).isEqualTo(2);
        assertThat(status.path("pending").path("update").asInt()).isZero();
        assertThat(status.path("conflicts")).isEmpty();
        assertThat(status.path("lastSync").isNull()).isTrue();
        assertThat(run("status").out()).contains("Not synced  2 changes: 2 added, 0 edited, 0 removed",
                "Last sync   never");
        assertThat(TodoProcess.parseArray(run("conflicts", "--json").out())).isEmpty();
        assertThat(run("conflicts").out()).isEqualTo("No conflicts.\n");
    }

    @Test
    void colourOnlyWhenAskedForByTheTerminalAndNeverWithJson() {
        run("add", "Buy milk");
        assertThat(run(true, "list").out()).contains("\u001b[");
        assertThat(run(true, "--no-color", "list").out()).doesNotContain("\u001b[");
        assertThat(run(true, "list", "--json").out()).doesNotContain("\u001b[");
        assertThat(run(false, "list").out()).doesNotContain("\u001b[");
    }

    @Test
    void helpExplainsEveryCommandAndAWrongCommandLineIsExitCodeTwo() {
        Run help = run("--help");
        assertThat(help.out()).contains("add", "list", "done", "undo", "edit", "rm", "sync", "status",
                "conflicts", "config", "Exit codes:", "OUTPOST_TODO_STORE", "NO_COLOR");
        assertThat(run("conflicts", "--help").out()).contains("keep-mine", "keep-server");
        assertThat(run("bogus").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(run("add").exitCode()).isEqualTo(ExitCodes.USAGE);
    }
}
