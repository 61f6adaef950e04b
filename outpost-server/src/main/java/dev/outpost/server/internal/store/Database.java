package dev.outpost.server.internal.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.outpost.server.internal.sql.SqlDialect;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;

/**
 * The database a server stores its tables in: a HikariCP pool, the dialect chosen from the JDBC URL, the system
 * tables, and callback-scoped connections and write transactions. Thread-safe; close it once.
 */
public final class Database implements AutoCloseable {
    /** Work done with a connection. */
    @FunctionalInterface
    public interface Work<T> {
        /** Does the work. */
        T apply(Connection connection) throws SQLException;
    }

    private final HikariDataSource pool;
    private final SqlDialect dialect;

    private Database(HikariDataSource pool, SqlDialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /**
     * Opens a pool on {@code jdbcUrl} (creating the directory of a SQLite file) and creates the system tables.
     *
     * @param poolSize the most connections, or 0 for the dialect's default
     */
    public static Database open(String jdbcUrl, int poolSize) {
        return open(jdbcUrl, poolSize, null);
    }

    /**
     * Opens a pool on {@code jdbcUrl} as {@link #open(String, int)} does, with the pool's figures (connections
     * active, idle, pending, acquire and usage times) in {@code metrics} (HikariCP's Micrometer tracker).
     *
     * @param metrics where the pool's meters go, or {@code null} for none
     */
    public static Database open(String jdbcUrl, int poolSize, MeterRegistry metrics) {
        SqlDialect dialect = SqlDialect.forUrl(jdbcUrl);
        if (dialect.name().equals("sqlite")) {
            createSqliteDirectory(jdbcUrl);
        }
        probe(jdbcUrl, dialect);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setDataSourceProperties(dialect.connectionProperties());
        config.setMaximumPoolSize(poolSize > 0 ? poolSize : dialect.maxPoolSize());
        config.setMinimumIdle(1);
        config.setConnectionTimeout(10_000);
        config.setPoolName("outpost-" + dialect.name());
        config.setInitializationFailTimeout(-1);
        if (metrics != null) {
            config.setMetricRegistry(metrics);
        }
        HikariDataSource pool = new HikariDataSource(config);
        Database database = new Database(pool, dialect);
        try {
            database.write(connection -> {
                database.createSystemTables(connection);
                return null;
            });
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return database;
    }

    /**
     * Opens and closes one connection, so that a database that cannot be reached fails the start at once with one
     * line naming it (the pool would wait for its connection timeout, then report a chain of exceptions).
     */
    private static void probe(String jdbcUrl, SqlDialect dialect) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, dialect.connectionProperties())) {
            connection.isValid(5);
        } catch (SQLException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String reason = root == e ? e.getMessage() : e.getMessage() + " (" + root.getMessage() + ")";
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "cannot connect to the database "
                    + redacted(jdbcUrl) + ": " + reason, e);
        }
    }

    /** {@code jdbcUrl} with any password replaced by {@code …}, for messages. */
    public static String redacted(String jdbcUrl) {
        return jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1…");
    }

    private static void createSqliteDirectory(String jdbcUrl) {
        String path = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.startsWith("file:")) {
            path = path.substring("file:".length());
        }
        if (path.isEmpty() || path.contains(":memory:")) {
            return;
        }
        Path parent = Path.of(path).toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new StoreException(StoreException.Kind.UNAVAILABLE, "cannot create the directory " + parent
                    + " of the database " + jdbcUrl + ": " + e, e);
        }
    }

    /**
     * Creates the system tables under the schema lock, so that any number of servers may start at once on a fresh
     * database (PostgreSQL can fail concurrent {@code CREATE TABLE IF NOT EXISTS} of one name).
     */
    private void createSystemTables(Connection connection) throws SQLException {
        dialect.lockSchema(connection);
        String bigint = dialect.bigintType();
        try (Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS outpost_clock (table_key TEXT NOT NULL PRIMARY KEY, "
                    + "table_name TEXT NOT NULL, sql_name TEXT NOT NULL, soft_delete " + bigint + " NOT NULL, "
                    + "last_millis " + bigint + " NOT NULL)");
            statement.execute("CREATE TABLE IF NOT EXISTS outpost_columns (table_key TEXT NOT NULL, "
                    + "column_key TEXT NOT NULL, column_name TEXT NOT NULL, sql_name TEXT NOT NULL, "
                    + "column_type TEXT NOT NULL, position " + bigint + " NOT NULL, "
                    + "PRIMARY KEY (table_key, column_key))");
            statement.execute("CREATE TABLE IF NOT EXISTS outpost_operations (operation_id TEXT NOT NULL PRIMARY KEY, "
                    + "applied_millis " + bigint + " NOT NULL, result TEXT NOT NULL)");
            // The fleet (internal.metrics.Installations): each client installation, and how far it pulled each table.
            statement.execute("CREATE TABLE IF NOT EXISTS outpost_installations (id TEXT NOT NULL PRIMARY KEY, "
                    + "user_id TEXT, protocol TEXT NOT NULL, first_seen " + bigint + " NOT NULL, "
                    + "last_seen " + bigint + " NOT NULL, queue_depth " + bigint + ", queue_depth_at " + bigint + ", "
                    + "conflicts " + bigint + " NOT NULL)");
            statement.execute("CREATE INDEX IF NOT EXISTS outpost_installations_last_seen "
                    + "ON outpost_installations (last_seen)");
            statement.execute("CREATE TABLE IF NOT EXISTS outpost_installation_tables (installation_id TEXT NOT NULL, "
                    + "table_key TEXT NOT NULL, table_name TEXT NOT NULL, pulled_through " + bigint + " NOT NULL, "
                    + "reported_at " + bigint + " NOT NULL, PRIMARY KEY (installation_id, table_key))");
        }
    }

    /** The dialect of this database. */
    public SqlDialect dialect() {
        return dialect;
    }

    /** Runs {@code work} on a pooled connection in auto-commit mode. */
    public <T> T read(Work<T> work) {
        try (Connection connection = connection()) {
            return work.apply(connection);
        } catch (SQLException e) {
            throw wrap(e);
        }
    }

    /**
     * Runs {@code work} in a write transaction (SQLite: {@code BEGIN IMMEDIATE}) and commits it; rolls back when
     * {@code work} throws, and rethrows.
     */
    public <T> T write(Work<T> work) {
        try (Connection connection = connection()) {
            dialect.beginWrite(connection);
            try {
                T result = work.apply(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly(connection, e);
                throw e;
            } finally {
                connection.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw wrap(e);
        }
    }

    /** A pooled connection; the caller closes it. */
    public Connection connection() throws SQLException {
        return pool.getConnection();
    }

    /** Rolls back after a failure, adding any rollback failure to {@code cause}. */
    public static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Wraps a {@link SQLException} as a {@link StoreException} of the right kind. */
    public StoreException wrap(SQLException e) {
        if (e instanceof SQLTransientConnectionException) {
            return new StoreException(StoreException.Kind.UNAVAILABLE, "database unavailable: " + e.getMessage(), e);
        }
        if (dialect.isDataException(e)) {
            return new StoreException(StoreException.Kind.BAD_DATA, "the database could not evaluate the request: "
                    + e.getMessage(), e);
        }
        return new StoreException(StoreException.Kind.FAILURE, "database failure: " + e.getMessage(), e);
    }

    /** Whether the database answers a trivial query within a few seconds. */
    public boolean healthy() {
        try (Connection connection = connection()) {
            return connection.isValid(3);
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
