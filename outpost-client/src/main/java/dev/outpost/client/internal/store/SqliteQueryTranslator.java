package dev.outpost.client.internal.store;

import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.Timestamps;
import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.Function;
import dev.outpost.protocol.query.InvalidQueryException;
import dev.outpost.protocol.query.OrderBy;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a {@link Filter} into a parameterised SQLite {@code WHERE} clause for one local table, with the same
 * semantics as the server's SQL: two-valued logic with C#/LINQ null semantics ({@code x ne 'a'} includes nulls,
 * ordering comparisons with null are false, {@code eq null} is {@code IS NULL}), 0-based {@code indexof} and
 * {@code substring}, case-sensitive {@code contains}/{@code startswith}/{@code endswith} in which {@code %} and
 * {@code _} are plain characters, and {@code round} half away from zero.
 *
 * <p>Why this is two-valued: SQL's three-valued logic turns a comparison with {@code NULL} into {@code NULL}, which a
 * {@code WHERE} treats as false. That matches C# everywhere except under {@code not}, so {@code eq}/{@code ne}
 * become {@code IS}/{@code IS NOT} and the operand of {@code not} is wrapped in {@code IFNULL(…, 0)}. Values are
 * always bind parameters; identifiers come from the table definition and are quoted. Immutable, thread-safe.
 */
public final class SqliteQueryTranslator {
    private final TableDefinition table;

    public SqliteQueryTranslator(TableDefinition table) {
        this.table = table;
    }

    /** Quotes an SQLite identifier. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * The {@code WHERE} condition for {@code filter}, or {@code 1} for none.
     *
     * @throws InvalidQueryException if the filter names a column the table does not have
     */
    public SqlFragment where(Filter filter) {
        return filter == null ? SqlFragment.of("1") : predicate(filter);
    }

    /**
     * The {@code ORDER BY} list for {@code orderBy}, always ending with {@code id} as a tie-breaker.
     *
     * @throws InvalidQueryException if a key names a column the table does not have
     */
    public String orderBy(List<OrderBy> orderBy) {
        List<String> keys = new ArrayList<>();
        boolean hasId = false;
        for (OrderBy key : orderBy) {
            TableDefinition.Column column = column(key.property(), "$orderby");
            hasId |= column.name().equalsIgnoreCase(SystemColumns.ID);
            keys.add(quote(column.name()) + (key.descending() ? " DESC" : ""));
        }
        if (!hasId) {
            keys.add(quote(SystemColumns.ID));
        }
        return String.join(", ", keys);
    }

    private SqlFragment predicate(Filter filter) {
        if (filter instanceof Filter.And and) {
            return SqlFragment.concat("(", predicate(and.left()), " AND ", predicate(and.right()), ")");
        } else if (filter instanceof Filter.Or or) {
            return SqlFragment.concat("(", predicate(or.left()), " OR ", predicate(or.right()), ")");
        } else if (filter instanceof Filter.Not not) {
            return SqlFragment.concat("(NOT IFNULL(", predicate(not.operand()), ", 0))");
        } else if (filter instanceof Filter.Comparison comparison) {
            return comparison(comparison);
        } else if (filter instanceof Filter.In in) {
            return in(in);
        } else if (filter instanceof Filter.Property property) {
            return SqlFragment.concat("(", value(property), " IS 1)");
        } else {
            return SqlFragment.concat("(", value(filter), ")");
        }
    }

    private SqlFragment comparison(Filter.Comparison comparison) {
        Filter left = coerce(comparison.left(), comparison.right());
        Filter right = coerce(comparison.right(), comparison.left());
        String operator;
        ComparisonOperator op = comparison.operator();
        if (op == ComparisonOperator.EQ) {
            operator = " IS ";
        } else if (op == ComparisonOperator.NE) {
            operator = " IS NOT ";
        } else if (op == ComparisonOperator.GT) {
            operator = " > ";
        } else if (op == ComparisonOperator.GE) {
            operator = " >= ";
        } else if (op == ComparisonOperator.LT) {
            operator = " < ";
        } else {
            operator = " <= ";
        }
        return SqlFragment.concat("(", value(left), operator, value(right), ")");
    }

    private SqlFragment in(Filter.In in) {
        List<SqlFragment> items = new ArrayList<>();
        boolean hasNull = false;
        for (Filter item : in.items()) {
            hasNull |= item instanceof Filter.Literal literal && literal.value() == null;
            items.add(value(coerce(item, in.value())));
        }
        SqlFragment value = value(in.value());
        if (!hasNull) {
            return SqlFragment.concat("(", value, SqlFragment.join(" IN (", items, ", ", ")"), ")");
        }
        List<SqlFragment> alternatives = new ArrayList<>();
        for (SqlFragment item : items) {
            alternatives.add(SqlFragment.concat(value, " IS ", item));
        }
        return SqlFragment.join("(", alternatives, " OR ", ")");
    }

    /** A string literal compared with a date column is read as a timestamp, so that both compare as dates. */
    private Filter coerce(Filter side, Filter other) {
        if (side instanceof Filter.Literal literal && literal.value() instanceof String text
                && other instanceof Filter.Property property) {
            TableDefinition.Column column = table.column(property.name());
            if (column != null && column.type() == ColumnType.DATE && Timestamps.isTimestamp(text)) {
                return Filter.Literal.of(Timestamps.parse(text));
            }
        }
        return side;
    }

    private SqlFragment value(Filter filter) {
        if (filter instanceof Filter.Property property) {
            return SqlFragment.of(quote(column(property.name(), "$filter").name()));
        } else if (filter instanceof Filter.Literal literal) {
            return literal(literal.value());
        } else if (filter instanceof Filter.Arithmetic arithmetic) {
            String operator;
            switch (arithmetic.operator()) {
                case ADD -> operator = " + ";
                case SUB -> operator = " - ";
                case MUL -> operator = " * ";
                case DIV -> operator = " / ";
                default -> operator = " % ";
            }
            return SqlFragment.concat("(", value(arithmetic.left()), operator, value(arithmetic.right()), ")");
        } else if (filter instanceof Filter.Negate negate) {
            return SqlFragment.concat("(-", value(negate.operand()), ")");
        } else if (filter instanceof Filter.Call call) {
            return call(call);
        } else {
            return predicate(filter);
        }
    }

    private SqlFragment call(Filter.Call call) {
        List<SqlFragment> args = new ArrayList<>();
        for (Filter argument : call.arguments()) {
            args.add(value(argument));
        }
        Function function = call.function();
        switch (function) {
            case CONTAINS:
                return SqlFragment.concat("(instr(", args.get(0), ", ", args.get(1), ") > 0)");
            case STARTSWITH:
                return SqlFragment.concat("(substr(", args.get(0), ", 1, length(", args.get(1), ")) = ", args.get(1),
                        ")");
            case ENDSWITH:
                return SqlFragment.concat("(", args.get(0), " IS NOT NULL AND (length(", args.get(1),
                        ") = 0 OR substr(", args.get(0), ", -length(", args.get(1), ")) = ", args.get(1), "))");
            case INDEXOF:
                return SqlFragment.concat("(instr(", args.get(0), ", ", args.get(1), ") - 1)");
            case SUBSTRING:
                return args.size() == 2
                        ? SqlFragment.concat("substr(", args.get(0), ", (", args.get(1), ") + 1)")
                        : SqlFragment.concat("substr(", args.get(0), ", (", args.get(1), ") + 1, ", args.get(2), ")");
            case TOLOWER:
                return SqlFragment.concat("lower(", args.get(0), ")");
            case TOUPPER:
                return SqlFragment.concat("upper(", args.get(0), ")");
            case TRIM:
                return SqlFragment.concat("trim(", args.get(0), ")");
            case LENGTH:
                return SqlFragment.concat("length(", args.get(0), ")");
            case CONCAT:
                return SqlFragment.concat("(IFNULL(", args.get(0), ", '') || IFNULL(", args.get(1), ", ''))");
            case REPLACE:
                return SqlFragment.concat("replace(", args.get(0), ", ", args.get(1), ", ", args.get(2), ")");
            case YEAR:
                return datePart(args.get(0), 1, 4);
            case MONTH:
                return datePart(args.get(0), 6, 2);
            case DAY:
                return datePart(args.get(0), 9, 2);
            case HOUR:
                return datePart(args.get(0), 12, 2);
            case MINUTE:
                return datePart(args.get(0), 15, 2);
            case SECOND:
                return datePart(args.get(0), 18, 2);
            case FLOOR:
                return SqlFragment.concat("floor(", args.get(0), ")");
            case CEILING:
                return SqlFragment.concat("ceil(", args.get(0), ")");
            case ROUND:
                // SQLite's round() rounds half away from zero, as the server does.
                return SqlFragment.concat("round(", args.get(0), ")");
            default:
                throw new IllegalStateException("unhandled function " + function);
        }
    }

    /** Dates are stored as {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, so their parts are fixed substrings. */
    private static SqlFragment datePart(SqlFragment date, int start, int length) {
        return SqlFragment.concat("CAST(substr(", date, ", " + start + ", " + length + ") AS INTEGER)");
    }

    private static SqlFragment literal(Object value) {
        if (value == null) {
            return SqlFragment.of("NULL");
        }
        return new SqlFragment("?", List.of(bindable(value)));
    }

    /** A literal as the value SQLite stores for it. */
    static Object bindable(Object value) {
        if (value instanceof Boolean b) {
            return b ? 1 : 0;
        } else if (value instanceof Instant instant) {
            return Timestamps.format(instant);
        } else if (value instanceof BigDecimal decimal) {
            if (decimal.scale() <= 0 && decimal.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) < 0) {
                return decimal.longValueExact();
            }
            return decimal.doubleValue();
        }
        return value;
    }

    private TableDefinition.Column column(String name, String parameter) {
        TableDefinition.Column column = name.indexOf('/') < 0 ? table.column(name) : null;
        if (column == null) {
            throw new InvalidQueryException(parameter, name, -1, "unknown column '" + name + "' in local table '"
                    + table.name() + "' (define it with TableDefinition.Builder.column to query it)");
        }
        return column;
    }
}
