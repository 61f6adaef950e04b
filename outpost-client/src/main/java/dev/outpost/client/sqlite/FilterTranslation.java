package dev.outpost.client.sqlite;

import dev.outpost.client.sqlite.Operand.Kind;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.Timestamps;
import dev.outpost.protocol.query.ArithmeticOperator;
import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.FilterWriter;
import dev.outpost.protocol.query.InvalidQueryException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The translation of one {@code $filter} into a two-valued SQLite condition on one local table, type-checked as the
 * server checks it. See {@link SqliteQueryTranslator} for the semantics. Used once, on one thread.
 */
final class FilterTranslation {
    private static final String PARAMETER = "$filter";
    private static final SqlFragment TRUE = SqlFragment.of("(1 = 1)");
    private static final SqlFragment FALSE = SqlFragment.of("(1 = 0)");

    private final TableDefinition table;
    private final Filter root;

    FilterTranslation(TableDefinition table, Filter root) {
        this.table = table;
        this.root = root;
    }

    /**
     * The condition for the whole filter.
     *
     * @throws InvalidQueryException if the filter is ill-typed, is not a condition, or names a column the table
     *                               does not define
     */
    SqlFragment condition() {
        Operand operand = expression(root);
        if (operand.kind() != Kind.BOOLEAN && operand.kind() != Kind.NULL) {
            throw error("$filter must be a condition, but it is " + operand.kind().text());
        }
        return condition(operand);
    }

    /** An error about this filter, naming it as the app wrote it (in OData v4 syntax). */
    InvalidQueryException error(String message) {
        return new InvalidQueryException(PARAMETER, FilterWriter.write(root, ProtocolVersion.V3), -1, message);
    }

    // Java 17 has no pattern matching in switch: the chain covers every permitted subtype of Filter.
    private Operand expression(Filter filter) {
        if (filter instanceof Filter.And and) {
            return Operand.predicate(SqlFragment.concat(condition(expression(and.left())), " AND ",
                    condition(expression(and.right()))));
        } else if (filter instanceof Filter.Or or) {
            return Operand.predicate(SqlFragment.concat(condition(expression(or.left())), " OR ",
                    condition(expression(or.right()))));
        } else if (filter instanceof Filter.Not not) {
            return Operand.predicate(SqlFragment.concat("NOT ", condition(expression(not.operand()))));
        } else if (filter instanceof Filter.Comparison comparison) {
            return comparison(comparison.operator(), expression(comparison.left()), expression(comparison.right()));
        } else if (filter instanceof Filter.Arithmetic arithmetic) {
            return arithmetic(arithmetic.operator(), expression(arithmetic.left()), expression(arithmetic.right()));
        } else if (filter instanceof Filter.Negate negate) {
            return negate(expression(negate.operand()));
        } else if (filter instanceof Filter.In in) {
            return in(in);
        } else if (filter instanceof Filter.Call call) {
            List<Operand> arguments = new ArrayList<>();
            for (Filter argument : call.arguments()) {
                arguments.add(expression(argument));
            }
            return FunctionCalls.translate(call.function(), arguments, this);
        } else if (filter instanceof Filter.Property property) {
            return property(property.name());
        } else if (filter instanceof Filter.Literal literal) {
            return literal(literal.value());
        }
        throw new IllegalStateException("unknown filter node " + filter.getClass().getName());
    }

    /** The two-valued condition for a boolean (or null) expression. */
    private SqlFragment condition(Operand operand) {
        if (operand.kind() == Kind.NULL) {
            return FALSE;
        }
        if (operand.kind() != Kind.BOOLEAN) {
            throw error("expected a condition but found " + operand.description() + " (" + operand.kind().text()
                    + ")");
        }
        return operand.predicate() ? operand.sql() : SqlFragment.concat("(", operand.sql(), " IS TRUE)");
    }

    private Operand property(String name) {
        TableDefinition.Column column = name.indexOf('/') < 0 ? table.column(name) : null;
        if (column == null) {
            throw error("cannot evaluate '" + name + "' locally: local table '" + table.name() + "' does not "
                    + "define it as a column (properties it does not define are kept untyped with the records, so "
                    + "they can be read but not queried); define it with TableDefinition.Builder.column to query it");
        }
        return Operand.value(SqlFragment.of(SqliteQueryTranslator.quote(column.name())), Kind.of(column.type()),
                !column.name().equals(SystemColumns.ID), "column '" + column.name() + "'");
    }

    private Operand literal(Object value) {
        if (value == null) {
            return Operand.nullLiteral();
        } else if (value instanceof String s) {
            return Operand.literal(s, Kind.STRING, "'" + abbreviate(s) + "'");
        } else if (value instanceof Boolean b) {
            return Operand.literal(b, Kind.BOOLEAN, b.toString());
        } else if (value instanceof Long l) {
            return Operand.literal(l, Kind.INTEGER, l.toString());
        } else if (value instanceof BigDecimal decimal) {
            // Every number with a fraction or an exponent is a double, as on the server: 60.0 divides as a double.
            double d = decimal.doubleValue();
            if (Double.isInfinite(d)) {
                throw error("number out of range: " + abbreviate(decimal.toString()));
            }
            return Operand.literal(d, Kind.NUMBER, abbreviate(decimal.toString()));
        } else if (value instanceof Instant instant) {
            return Operand.literal(instant, Kind.DATE, Timestamps.format(instant));
        }
        throw new IllegalStateException("unknown literal type " + value.getClass().getName());
    }

    private Operand comparison(ComparisonOperator op, Operand left, Operand right) {
        if (left.kind() == Kind.NULL || right.kind() == Kind.NULL) {
            return nullComparison(op, left, right);
        }
        Operand[] pair = unify(left, right, op.odata());
        Operand l = pair[0];
        Operand r = pair[1];
        boolean ordering = op != ComparisonOperator.EQ && op != ComparisonOperator.NE;
        if (l.kind() == Kind.JSON) {
            throw error("json values can only be compared with null: " + l.description() + " " + op.odata() + " "
                    + r.description());
        }
        if (ordering && l.kind() == Kind.BOOLEAN) {
            throw error("'" + op.odata() + "' does not apply to booleans: " + l.description() + " " + op.odata()
                    + " " + r.description());
        }
        if (l.predicate() && r.literal() && r.kind() == Kind.BOOLEAN && !ordering) {
            boolean wanted = Boolean.TRUE.equals(r.value()) == (op == ComparisonOperator.EQ);
            return wanted ? l : Operand.predicate(SqlFragment.concat("NOT ", l.sql()));
        }
        SqlFragment base = SqlFragment.concat(l.sql(), " " + sqlOperator(op) + " ", r.sql());
        if (op == ComparisonOperator.NE) {
            if (l.nullable() && r.nullable()) {
                return Operand.predicate(SqlFragment.concat("NOT (", equalOrBothNull(l, r), ")"));
            }
            if (l.nullable() || r.nullable()) {
                // null ne 'a' is true: C# compares null with a value as unequal.
                return Operand.predicate(SqlFragment.concat(base, " OR ", (l.nullable() ? l : r).sql(), " IS NULL"));
            }
            return Operand.predicate(base);
        }
        if (op == ComparisonOperator.EQ && l.nullable() && r.nullable()) {
            return Operand.predicate(equalOrBothNull(l, r));
        }
        // eq with one nullable side, and gt ge lt le: false when a side is null.
        SqlFragment condition = base;
        for (Operand side : new Operand[] {l, r}) {
            if (side.nullable()) {
                condition = SqlFragment.concat(condition, " AND ", side.sql(), " IS NOT NULL");
            }
        }
        return Operand.predicate(condition);
    }

    private static SqlFragment equalOrBothNull(Operand l, Operand r) {
        return SqlFragment.concat("(", l.sql(), " = ", r.sql(), " AND ", l.sql(), " IS NOT NULL AND ", r.sql(),
                " IS NOT NULL) OR (", l.sql(), " IS NULL AND ", r.sql(), " IS NULL)");
    }

    /** {@code x eq null} is {@code IS NULL}, {@code null eq null} is true, {@code gt ge lt le} with null are false. */
    private Operand nullComparison(ComparisonOperator op, Operand left, Operand right) {
        Operand other = left.kind() == Kind.NULL ? right : left;
        boolean eq = op == ComparisonOperator.EQ;
        if (!eq && op != ComparisonOperator.NE) {
            return Operand.predicate(FALSE);
        }
        if (other.kind() == Kind.NULL) {
            return Operand.predicate(eq ? TRUE : FALSE);
        }
        if (!other.nullable()) {
            return Operand.predicate(eq ? FALSE : TRUE);
        }
        return Operand.predicate(SqlFragment.concat(other.sql(), eq ? " IS NULL" : " IS NOT NULL"));
    }

    private static String sqlOperator(ComparisonOperator op) {
        switch (op) {
            case EQ:
                return "=";
            case NE:
                return "<>";
            case GT:
                return ">";
            case GE:
                return ">=";
            case LT:
                return "<";
            case LE:
            default:
                return "<=";
        }
    }

    /**
     * Makes two non-null operands comparable: numbers with numbers, a timestamp literal with a string (as its
     * canonical text), a timestamp string literal with a date; anything else of two kinds is a type mismatch.
     */
    private Operand[] unify(Operand left, Operand right, String what) {
        if (left.kind() == right.kind() || (left.kind().numeric() && right.kind().numeric())) {
            return new Operand[] {left, right};
        }
        if (left.kind() == Kind.STRING && right.kind() == Kind.DATE && right.literal()) {
            return new Operand[] {left, asText(right)};
        }
        if (right.kind() == Kind.STRING && left.kind() == Kind.DATE && left.literal()) {
            return new Operand[] {asText(left), right};
        }
        if (left.kind() == Kind.DATE && right.kind() == Kind.STRING && right.literal()) {
            return new Operand[] {left, asDate(right)};
        }
        if (right.kind() == Kind.DATE && left.kind() == Kind.STRING && left.literal()) {
            return new Operand[] {asDate(left), right};
        }
        throw error("type mismatch: cannot apply '" + what + "' to " + left.description() + " ("
                + left.kind().text() + ") and " + right.description() + " (" + right.kind().text() + ")");
    }

    private static Operand asText(Operand dateLiteral) {
        String text = Timestamps.format((Instant) dateLiteral.value());
        return Operand.literal(text, Kind.STRING, "'" + text + "'");
    }

    private Operand asDate(Operand stringLiteral) {
        String text = (String) stringLiteral.value();
        if (!Timestamps.isTimestamp(text)) {
            throw error("type mismatch: " + stringLiteral.description() + " is not a timestamp (expected e.g. "
                    + "2026-11-23T06:32:01.213Z)");
        }
        Instant instant = Timestamps.parse(text);
        return Operand.literal(instant, Kind.DATE, Timestamps.format(instant));
    }

    /** {@code x in (…)}: as {@code x eq item or …}, with {@code null} items matching a null {@code x}. */
    private Operand in(Filter.In in) {
        Operand value = expression(in.value());
        List<Operand> items = new ArrayList<>();
        boolean hasNull = false;
        boolean allLiterals = true;
        for (Filter item : in.items()) {
            Operand operand = expression(item);
            if (operand.kind() == Kind.NULL) {
                hasNull = true;
            } else {
                allLiterals &= operand.literal();
                items.add(operand);
            }
        }
        if (value.kind() == Kind.NULL) {
            return Operand.predicate(hasNull ? TRUE : FALSE);
        }
        if (!allLiterals || value.kind() == Kind.JSON || value.predicate()) {
            return inAsComparisons(value, items, hasNull);
        }
        List<SqlFragment> list = new ArrayList<>();
        for (Operand item : items) {
            list.add(unify(value, item, "in")[1].sql());
        }
        SqlFragment condition = items.isEmpty() ? FALSE : SqlFragment.concat(value.sql(),
                SqlFragment.join(" IN (", list, ", ", ")"));
        if (!items.isEmpty() && value.nullable()) {
            condition = SqlFragment.concat(condition, " AND ", value.sql(), " IS NOT NULL");
        }
        if (hasNull && value.nullable()) {
            return Operand.predicate(SqlFragment.concat("(", condition, ") OR ", value.sql(), " IS NULL"));
        }
        return Operand.predicate(condition);
    }

    private Operand inAsComparisons(Operand value, List<Operand> items, boolean hasNull) {
        List<SqlFragment> alternatives = new ArrayList<>();
        for (Operand item : items) {
            alternatives.add(comparison(ComparisonOperator.EQ, value, item).sql());
        }
        if (hasNull) {
            alternatives.add(nullComparison(ComparisonOperator.EQ, value, Operand.nullLiteral()).sql());
        }
        return Operand.predicate(SqlFragment.join("", alternatives, " OR ", ""));
    }

    /**
     * {@code add sub mul div mod}: of two integers an integer ({@code div} truncates toward zero), otherwise a
     * double; {@code div} and {@code mod} by zero are null; with a null operand, null.
     */
    private Operand arithmetic(ArithmeticOperator op, Operand left, Operand right) {
        String name = op.odata();
        if (left.kind() == Kind.NULL || right.kind() == Kind.NULL) {
            for (Operand side : new Operand[] {left, right}) {
                if (side.kind() != Kind.NULL) {
                    requireNumeric(side, name);
                }
            }
            return Operand.nullLiteral();
        }
        requireNumeric(left, name);
        requireNumeric(right, name);
        boolean integer = left.kind() == Kind.INTEGER && right.kind() == Kind.INTEGER;
        SqlFragment sql;
        switch (op) {
            case ADD -> sql = SqlFragment.concat("(", left.sql(), " + ", right.sql(), ")");
            case SUB -> sql = SqlFragment.concat("(", left.sql(), " - ", right.sql(), ")");
            case MUL -> sql = SqlFragment.concat("(", left.sql(), " * ", right.sql(), ")");
            case DIV -> sql = SqlFragment.concat("(", left.sql(), " / NULLIF(", right.sql(), ", 0))");
            default -> sql = integer ? SqlFragment.concat("(", left.sql(), " % NULLIF(", right.sql(), ", 0))")
                    // SQLite's % truncates doubles to integers first; mod() keeps the fraction, as the server does.
                    : SqlFragment.concat("mod(", left.sql(), ", NULLIF(", right.sql(), ", 0))");
        }
        boolean nullable = left.nullable() || right.nullable() || op == ArithmeticOperator.DIV
                || op == ArithmeticOperator.MOD;
        return Operand.value(sql, integer ? Kind.INTEGER : Kind.NUMBER, nullable,
                "(" + left.description() + " " + name + " " + right.description() + ")");
    }

    private Operand negate(Operand operand) {
        if (operand.kind() == Kind.NULL) {
            return operand;
        }
        requireNumeric(operand, "unary '-'");
        return Operand.value(SqlFragment.concat("(-", operand.sql(), ")"), operand.kind(), operand.nullable(),
                "-" + operand.description());
    }

    void requireNumeric(Operand operand, String what) {
        if (!operand.kind().numeric()) {
            throw error("type mismatch: '" + what + "' needs numbers but " + operand.description() + " is "
                    + operand.kind().text());
        }
    }

    /** Refuses an argument that is neither null nor of {@code kind}. */
    void requireKind(String function, Operand argument, Kind kind, int position) {
        if (argument.kind() != Kind.NULL && argument.kind() != kind) {
            throw error("type mismatch: argument " + position + " of " + function + " must be " + kind.text()
                    + " but " + argument.description() + " is " + argument.kind().text());
        }
    }

    static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "…";
    }
}
