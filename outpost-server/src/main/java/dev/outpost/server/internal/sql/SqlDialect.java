package dev.outpost.server.internal.sql;

import dev.outpost.protocol.Timestamps;
import dev.outpost.server.internal.table.ColumnType;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Properties;

/**
 * What differs between the databases Outpost runs on: identifier quoting, column types, parameter binding, value
 * reading, transaction start, error classification and the SQL forms of the {@code $filter} functions. Dialect
 * differences live here only. Implementations are stateless and thread-safe.
 */
public interface SqlDialect {

    /** The dialect for a JDBC URL: {@code jdbc:sqlite:…} or {@code jdbc:postgresql:…}. */
    static SqlDialect forUrl(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:sqlite:")) {
            return new SqliteDialect();
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return new PostgresDialect();
        }
        throw new IllegalArgumentException("unsupported database URL (expected jdbc:sqlite:… or jdbc:postgresql:…): "
                + jdbcUrl.replaceAll("password=[^&]*", "password=…"));
    }

    /** A short name: {@code sqlite} or {@code postgresql}. */
    String name();

    /** Properties for the JDBC driver (pragmas, timeouts). */
    Properties connectionProperties();

    /** The largest useful connection pool for this database. */
    int maxPoolSize();

    /** Quotes an identifier (which always comes from a table schema, never from a request). */
    default String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /** The SQL type of a user column of {@code type}, for {@code CREATE TABLE} and {@code ALTER TABLE}. */
    String columnType(ColumnType type);

    /** The SQL type of a 64-bit integer column of a system table. */
    String bigintType();

    /** The placeholder for a value of {@code type} in an {@code INSERT} or {@code UPDATE}: {@code ?} or a cast. */
    default String placeholder(ColumnType type) {
        return "?";
    }

    /** Binds a parameter value of a column of {@code type}; {@code value} may be {@code null}. */
    void bind(PreparedStatement statement, int index, ColumnType type, Object value) throws SQLException;

    /** Binds a {@link SqlFragment} parameter (String, Long, Double, Boolean or Instant). */
    void bind(PreparedStatement statement, int index, Object value) throws SQLException;

    /**
     * Reads a column value: {@link String} (string, json), {@link Boolean}, {@link Long}, {@link Double},
     * {@link java.time.Instant} (date), or {@code null}.
     */
    Object read(ResultSet resultSet, int index, ColumnType type) throws SQLException;

    /**
     * The UTF-8 bytes of a string column's value, or {@code null}: a streamed page writes them to JSON as they are,
     * where a {@link String} would be decoded and encoded again.
     */
    default byte[] readUtf8(ResultSet resultSet, int index) throws SQLException {
        String value = resultSet.getString(index);
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    /** A date column's value as canonical ASCII text ({@code 2026-11-23T06:32:01.213Z}), or {@code null}. */
    default byte[] readCanonicalDate(ResultSet resultSet, int index) throws SQLException {
        Instant value = (Instant) read(resultSet, index, ColumnType.DATE);
        return value == null ? null : Timestamps.format(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** Starts a write transaction on {@code connection} (SQLite: {@code BEGIN IMMEDIATE}). */
    default void beginWrite(Connection connection) throws SQLException {
        connection.setAutoCommit(false);
    }

    /**
     * Serialises schema changes (system tables at start-up, dynamic tables and columns) across every server on this
     * database until the current write transaction ends: PostgreSQL takes a transaction-scoped advisory lock on a
     * fixed key, since concurrent {@code CREATE TABLE IF NOT EXISTS} of one name can fail there; SQLite's
     * {@code BEGIN IMMEDIATE} already serialises writers.
     */
    default void lockSchema(Connection connection) throws SQLException {
    }

    /**
     * Prepares {@code connection} for a streamed read (PostgreSQL only streams rows with a fetch size inside a
     * transaction); {@link #endRead} undoes it.
     */
    default void beginRead(Connection connection) throws SQLException {
    }

    /** Ends what {@link #beginRead} began. */
    default void endRead(Connection connection) throws SQLException {
    }


    /** Whether {@code e} reports bad data in an expression (overflow, invalid cast): the request's fault. */
    boolean isDataException(SQLException e);

    // --- $filter pieces -------------------------------------------------------------------------------------

    /** The SQL literal for {@code true} in a predicate position. */
    String trueCondition();

    /** The SQL literal for {@code false} in a predicate position. */
    String falseCondition();

    /** Makes string comparison of {@code expr} byte-order ({@code COLLATE "C"} on PostgreSQL). */
    default String binaryCollation(String expr) {
        return expr;
    }

    /** ASCII lower-casing of a string expression. */
    String lower(String expr);

    /** ASCII upper-casing of a string expression. */
    String upper(String expr);

    /** One-based position of {@code needle} in {@code haystack}, 0 when absent. */
    String position(String haystack, String needle);

    /** The substring from one-based {@code start} (an integer expression, at least 1) of {@code length}. */
    String substring(String text, String start, String length);

    /** Converts an integer expression to the type the substring function wants, clamped to its range. */
    String toSubstringInt(String expr);

    /** The larger of two integer expressions. */
    String greatest(String a, String b);

    /** The date part {@code YEAR}, {@code MONTH}, {@code DAY}, {@code HOUR}, {@code MINUTE} or {@code SECOND} (UTC). */
    String datePart(String dateExpr, String part);

    /** Rounds a floating point expression half away from zero. */
    String round(String expr);

    /** Floating point remainder, sign of the dividend; null when the divisor is zero. */
    String numberMod(String a, String b);

    /** Floating point division; null when the divisor is zero. */
    default String numberDivide(String a, String b) {
        return "(" + a + " / NULLIF(" + b + ", 0))";
    }

    /** Integer division truncating toward zero; null when the divisor is zero. */
    default String integerDivide(String a, String b) {
        return "(" + a + " / NULLIF(" + b + ", 0))";
    }

    /** Converts an integer expression to floating point. */
    String toDouble(String expr);
}
