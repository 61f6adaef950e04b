package dev.outpost.server.internal.sql;

import java.util.List;
import java.util.Objects;

/**
 * A piece of SQL and the values of its {@code ?} parameters, in order. Parameter values are {@link String},
 * {@link Long}, {@link Double}, {@link Boolean} or {@link java.time.Instant}; {@link SqlDialect#bind} turns them
 * into JDBC parameters. Immutable.
 *
 * @param sql    the SQL text, with {@code ?} placeholders
 * @param params the parameter values
 */
public record SqlFragment(String sql, List<Object> params) {
    public SqlFragment {
        Objects.requireNonNull(sql, "sql");
        params = List.copyOf(params);
    }

    /** A fragment with no parameters. */
    public static SqlFragment of(String sql) {
        return new SqlFragment(sql, List.of());
    }
}
