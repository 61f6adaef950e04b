package dev.outpost.server.internal.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.outpost.protocol.Timestamps;
import java.util.Locale;

/** The type of a table column, as named in a tables file and stored in {@code outpost_columns}. */
public enum ColumnType {
    /** Text, compared and ordered by code point (byte order of UTF-8) on every database. */
    STRING,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A 64-bit signed integer. */
    INTEGER,
    /** A double-precision floating point number. */
    NUMBER,
    /** A UTC timestamp at millisecond precision, written as {@code 2026-11-23T06:32:01.213Z}. */
    DATE,
    /** Any JSON value (object, array, string, number or boolean), kept as JSON. */
    JSON;

    /** The name used in tables files and the schema table: the lower-case constant name. */
    public String schemaName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Reads a type name from a tables file or the schema table, ignoring case.
     *
     * @return the type, or {@code null} when the name is none of the six types
     */
    public static ColumnType fromName(String name) {
        if (name == null) {
            return null;
        }
        for (ColumnType type : values()) {
            if (type.schemaName().equals(name.toLowerCase(Locale.ROOT))) {
                return type;
            }
        }
        return null;
    }

    /**
     * The type the dynamic schema gives a new column first seen with {@code value}: a string in the canonical date
     * form ({@link #isCanonicalDate}) as date, any other string as string, boolean, any number as number, object or
     * array as json, and null as string.
     */
    public static ColumnType inferFrom(JsonNode value) {
        if (value != null && value.isTextual() && isCanonicalDate(value.asText())) {
            return DATE;
        }
        if (value == null || value.isNull() || value.isTextual()) {
            return STRING;
        }
        if (value.isBoolean()) {
            return BOOLEAN;
        }
        if (value.isNumber()) {
            return NUMBER;
        }
        return JSON;
    }

    /**
     * Whether {@code text} is a date in the canonical form, exactly as the official clients send dates and as Outpost
     * writes them: {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (24 characters, UTC, milliseconds, years 0001–9999, a real
     * date and time). Such a string is stored as a date and read back identical.
     */
    public static boolean isCanonicalDate(String text) {
        if (text.length() != 24 || text.charAt(10) != 'T' || text.charAt(19) != '.' || text.charAt(23) != 'Z'
                || !Timestamps.isTimestamp(text)) {
            return false;
        }
        try {
            return Timestamps.format(Timestamps.parse(text)).equals(text);
        } catch (RuntimeException e) {
            return false;
        }
    }
}
