package dev.outpost.client.sqlite;

import dev.outpost.client.store.ColumnType;
import dev.outpost.protocol.Timestamps;
import java.time.Instant;
import java.util.List;

/**
 * A translated {@code $filter} expression: its SQL and what translating the expressions around it needs to know.
 * Immutable.
 *
 * @param sql         the SQL; for a predicate, a parenthesised condition that is true or false, never NULL
 * @param kind        the type of its value
 * @param nullable    whether its value can be NULL
 * @param predicate   whether {@code sql} is a two-valued condition
 * @param literal     whether it is a literal
 * @param value       the literal's value as bound ({@code String}, {@code Long}, {@code Double}, {@code Boolean} or
 *                    {@code Instant}), for a literal
 * @param description how error messages name it
 */
record Operand(SqlFragment sql, Kind kind, boolean nullable, boolean predicate, boolean literal, Object value,
               String description) {

    /** The type of an expression's value. */
    enum Kind {
        STRING("a string"), BOOLEAN("a boolean"), INTEGER("an integer"), NUMBER("a number"), DATE("a date"),
        JSON("a json value"), NULL("null");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        /** The kind with its article, for messages: {@code an integer}. */
        String text() {
            return text;
        }

        boolean numeric() {
            return this == INTEGER || this == NUMBER;
        }

        static Kind of(ColumnType type) {
            switch (type) {
                case BOOLEAN:
                    return BOOLEAN;
                case INTEGER:
                    return INTEGER;
                case NUMBER:
                    return NUMBER;
                case DATE:
                    return DATE;
                case JSON:
                    return JSON;
                case STRING:
                default:
                    return STRING;
            }
        }
    }

    /** The {@code null} literal. */
    static Operand nullLiteral() {
        return new Operand(SqlFragment.of("NULL"), Kind.NULL, true, false, true, null, "null");
    }

    /** A literal, bound as a parameter. */
    static Operand literal(Object value, Kind kind, String description) {
        Object bound = value;
        if (value instanceof Boolean b) {
            bound = b ? 1 : 0;
        } else if (value instanceof Instant instant) {
            bound = Timestamps.format(instant);
        }
        return new Operand(new SqlFragment("?", List.of(bound)), kind, false, false, true, value, description);
    }

    /** A value computed by SQL (a column, a function, arithmetic). */
    static Operand value(SqlFragment sql, Kind kind, boolean nullable, String description) {
        return new Operand(sql, kind, nullable, false, false, null, description);
    }

    /** A two-valued condition, parenthesised here. */
    static Operand predicate(SqlFragment condition) {
        return new Operand(SqlFragment.concat("(", condition, ")"), Kind.BOOLEAN, false, true, false, null,
                "a condition");
    }
}
