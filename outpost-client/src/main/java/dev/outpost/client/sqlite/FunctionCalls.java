package dev.outpost.client.sqlite;

import dev.outpost.client.sqlite.Operand.Kind;
import dev.outpost.protocol.query.Function;
import java.util.List;

/**
 * The {@code $filter} functions in SQLite, type-checked and with the server's results: a function of null is null
 * ({@code contains}, {@code startswith} and {@code endswith} of null are false), string functions are
 * case-sensitive and byte-wise with {@code %} and {@code _} as plain characters, {@code indexof} and
 * {@code substring} count from 0 and clamp negative positions and lengths to 0, {@code tolower}/{@code toupper} change
 * ASCII letters only, {@code trim} removes spaces, date parts are UTC, {@code round} rounds half away from zero, and
 * {@code floor}/{@code ceiling}/{@code round} of an integer is that integer. Stateless.
 */
final class FunctionCalls {
    private FunctionCalls() {
    }

    /**
     * The call of {@code function} with the already translated {@code arguments}.
     *
     * @throws dev.outpost.protocol.query.InvalidQueryException if an argument has the wrong type
     */
    static Operand translate(Function function, List<Operand> arguments, FilterTranslation run) {
        String name = function.odataName();
        switch (function) {
            case CONTAINS:
            case STARTSWITH:
            case ENDSWITH:
                return stringPredicate(function, arguments, run);
            case INDEXOF:
                requireKinds(run, name, arguments, Kind.STRING, Kind.STRING);
                return anyNull(arguments) ? Operand.nullLiteral() : value(name, Kind.INTEGER, arguments,
                        "(instr(", arguments.get(0).sql(), ", ", arguments.get(1).sql(), ") - 1)");
            case SUBSTRING:
                return substring(arguments, run);
            case TOLOWER:
            case TOUPPER:
            case TRIM:
            case LENGTH:
                requireKinds(run, name, arguments, Kind.STRING);
                if (anyNull(arguments)) {
                    return Operand.nullLiteral();
                }
                String sqlName = function == Function.TOLOWER ? "lower" : function == Function.TOUPPER ? "upper"
                        : name;
                return value(name, function == Function.LENGTH ? Kind.INTEGER : Kind.STRING, arguments,
                        sqlName + "(", arguments.get(0).sql(), ")");
            case CONCAT:
                requireKinds(run, name, arguments, Kind.STRING, Kind.STRING);
                return anyNull(arguments) ? Operand.nullLiteral() : value(name, Kind.STRING, arguments,
                        "(", arguments.get(0).sql(), " || ", arguments.get(1).sql(), ")");
            case REPLACE:
                requireKinds(run, name, arguments, Kind.STRING, Kind.STRING, Kind.STRING);
                return anyNull(arguments) ? Operand.nullLiteral() : value(name, Kind.STRING, arguments,
                        "replace(", arguments.get(0).sql(), ", ", arguments.get(1).sql(), ", ",
                        arguments.get(2).sql(), ")");
            case YEAR:
            case MONTH:
            case DAY:
            case HOUR:
            case MINUTE:
            case SECOND:
                requireKinds(run, name, arguments, Kind.DATE);
                return anyNull(arguments) ? Operand.nullLiteral() : datePart(function, arguments);
            case FLOOR:
            case CEILING:
            case ROUND:
            default:
                return rounding(function, arguments.get(0), run);
        }
    }

    /** {@code contains}, {@code startswith}, {@code endswith}: true or false, false when an argument is null. */
    private static Operand stringPredicate(Function function, List<Operand> arguments, FilterTranslation run) {
        requireKinds(run, function.odataName(), arguments, Kind.STRING, Kind.STRING);
        if (anyNull(arguments)) {
            return Operand.predicate(SqlFragment.of("1 = 0"));
        }
        SqlFragment text = arguments.get(0).sql();
        SqlFragment needle = arguments.get(1).sql();
        SqlFragment condition;
        switch (function) {
            case CONTAINS:
                condition = SqlFragment.concat("instr(", text, ", ", needle, ") > 0");
                break;
            case STARTSWITH:
                condition = SqlFragment.concat("substr(", text, ", 1, length(", needle, ")) = ", needle);
                break;
            case ENDSWITH:
            default:
                condition = SqlFragment.concat("length(", text, ") >= length(", needle, ") AND substr(", text,
                        ", length(", text, ") - length(", needle, ") + 1) = ", needle);
                break;
        }
        for (Operand argument : arguments) {
            if (argument.nullable()) {
                condition = SqlFragment.concat(condition, " AND ", argument.sql(), " IS NOT NULL");
            }
        }
        return Operand.predicate(condition);
    }

    /** {@code substring(text, start[, length])}: 0-based, a negative start or length counts as 0. */
    private static Operand substring(List<Operand> arguments, FilterTranslation run) {
        run.requireKind("substring", arguments.get(0), Kind.STRING, 1);
        for (int i = 1; i < arguments.size(); i++) {
            run.requireKind("substring", arguments.get(i), Kind.INTEGER, i + 1);
        }
        if (anyNull(arguments)) {
            return Operand.nullLiteral();
        }
        SqlFragment start = SqlFragment.concat("(max(", arguments.get(1).sql(), ", 0) + 1)");
        SqlFragment sql = arguments.size() == 2
                ? SqlFragment.concat("substr(", arguments.get(0).sql(), ", ", start, ")")
                : SqlFragment.concat("substr(", arguments.get(0).sql(), ", ", start, ", max(", arguments.get(2).sql(),
                        ", 0))");
        return value("substring", Kind.STRING, arguments, sql);
    }

    /** Dates are stored as {@code yyyy-MM-ddTHH:mm:ss.SSSZ} (UTC), so their parts are fixed substrings. */
    private static Operand datePart(Function function, List<Operand> arguments) {
        int start;
        int length = 2;
        switch (function) {
            case YEAR -> {
                start = 1;
                length = 4;
            }
            case MONTH -> start = 6;
            case DAY -> start = 9;
            case HOUR -> start = 12;
            case MINUTE -> start = 15;
            default -> start = 18;
        }
        return value(function.odataName(), Kind.INTEGER, arguments, "CAST(substr(", arguments.get(0).sql(),
                ", " + start + ", " + length + ") AS INTEGER)");
    }

    /** {@code floor}, {@code ceiling}, {@code round}: an integer stays as it is; {@code round} is half away from 0. */
    private static Operand rounding(Function function, Operand argument, FilterTranslation run) {
        if (argument.kind() == Kind.NULL) {
            return Operand.nullLiteral();
        }
        run.requireNumeric(argument, function.odataName());
        if (argument.kind() == Kind.INTEGER) {
            return argument;
        }
        String sqlName = function == Function.FLOOR ? "floor" : function == Function.CEILING ? "ceil" : "round";
        return value(function.odataName(), Kind.NUMBER, List.of(argument), sqlName + "(", argument.sql(), ")");
    }

    /** A function's value, nullable when an argument is. */
    private static Operand value(String name, Kind kind, List<Operand> arguments, Object... sql) {
        boolean nullable = arguments.stream().anyMatch(Operand::nullable);
        return Operand.value(SqlFragment.concat(sql), kind, nullable, name + "(…)");
    }

    private static boolean anyNull(List<Operand> arguments) {
        return arguments.stream().anyMatch(argument -> argument.kind() == Kind.NULL);
    }

    private static void requireKinds(FilterTranslation run, String function, List<Operand> arguments,
            Kind... kinds) {
        for (int i = 0; i < kinds.length; i++) {
            run.requireKind(function, arguments.get(i), kinds[i], i + 1);
        }
    }
}
