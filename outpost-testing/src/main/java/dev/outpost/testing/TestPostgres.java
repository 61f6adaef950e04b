package dev.outpost.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The PostgreSQL that tests run against, and a fresh, isolated schema for each test.
 *
 * <p>The server is found at the system property {@code outpost.postgresUrl} (default
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}). When it cannot be reached, PostgreSQL tests are
 * <b>skipped</b> with a clear message, unless {@code -Doutpost.requirePostgres=true} is set (as {@code .ci/run}
 * does), in which case they <b>fail</b>. Thread-safe.
 *
 * <pre>{@code
 * @BeforeAll static void postgres() { TestPostgres.requireOrSkip(); }
 * String url = TestPostgres.freshSchemaUrl();   // jdbc:postgresql://…&currentSchema=t_…
 * }</pre>
 */
public final class TestPostgres {
    /** System property naming the JDBC URL of the test server. */
    public static final String URL_PROPERTY = "outpost.postgresUrl";
    /** System property that turns "not reachable: skipped" into a failure. */
    public static final String REQUIRE_PROPERTY = "outpost.requirePostgres";
    private static final String DEFAULT_URL = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres";

    private static volatile Boolean available;
    private static volatile String unavailableReason;
    private static volatile boolean announced;

    private TestPostgres() {
    }

    /** The base JDBC URL of the test server. */
    public static String baseUrl() {
        String url = System.getProperty(URL_PROPERTY);
        return url == null || url.isBlank() ? DEFAULT_URL : url;
    }

    /** Whether CI demands PostgreSQL (so a missing server fails tests instead of skipping them). */
    public static boolean required() {
        return Boolean.parseBoolean(System.getProperty(REQUIRE_PROPERTY, "false"));
    }

    /** Whether the test server answers (checked once per JVM, with a short timeout). */
    public static boolean available() {
        Boolean known = available;
        if (known != null) {
            return known;
        }
        synchronized (TestPostgres.class) {
            if (available == null) {
                DriverManager.setLoginTimeout(3);
                try (Connection connection = DriverManager.getConnection(withParameter(baseUrl(),
                        "connectTimeout=3"))) {
                    available = connection.isValid(3);
                } catch (SQLException e) {
                    unavailableReason = e.getMessage();
                    available = false;
                }
            }
            return available;
        }
    }

    /**
     * Skips the calling test (or class, from {@code @BeforeAll}) when PostgreSQL is not reachable, or fails it when
     * {@link #required()}.
     */
    public static void requireOrSkip() {
        if (available()) {
            return;
        }
        String message = "PostgreSQL not reachable at " + baseUrl() + " (" + unavailableReason + ")";
        if (required()) {
            Assertions.fail(message + ", and -D" + REQUIRE_PROPERTY + "=true demands it");
        }
        if (!announced) {
            announced = true;
            System.out.println("[outpost] " + message + ": PostgreSQL tests are SKIPPED. Start PostgreSQL (see "
                    + "README) or run .ci/run, which requires them.");
        }
        Assumptions.abort(message + ": PostgreSQL test skipped");
    }

    /**
     * Creates a new, empty schema and returns a JDBC URL whose unqualified names resolve in it, so tests never see
     * each other's tables. Call {@link #requireOrSkip()} first.
     */
    public static String freshSchemaUrl() {
        requireOrSkip();
        String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16)
                .toLowerCase(Locale.ROOT);
        try (Connection connection = DriverManager.getConnection(baseUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("could not create test schema " + schema + ": " + e.getMessage(), e);
        }
        return withParameter(baseUrl(), "currentSchema=" + schema);
    }

    /** Drops the schema a {@link #freshSchemaUrl()} URL points at, with everything in it. */
    public static void dropSchema(String url) {
        int at = url.indexOf("currentSchema=");
        if (at < 0) {
            throw new IllegalArgumentException("not a fresh-schema URL: " + url);
        }
        String schema = url.substring(at + "currentSchema=".length()).split("&")[0];
        if (!schema.matches("t_[0-9a-f]{16}")) {
            throw new IllegalArgumentException("refusing to drop schema '" + schema + "'");
        }
        try (Connection connection = DriverManager.getConnection(baseUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        } catch (SQLException e) {
            throw new IllegalStateException("could not drop test schema " + schema + ": " + e.getMessage(), e);
        }
    }

    private static String withParameter(String url, String parameter) {
        return url + (url.contains("?") ? "&" : "?") + parameter;
    }
}
