package dev.outpost.server.internal.sql;

import dev.outpost.protocol.Timestamps;
import dev.outpost.protocol.query.ArithmeticOperator;
import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.Function;
import dev.outpost.protocol.query.InvalidQueryException;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.server.internal.table.UnknownColumnException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a {@code $filter} tree into a parameterised SQL condition for one table and dialect, checking it
 * against the table's schema on the way: unknown columns, functions applied to the wrong types and comparisons of
 * unlike types are refused with an {@link UnknownColumnException} or {@link InvalidQueryException} that names
 * the problem, so the database never sees an ill-typed expression.
 *
 * <p>The SQL has two-valued logic with C#/LINQ null semantics, identical on every dialect: {@code x eq null} is
 * {@code IS NULL}, {@code null eq null} is true, {@code x ne 'a'} includes rows where {@code x} is null,
 * {@code gt ge lt le} with a null side are false, a function of null is null, and {@code not} flips a true/false
 * result. The common {@code column op literal} forms stay index-friendly ({@code (c = ? AND c IS NOT NULL)}).
 * Instances are immutable and thread-safe.
 */
public final class FilterTranslator {
    private static final String PARAMETER = "$filter";

    private final SqlDialect dialect;

    /** A translator for {@code dialect}. */
    public FilterTranslator(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /**
     * Translates {@code filter} into a SQL condition that is true or false (never null) for every row.
     *
     * @param filter the parsed {@code $filter}
     * @param schema the table it applies to
     * @param text   the original {@code $filter} text, for error messages
     * @throws UnknownColumnException if the filter names a column the table does not have
     * @throws InvalidQueryException  if the filter is ill-typed or not a condition
     */
    public SqlFragment translate(Filter filter, TableSchema schema, String text) {
        Run run = new Run(schema, text == null ? "" : text);
        Expr expr = run.expr(filter);
        if (expr.kind != Kind.BOOLEAN && expr.kind != Kind.NULL) {
            throw run.error("$filter must be a condition, but it is " + expr.kind.text);
        }
        return new SqlFragment(run.condition(expr), expr.params);
    }

    /** The type of a translated expression. */
    private enum Kind {
        STRING("a string"), BOOLEAN("a boolean"), INTEGER("an integer"), NUMBER("a number"), DATE("a date"),
        JSON("a json value"), NULL("null");

        final String text;

        Kind(String text) {
            this.text = text;
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

    /**
     * A translated expression.
     *
     * @param sql       value SQL (for a predicate: the parenthesised two-valued condition)
     * @param predicate whether {@code sql} is a two-valued condition
     * @param literal   the literal's value when the expression is a literal, else {@code null}
     * @param isLiteral whether the expression is a literal
     */
    private record Expr(String sql, List<Object> params, Kind kind, boolean nullable, boolean predicate,
                        boolean isLiteral, Object literal, String describe) {

        static Expr nullLiteral() {
            return new Expr("NULL", List.of(), Kind.NULL, true, false, true, null, "null");
        }

        static Expr predicate(String condition, List<Object> params) {
            return new Expr("(" + condition + ")", params, Kind.BOOLEAN, false, true, false, null, "a condition");
        }
    }

    /** The state of one translation. */
    private final class Run {
        private final TableSchema schema;
        private final String text;

        Run(TableSchema schema, String text) {
            this.schema = schema;
            this.text = text;
        }

        InvalidQueryException error(String message) {
            return new InvalidQueryException(PARAMETER, text, -1, message);
        }

        // Java 17 has no pattern matching in switch: the chain covers every permitted subtype of Filter.
        Expr expr(Filter filter) {
            if (filter instanceof Filter.And and) {
                Expr left = expr(and.left());
                Expr right = expr(and.right());
                return Expr.predicate(condition(left) + " AND " + condition(right), concat(left, right));
            } else if (filter instanceof Filter.Or or) {
                Expr left = expr(or.left());
                Expr right = expr(or.right());
                return Expr.predicate(condition(left) + " OR " + condition(right), concat(left, right));
            } else if (filter instanceof Filter.Not not) {
                Expr operand = expr(not.operand());
                return Expr.predicate("NOT " + condition(operand), operand.params);
            } else if (filter instanceof Filter.Comparison comparison) {
                return comparison(comparison.operator(), expr(comparison.left()), expr(comparison.right()));
            } else if (filter instanceof Filter.Arithmetic arithmetic) {
                return arithmetic(arithmetic.operator(), expr(arithmetic.left()), expr(arithmetic.right()));
            } else if (filter instanceof Filter.Negate negate) {
                Expr operand = expr(negate.operand());
                if (operand.kind == Kind.NULL) {
                    return operand;
                }
                requireNumeric(operand, "unary '-'");
                return new Expr("(-" + operand.sql + ")", operand.params, operand.kind, operand.nullable, false,
                        false, null, "a number");
            } else if (filter instanceof Filter.In in) {
                return in(in);
            } else if (filter instanceof Filter.Call call) {
                return call(call);
            } else if (filter instanceof Filter.Property property) {
                return property(property.name());
            } else if (filter instanceof Filter.Literal literal) {
                return literal(literal.value());
            }
            throw new IllegalStateException("unknown filter node " + filter.getClass().getName());
        }

        /** The two-valued condition for a boolean expression. */
        String condition(Expr expr) {
            if (expr.kind == Kind.NULL) {
                return dialect.falseCondition();
            }
            if (expr.kind != Kind.BOOLEAN) {
                throw error("expected a condition but found " + expr.describe + " (" + expr.kind.text + ")");
            }
            if (expr.predicate) {
                return expr.sql;
            }
            return "(" + expr.sql + " IS TRUE)";
        }

        Expr property(String name) {
            Column column = name.indexOf('/') >= 0 ? null : schema.column(name);
            if (column == null) {
                throw new UnknownColumnException(schema.name(), name, PARAMETER);
            }
            return new Expr(dialect.quote(column.sqlName()), List.of(), Kind.of(column.type()), column.nullable(),
                    false, false, null, "column '" + column.name() + "'");
        }

        Expr literal(Object value) {
            if (value == null) {
                return Expr.nullLiteral();
            }
            if (value instanceof String s) {
                return literalOf(s, Kind.STRING, "'" + abbreviate(s) + "'");
            }
            if (value instanceof Boolean b) {
                return literalOf(b, Kind.BOOLEAN, b.toString());
            }
            if (value instanceof Long l) {
                return literalOf(l, Kind.INTEGER, l.toString());
            }
            if (value instanceof BigDecimal decimal) {
                double d = decimal.doubleValue();
                if (Double.isInfinite(d)) {
                    throw error("number out of range: " + abbreviate(decimal.toString()));
                }
                return literalOf(d, Kind.NUMBER, abbreviate(decimal.toString()));
            }
            if (value instanceof Instant instant) {
                return literalOf(instant, Kind.DATE, Timestamps.format(instant));
            }
            throw new IllegalStateException("unknown literal type " + value.getClass().getName());
        }

        private Expr literalOf(Object value, Kind kind, String describe) {
            return new Expr("?", List.of(value), kind, false, false, true, value, describe);
        }

        Expr comparison(ComparisonOperator op, Expr left, Expr right) {
            if (left.kind == Kind.NULL || right.kind == Kind.NULL) {
                return nullComparison(op, left, right);
            }
            Expr[] pair = unify(left, right, op.odata());
            Expr l = pair[0];
            Expr r = pair[1];
            boolean ordering = op != ComparisonOperator.EQ && op != ComparisonOperator.NE;
            if (l.kind == Kind.JSON) {
                throw error("json values can only be compared with null: " + l.describe + " " + op.odata() + " "
                        + r.describe);
            }
            if (ordering && l.kind == Kind.BOOLEAN) {
                throw error("'" + op.odata() + "' does not apply to booleans: " + l.describe + " " + op.odata()
                        + " " + r.describe);
            }
            if (l.predicate && r.isLiteral && r.kind == Kind.BOOLEAN && !ordering) {
                boolean wanted = Boolean.TRUE.equals(r.literal) == (op == ComparisonOperator.EQ);
                return wanted ? l : Expr.predicate("NOT " + l.sql, l.params);
            }
            String rightSql = l.kind == Kind.STRING ? dialect.binaryCollation(r.sql) : r.sql;
            List<Object> params = concat(l, r);
            String sqlOp = sqlOperator(op);
            String base = l.sql + " " + sqlOp + " " + rightSql;
            if (op == ComparisonOperator.NE) {
                if (!l.nullable && !r.nullable) {
                    return Expr.predicate(base, params);
                }
                if (l.nullable && r.nullable) {
                    String eq = "(" + l.sql + " = " + rightSql + " AND " + l.sql + " IS NOT NULL AND " + r.sql
                            + " IS NOT NULL) OR (" + l.sql + " IS NULL AND " + r.sql + " IS NULL)";
                    return Expr.predicate("NOT (" + eq + ")", concat(l.params, r.params, l.params, r.params,
                            l.params, r.params));
                }
                Expr nullable = l.nullable ? l : r;
                return Expr.predicate(base + " OR " + nullable.sql + " IS NULL", concat(params, nullable.params));
            }
            if (op == ComparisonOperator.EQ && l.nullable && r.nullable) {
                String eq = "(" + base + " AND " + l.sql + " IS NOT NULL AND " + r.sql + " IS NOT NULL) OR ("
                        + l.sql + " IS NULL AND " + r.sql + " IS NULL)";
                return Expr.predicate(eq, concat(params, l.params, r.params, l.params, r.params));
            }
            StringBuilder sql = new StringBuilder(base);
            List<Object> all = new ArrayList<>(params);
            for (Expr side : new Expr[] {l, r}) {
                if (side.nullable) {
                    sql.append(" AND ").append(side.sql).append(" IS NOT NULL");
                    all.addAll(side.params);
                }
            }
            return Expr.predicate(sql.toString(), all);
        }

        private Expr nullComparison(ComparisonOperator op, Expr left, Expr right) {
            Expr other = left.kind == Kind.NULL ? right : left;
            boolean eq = op == ComparisonOperator.EQ;
            boolean ne = op == ComparisonOperator.NE;
            if (!eq && !ne) {
                return Expr.predicate(dialect.falseCondition(), List.of());
            }
            if (other.kind == Kind.NULL) {
                return Expr.predicate(eq ? dialect.trueCondition() : dialect.falseCondition(), List.of());
            }
            if (!other.nullable) {
                return Expr.predicate(eq ? dialect.falseCondition() : dialect.trueCondition(), List.of());
            }
            return Expr.predicate(other.sql + (eq ? " IS NULL" : " IS NOT NULL"), other.params);
        }

        private String sqlOperator(ComparisonOperator op) {
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

        /** Makes two non-null operands comparable, converting literals where a rule allows it. */
        private Expr[] unify(Expr left, Expr right, String what) {
            if (left.kind == right.kind || (left.kind.numeric() && right.kind.numeric())) {
                return new Expr[] {left, right};
            }
            // A timestamp literal compares with a string column by its canonical text.
            if (left.kind == Kind.STRING && right.kind == Kind.DATE && right.isLiteral) {
                return new Expr[] {left, asText(right)};
            }
            if (right.kind == Kind.STRING && left.kind == Kind.DATE && left.isLiteral) {
                return new Expr[] {asText(left), right};
            }
            // A string literal compares with a date column when it is a timestamp.
            if (left.kind == Kind.DATE && right.kind == Kind.STRING && right.isLiteral) {
                return new Expr[] {left, asDate(right)};
            }
            if (right.kind == Kind.DATE && left.kind == Kind.STRING && left.isLiteral) {
                return new Expr[] {asDate(left), right};
            }
            throw error("type mismatch: cannot apply '" + what + "' to " + left.describe + " (" + left.kind.text
                    + ") and " + right.describe + " (" + right.kind.text + ")");
        }

        private Expr asText(Expr dateLiteral) {
            String text = Timestamps.format((Instant) dateLiteral.literal);
            return literalOf(text, Kind.STRING, "'" + text + "'");
        }

        private Expr asDate(Expr stringLiteral) {
            String value = (String) stringLiteral.literal;
            if (!Timestamps.isTimestamp(value)) {
                throw error("type mismatch: " + stringLiteral.describe + " is not a timestamp (expected e.g. "
                        + "2026-11-23T06:32:01.213Z)");
            }
            Instant instant = Timestamps.parse(value);
            return literalOf(instant, Kind.DATE, Timestamps.format(instant));
        }

        Expr in(Filter.In in) {
            Expr value = expr(in.value());
            List<Expr> items = new ArrayList<>();
            boolean hasNull = false;
            boolean allLiterals = true;
            for (Filter item : in.items()) {
                Expr e = expr(item);
                if (e.kind == Kind.NULL) {
                    hasNull = true;
                    continue;
                }
                allLiterals &= e.isLiteral;
                items.add(e);
            }
            if (value.kind == Kind.NULL) {
                return Expr.predicate(hasNull ? dialect.trueCondition() : dialect.falseCondition(), List.of());
            }
            if (!allLiterals || value.kind == Kind.JSON || value.kind == Kind.BOOLEAN && value.predicate) {
                Expr result = null;
                for (Expr item : items) {
                    Expr eq = comparison(ComparisonOperator.EQ, value, item);
                    result = result == null ? eq : Expr.predicate(result.sql + " OR " + eq.sql,
                            concat(result, eq));
                }
                if (hasNull) {
                    Expr isNull = nullComparison(ComparisonOperator.EQ, value, Expr.nullLiteral());
                    result = result == null ? isNull : Expr.predicate(result.sql + " OR " + isNull.sql,
                            concat(result, isNull));
                }
                return result;
            }
            StringBuilder sql = new StringBuilder();
            // The value's parameters only when its SQL is written (a list of nulls alone writes no comparison).
            List<Object> params = new ArrayList<>(items.isEmpty() ? List.of() : value.params);
            String valueSql = value.sql;
            StringBuilder list = new StringBuilder();
            for (Expr item : items) {
                Expr unified = unify(value, item, "in")[1];
                list.append(list.length() == 0 ? "" : ", ").append(unified.sql);
                params.addAll(unified.params);
            }
            if (items.isEmpty()) {
                sql.append(dialect.falseCondition());
            } else {
                String listSql = "(" + list + ")";
                sql.append(value.kind == Kind.STRING ? dialect.binaryCollation(valueSql) : valueSql).append(" IN ")
                        .append(listSql);
                if (value.nullable) {
                    sql.append(" AND ").append(valueSql).append(" IS NOT NULL");
                    params.addAll(value.params);
                }
            }
            if (hasNull && value.nullable) {
                return Expr.predicate("(" + sql + ") OR " + valueSql + " IS NULL", concat(params, value.params));
            }
            return Expr.predicate(sql.toString(), params);
        }

        Expr arithmetic(ArithmeticOperator op, Expr left, Expr right) {
            if (left.kind == Kind.NULL || right.kind == Kind.NULL) {
                if (left.kind != Kind.NULL) {
                    requireNumeric(left, op.odata());
                }
                if (right.kind != Kind.NULL) {
                    requireNumeric(right, op.odata());
                }
                return Expr.nullLiteral();
            }
            requireNumeric(left, op.odata());
            requireNumeric(right, op.odata());
            boolean integer = left.kind == Kind.INTEGER && right.kind == Kind.INTEGER;
            Kind kind = integer ? Kind.INTEGER : Kind.NUMBER;
            List<Object> params = concat(left, right);
            boolean nullable = left.nullable || right.nullable;
            String sql;
            switch (op) {
                case ADD:
                    sql = "(" + left.sql + " + " + right.sql + ")";
                    break;
                case SUB:
                    sql = "(" + left.sql + " - " + right.sql + ")";
                    break;
                case MUL:
                    sql = "(" + left.sql + " * " + right.sql + ")";
                    break;
                case DIV:
                    sql = integer ? dialect.integerDivide(left.sql, right.sql)
                            : dialect.numberDivide(left.sql, right.sql);
                    nullable = true;
                    break;
                case MOD:
                default:
                    sql = integer ? "(" + left.sql + " % NULLIF(" + right.sql + ", 0))"
                            : dialect.numberMod(left.sql, right.sql);
                    nullable = true;
                    break;
            }
            return new Expr(sql, params, kind, nullable, false, false, null,
                    "(" + left.describe + " " + op.odata() + " " + right.describe + ")");
        }

        private void requireNumeric(Expr expr, String what) {
            if (!expr.kind.numeric()) {
                throw error("type mismatch: '" + what + "' needs numbers but " + expr.describe + " is "
                        + expr.kind.text);
            }
        }

        Expr call(Filter.Call call) {
            Function function = call.function();
            List<Expr> args = new ArrayList<>();
            for (Filter argument : call.arguments()) {
                args.add(expr(argument));
            }
            String name = function.odataName();
            switch (function) {
                case CONTAINS:
                case STARTSWITH:
                case ENDSWITH:
                    return stringPredicate(function, args);
                case INDEXOF: {
                    requireKinds(name, args, Kind.STRING, Kind.STRING);
                    if (anyNull(args)) {
                        return Expr.nullLiteral();
                    }
                    return value("(" + dialect.position(args.get(0).sql, args.get(1).sql) + " - 1)", args,
                            Kind.INTEGER, name);
                }
                case SUBSTRING:
                    return substring(args);
                case TOLOWER:
                case TOUPPER:
                case TRIM:
                case LENGTH: {
                    requireKinds(name, args, Kind.STRING);
                    if (anyNull(args)) {
                        return Expr.nullLiteral();
                    }
                    String arg = args.get(0).sql;
                    String sql = function == Function.TOLOWER ? dialect.lower(arg)
                            : function == Function.TOUPPER ? dialect.upper(arg)
                            : function == Function.TRIM ? "trim(" + arg + ")" : "length(" + arg + ")";
                    return value(sql, args, function == Function.LENGTH ? Kind.INTEGER : Kind.STRING, name);
                }
                case CONCAT: {
                    requireKinds(name, args, Kind.STRING, Kind.STRING);
                    if (anyNull(args)) {
                        return Expr.nullLiteral();
                    }
                    return value("(" + args.get(0).sql + " || " + args.get(1).sql + ")", args, Kind.STRING, name);
                }
                case REPLACE: {
                    requireKinds(name, args, Kind.STRING, Kind.STRING, Kind.STRING);
                    if (anyNull(args)) {
                        return Expr.nullLiteral();
                    }
                    return value("replace(" + args.get(0).sql + ", " + args.get(1).sql + ", " + args.get(2).sql + ")",
                            args, Kind.STRING, name);
                }
                case YEAR:
                case MONTH:
                case DAY:
                case HOUR:
                case MINUTE:
                case SECOND: {
                    requireKinds(name, args, Kind.DATE);
                    if (anyNull(args)) {
                        return Expr.nullLiteral();
                    }
                    return value(dialect.datePart(args.get(0).sql, function.name()), args, Kind.INTEGER, name);
                }
                case FLOOR:
                case CEILING:
                case ROUND:
                default: {
                    if (args.get(0).kind == Kind.NULL) {
                        return Expr.nullLiteral();
                    }
                    requireNumeric(args.get(0), name);
                    Expr arg = args.get(0);
                    if (arg.kind == Kind.INTEGER) {
                        return arg;
                    }
                    String sql = function == Function.FLOOR ? "floor(" + arg.sql + ")"
                            : function == Function.CEILING ? "ceil(" + arg.sql + ")" : dialect.round(arg.sql);
                    return value(sql, args, Kind.NUMBER, name);
                }
            }
        }

        private Expr stringPredicate(Function function, List<Expr> args) {
            String name = function.odataName();
            requireKinds(name, args, Kind.STRING, Kind.STRING);
            if (anyNull(args)) {
                return Expr.predicate(dialect.falseCondition(), List.of());
            }
            Expr text = args.get(0);
            Expr needle = args.get(1);
            String condition;
            List<Object> params;
            switch (function) {
                case CONTAINS:
                    condition = dialect.position(text.sql, needle.sql) + " > 0";
                    params = concat(text, needle);
                    break;
                case STARTSWITH:
                    condition = dialect.binaryCollation("substr(" + text.sql + ", 1, length(" + needle.sql + "))")
                            + " = " + needle.sql;
                    params = concat(text.params, needle.params, needle.params);
                    break;
                case ENDSWITH:
                default:
                    condition = "length(" + text.sql + ") >= length(" + needle.sql + ") AND "
                            + dialect.binaryCollation("substr(" + text.sql + ", length(" + text.sql + ") - length("
                            + needle.sql + ") + 1)") + " = " + needle.sql;
                    params = concat(text.params, needle.params, text.params, text.params, needle.params,
                            needle.params);
                    break;
            }
            List<Object> all = new ArrayList<>(params);
            StringBuilder sql = new StringBuilder(condition);
            for (Expr arg : args) {
                if (arg.nullable) {
                    sql.append(" AND ").append(arg.sql).append(" IS NOT NULL");
                    all.addAll(arg.params);
                }
            }
            return Expr.predicate(sql.toString(), all);
        }

        private Expr substring(List<Expr> args) {
            Expr text = args.get(0);
            if (text.kind != Kind.NULL) {
                requireKind("substring", text, Kind.STRING, 1);
            }
            for (int i = 1; i < args.size(); i++) {
                if (args.get(i).kind != Kind.NULL) {
                    requireKind("substring", args.get(i), Kind.INTEGER, i + 1);
                }
            }
            if (anyNull(args)) {
                return Expr.nullLiteral();
            }
            String start = dialect.toSubstringInt("(" + dialect.greatest(args.get(1).sql, "0") + " + 1)");
            List<Object> params = concat(text, args.get(1));
            String length = null;
            if (args.size() == 3) {
                length = dialect.toSubstringInt(dialect.greatest(args.get(2).sql, "0"));
                params = concat(params, args.get(2).params);
            }
            return new Expr(dialect.substring(text.sql, start, length), params, Kind.STRING,
                    args.stream().anyMatch(Expr::nullable), false, false, null, "substring(…)");
        }

        private Expr value(String sql, List<Expr> args, Kind kind, String name) {
            List<Object> params = new ArrayList<>();
            boolean nullable = false;
            for (Expr arg : args) {
                params.addAll(arg.params);
                nullable |= arg.nullable;
            }
            return new Expr(sql, params, kind, nullable, false, false, null, name + "(…)");
        }

        private boolean anyNull(List<Expr> args) {
            return args.stream().anyMatch(a -> a.kind == Kind.NULL);
        }

        private void requireKinds(String function, List<Expr> args, Kind... kinds) {
            for (int i = 0; i < kinds.length; i++) {
                if (args.get(i).kind != Kind.NULL) {
                    requireKind(function, args.get(i), kinds[i], i + 1);
                }
            }
        }

        private void requireKind(String function, Expr arg, Kind kind, int position) {
            if (arg.kind != kind) {
                throw error("type mismatch: argument " + position + " of " + function + " must be " + kind.text
                        + " but " + arg.describe + " is " + arg.kind.text);
            }
        }
    }

    @SafeVarargs
    private static List<Object> concat(List<Object>... lists) {
        List<Object> all = new ArrayList<>();
        for (List<Object> list : lists) {
            all.addAll(list);
        }
        return all;
    }

    private static List<Object> concat(Expr a, Expr b) {
        return concat(a.params, b.params);
    }

    private static String abbreviate(String text) {
        String oneLine = text.replace('\n', ' ');
        return oneLine.length() <= 40 ? oneLine : oneLine.substring(0, 40) + "…";
    }
}
