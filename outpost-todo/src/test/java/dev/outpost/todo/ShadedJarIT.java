package dev.outpost.todo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar the launcher starts ({@code outpost-todo/target/outpost-todo.jar}), run after {@code package}:
 * its manifest, picocli, and the SQLite native library all work from the shaded jar.
 */
class ShadedJarIT {
    @TempDir
    Path dir;

    private final Path jar = Path.of(System.getProperty("outpost.todoJar", "target/outpost-todo.jar"));

    private Jvm.Result run(String... args) {
        return Jvm.run(Jvm.jar(jar, List.of(args)), Map.of("XDG_CACHE_HOME", dir.resolve("cache").toString()));
    }

    @Test
    void theJarShowsItsHelpAndKeepsATodoListInAnSqliteStore() {
        assertThat(Files.isRegularFile(jar)).as(jar + " was built").isTrue();
        Jvm.Result help = run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: outpost todo", "sync", "conflicts");

        String store = dir.resolve("todo.db").toString();
        assertThat(run("--store", store, "add", "Buy milk").exitCode()).isZero();
        Jvm.Result list = run("--store", store, "list", "--json");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(TodoProcess.parseArray(list.out())).hasSize(1);
    }
}
