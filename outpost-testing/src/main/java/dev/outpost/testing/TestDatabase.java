package dev.outpost.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A database a test runs against: a real SQLite file in a temporary directory or a fresh PostgreSQL schema.
 * Use it as the parameter of a {@code @ParameterizedTest} with {@code @EnumSource} so that one suite runs against
 * both.
 */
public enum TestDatabase {
    SQLITE {
        @Override
        public String createUrl() {
            try {
                Path dir = Files.createTempDirectory("outpost-test-");
                return "jdbc:sqlite:" + dir.resolve("outpost.db");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void drop(String url) {
            Path file = Path.of(url.substring("jdbc:sqlite:".length()));
            try {
                for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) {
                    Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
                }
                Files.deleteIfExists(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    },
    POSTGRES {
        @Override
        public String createUrl() {
            return TestPostgres.freshSchemaUrl();
        }

        @Override
        public void drop(String url) {
            TestPostgres.dropSchema(url);
        }
    };

    /** Creates a new, empty database (skipping the test if it is PostgreSQL and none is reachable). */
    public abstract String createUrl();

    /** Removes what {@link #createUrl()} created. */
    public abstract void drop(String url);
}
