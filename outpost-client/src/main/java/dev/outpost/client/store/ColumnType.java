package dev.outpost.client.store;

import java.util.Locale;

/**
 * The type of a column in a local table, and how its values are kept in SQLite.
 *
 * <p>Dates are kept as text in Outpost's one timestamp format (UTC, three fractional digits, {@code Z}), so they
 * sort and compare correctly as text and any SQLite tool can read them. Booleans are 0/1, JSON is its text.
 */
public enum ColumnType {
    /** Text. */
    STRING("TEXT"),
    /** {@code true}/{@code false}, kept as 0/1. */
    BOOLEAN("BOOLEAN"),
    /** A 64-bit integer. */
    INTEGER("INTEGER"),
    /** A double-precision number. */
    NUMBER("REAL"),
    /** A timestamp, kept as {@code 2026-11-23T06:32:01.213Z}. */
    DATE("DATETEXT"),
    /** Any JSON value (object, array, …), kept as its text. */
    JSON("JSONTEXT");

    private final String sqlType;

    ColumnType(String sqlType) {
        this.sqlType = sqlType;
    }

    /** The declared SQLite type; distinct per column type, so the type can be read back from the schema. */
    public String sqlType() {
        return sqlType;
    }

    /** The column type whose {@link #sqlType()} is {@code declared}; {@link #STRING} for anything else. */
    public static ColumnType fromSqlType(String declared) {
        String upper = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
        for (ColumnType type : values()) {
            if (type.sqlType.equals(upper)) {
                return type;
            }
        }
        return STRING;
    }
}
