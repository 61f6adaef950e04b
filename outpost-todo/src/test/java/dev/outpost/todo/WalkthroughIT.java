package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The offline walkthrough of the README (issue 5, steps 1–8), with real processes: {@code outpost serve} in its own
 * JVM over SQLite or PostgreSQL, and every app command in a new JVM, two devices with their own stores.
 */
class WalkthroughIT {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(TestDatabase.class)
    void offlineChangesSyncToTheServerAndASecondDeviceThroughConflictsAndDeletes(TestDatabase database)
            throws InterruptedException {
        String jdbcUrl = database.createUrl();
        try (ServerProcess server = ServerProcess.start(jdbcUrl)) {
            TodoProcess phone = new TodoProcess(dir.resolve("phone/todo.db"), dir.resolve("cache"));
            TodoProcess laptop = new TodoProcess(dir.resolve("laptop/todo.db"), dir.resolve("cache"));

            // 2. Pointed at a server that cannot be reached: add three items, complete one; sync fails in one line.
            phone.ok("config", "server", unreachableUrl());
            phone.ok("add", "Buy", "milk");
            phone.ok("add", "Walk the dog");
            phone.ok("add", "Call mum");
            phone.ok("done", phone.idOf("Buy milk").substring(0, 8));
            Jvm.Result offline = phone.run("sync");
            assertThat(offline.exitCode()).as(offline.toString()).isEqualTo(ExitCodes.OFFLINE);
            assertThat(offline.errLines()).as(offline.toString()).hasSize(1);
            assertThat(offline.err()).contains("Cannot reach the server", "3 changes stay queued");
            assertThat(offline.out()).isEmpty();

            // 3. A new JVM still has the items and the completion; the server has none of them.
            assertThat(texts(phone.items())).containsExactlyInAnyOrder("Buy milk ✓", "Walk the dog", "Call mum");
            assertThat(phone.ok("list").out()).contains("Walk the dog", "Call mum", "not synced")
                    .doesNotContain("Buy milk");
            assertThat(server.todoItems()).isEmpty();

            // 4. Pointed at the real server, sync sends all three, with the completion.
            phone.ok("config", "server", server.url());
            Jvm.Result synced = phone.ok("sync");
            assertThat(synced.out()).contains("Pushed 3 changes", "Pulled", "everything is up to date");
            assertThat(texts(server.todoItems())).containsExactlyInAnyOrder("Buy milk ✓", "Walk the dog",
                    "Call mum");
            assertThat(rows(server.todoItems())).isEqualTo(rows(phone.items()));

            // 5. A second device with its own store syncs and sees the same list.
            laptop.ok("config", "server", server.url());
            laptop.ok("sync");
            assertThat(rows(laptop.items())).isEqualTo(rows(phone.items()));

            // Live: the laptop watches; the phone adds an item and syncs, then removes it and syncs.
            try (TodoProcess.Running watch = laptop.start("watch")) {
                await().atMost(Duration.ofSeconds(60)).until(() -> watch.err().stream()
                        .anyMatch(line -> line.startsWith("● Live: connected")));
                phone.ok("add", "Buy bread");
                phone.ok("sync");
                await().atMost(Duration.ofSeconds(30)).until(() -> watch.out().contains(
                        "3 open · 1 done (list --all shows them)"));
                phone.ok("rm", phone.idOf("Buy bread").substring(0, 8));
                phone.ok("sync");
                await().atMost(Duration.ofSeconds(30)).until(() -> watch.out().lastIndexOf(
                        "2 open · 1 done (list --all shows them)") > watch.out().indexOf(
                        "3 open · 1 done (list --all shows them)"));
                assertThat(watch.stop()).isTrue();
            }
            assertThat(rows(laptop.items())).isEqualTo(rows(phone.items()));

            // 6. Both change the same item offline; the second to sync gets a conflict and resolves it.
            String dog = phone.idOf("Walk the dog");
            phone.ok("edit", dog.substring(0, 8), "Walk the dog twice");
            laptop.ok("edit", dog.substring(0, 8), "Walk the cat");
            phone.ok("sync");
            Jvm.Result conflicted = laptop.run("sync");
            assertThat(conflicted.exitCode()).as(conflicted.toString()).isEqualTo(ExitCodes.CONFLICTS);
            assertThat(conflicted.out()).contains("1 conflict needs you");
            JsonNode status = TodoProcess.parse(laptop.ok("status", "--json").out());
            assertThat(status.path("conflicts")).hasSize(1);
            assertThat(status.path("conflicts").get(0).path("mine").path("text").asText()).isEqualTo("Walk the cat");
            assertThat(status.path("conflicts").get(0).path("server").path("text").asText())
                    .isEqualTo("Walk the dog twice");
            assertThat(laptop.ok("conflicts").out()).contains("mine", "server's", "Walk the cat",
                    "Walk the dog twice");
            laptop.ok("conflicts", "keep-server", dog.substring(0, 8));
            assertThat(texts(laptop.items())).contains("Walk the dog twice");

            String mum = phone.idOf("Call mum");
            phone.ok("edit", mum, "Call mum on Sunday");
            laptop.ok("edit", mum, "Call mum and dad");
            phone.ok("sync");
            assertThat(laptop.run("sync").exitCode()).isEqualTo(ExitCodes.CONFLICTS);
            laptop.ok("conflicts", "keep-mine", mum.substring(0, 8));
            laptop.ok("sync");
            phone.ok("sync");
            assertThat(TodoProcess.parse(laptop.ok("status", "--json").out()).path("conflicts")).isEmpty();
            assertThat(texts(server.todoItems())).containsExactlyInAnyOrder("Buy milk ✓", "Walk the dog twice",
                    "Call mum and dad");
            assertThat(rows(phone.items())).isEqualTo(rows(server.todoItems()));
            assertThat(rows(laptop.items())).isEqualTo(rows(server.todoItems()));

            // 7. One removes an item; after sync, the other's list no longer shows it.
            phone.ok("rm", phone.idOf("Buy milk").substring(0, 8));
            phone.ok("sync");
            laptop.ok("sync");
            assertThat(laptop.ok("list", "--all").out()).doesNotContain("Buy milk").contains("Call mum and dad");
            assertThat(rows(laptop.items())).isEqualTo(rows(server.todoItems())).isEqualTo(rows(phone.items()));
            assertThat(texts(server.todoItems())).containsExactlyInAnyOrder("Walk the dog twice",
                    "Call mum and dad");
        } finally {
            database.drop(jdbcUrl);
        }
    }

    /** "text" or "text ✓" per item. */
    static List<String> texts(List<JsonNode> items) {
        return items.stream().map(i -> i.path("text").asText() + (i.path("complete").asBoolean() ? " ✓" : ""))
                .toList();
    }

    /** Each item as "id|text|complete", sorted: equal for two lists with the same items. */
    static Set<String> rows(List<JsonNode> items) {
        Set<String> rows = new TreeSet<>();
        for (JsonNode item : items) {
            rows.add(item.path("id").asText() + "|" + item.path("text").asText() + "|"
                    + item.path("complete").asBoolean());
        }
        return rows;
    }

    /** The URL of a port nothing listens on (it was free a moment ago): connections are refused. */
    static String unreachableUrl() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return "http://127.0.0.1:" + socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
