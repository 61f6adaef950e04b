package dev.outpost.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/** A fresh database for one benchmark run: a SQLite file in a temporary directory, or a new PostgreSQL schema. */
final class BenchDatabase implements AutoCloseable {
    private final String kind;
    private final String url;
    private final Runnable cleanup;

    private BenchDatabase(String kind, String url, Runnable cleanup) {
        this.kind = kind;
        this.url = url;
        this.cleanup = cleanup;
    }

    static BenchDatabase sqlite() {
        try {
            Path dir = Files.createTempDirectory("outpost-bench-");
            return new BenchDatabase("SQLite", "jdbc:sqlite:" + dir.resolve("bench.db"), () -> deleteTree(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BenchDatabase postgres(String baseUrl) {
        String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(baseUrl, "CREATE SCHEMA " + schema);
        String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        return new BenchDatabase("PostgreSQL", url, () -> execute(baseUrl, "DROP SCHEMA " + schema + " CASCADE"));
    }

    String kind() {
        return kind;
    }

    String url() {
        return url;
    }

    static String postgresVersion(String baseUrl) {
        try (Connection connection = DriverManager.getConnection(baseUrl)) {
            return connection.getMetaData().getDatabaseProductVersion();
        } catch (SQLException e) {
            return "unreachable (" + e.getMessage() + ")";
        }
    }

    @Override
    public void close() {
        cleanup.run();
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL at " + url + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
