package dev.outpost.server.internal.rows;

import dev.outpost.protocol.query.ComparisonOperator;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.FilterParser;
import dev.outpost.protocol.query.InvalidQueryException;
import dev.outpost.server.internal.auth.Caller;
import dev.outpost.server.internal.sql.FilterTranslator;
import dev.outpost.server.internal.sql.SqlFragment;
import dev.outpost.server.internal.store.RowScope;
import dev.outpost.server.internal.table.Column;
import dev.outpost.server.internal.table.ColumnType;
import dev.outpost.server.internal.table.Names;
import dev.outpost.server.internal.table.TableSchema;
import dev.outpost.server.internal.table.UnknownColumnException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A table's row rule: an OData filter over the record that may compare columns with the caller's claims
 * ({@code $user.id} is the user id, {@code $user.NAME} any claim of the token), such as
 * {@code tenantId eq $user.tenant} or {@code teamId in $user.teams} (an array claim). It is the data view of every
 * read; a write must find the stored record in the view and leave the new one in it. A column compared with a claim
 * is pinned (an update keeps its value, so that a row never leaves its owner's view unannounced) and, when the
 * comparison is {@code eq} or {@code in} at the top of the rule and the claim is a single value, set from the claim
 * on insert. A per-user table is the rule {@code userId eq $user.id}. Immutable, thread-safe.
 */
public final class RowRule {
    /** The property name that stands for {@code $user.NAME} in the parsed filter. */
    private static final String PLACEHOLDER = "outpost_user__";
    private static final Pattern VARIABLE = Pattern.compile("\\$user\\.([A-Za-z_][A-Za-z0-9_]{0,63})");
    private static final Pattern BARE_IN = Pattern.compile("(?:^|[\\s)])in\\s*$");

    /** A comparison of a column with a claim. */
    private record Use(String column, String claim, boolean stamps) {
    }

    private final String text;
    private final Filter filter;
    private final List<Use> uses;
    /** Whether the rule is only {@code column eq|in $user.NAME} terms joined by {@code and}. */
    private final boolean selfContained;
    /** The owner column when the rule comes from {@code perUser}, else {@code null}. */
    private final String ownerColumn;

    private RowRule(String text, Filter filter, List<Use> uses, boolean selfContained, String ownerColumn) {
        this.text = text;
        this.filter = filter;
        this.uses = List.copyOf(uses);
        this.selfContained = selfContained;
        this.ownerColumn = ownerColumn;
    }

    /** The rule of a per-user table whose owner column is {@code ownerColumn}. */
    public static RowRule perUser(String ownerColumn) {
        return parse(ownerColumn + " eq $user.id", ownerColumn);
    }

    /**
     * Parses a rule as written in the tables file.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public static RowRule parse(String text) {
        return parse(text, null);
    }

    /**
     * Parses a rule as the tables file gives it, {@code perUser} written out.
     *
     * @param ownerColumn the owner column of a per-user table ({@code perUser}), or {@code null}
     * @throws IllegalArgumentException saying what is wrong
     */
    public static RowRule parse(String text, String ownerColumn) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the rows rule is empty");
        }
        String rewritten = rewrite(text);
        Filter filter;
        try {
            filter = FilterParser.defaults().parseFilter(rewritten);
        } catch (InvalidQueryException e) {
            throw new IllegalArgumentException("rows rule '" + text + "' is not a valid filter: "
                    + e.getMessage().replace(PLACEHOLDER, "$user."));
        }
        List<Use> uses = new ArrayList<>();
        collect(filter, uses, text);
        if (uses.isEmpty()) {
            throw new IllegalArgumentException("rows rule '" + text + "' does not use the caller ($user.id or "
                    + "$user.CLAIM): it would show every signed-in user the same rows");
        }
        List<Filter> terms = new ArrayList<>();
        conjuncts(filter, terms);
        Set<String> stamped = new LinkedHashSet<>();
        boolean selfContained = true;
        for (Filter term : terms) {
            Use stamp = stamp(term);
            if (stamp == null || !stamped.add(Names.key(stamp.column()))) {
                selfContained = false;
                continue;
            }
            for (int i = 0; i < uses.size(); i++) {
                if (uses.get(i).column().equals(stamp.column()) && uses.get(i).claim().equals(stamp.claim())) {
                    uses.set(i, stamp);
                }
            }
        }
        return new RowRule(text, filter, uses, selfContained, ownerColumn);
    }

    /** The rule as written. */
    public String text() {
        return text;
    }

    /** The owner column of a per-user table ({@code perUser}), or {@code null} for a rule written as {@code rows}. */
    public String ownerColumn() {
        return ownerColumn;
    }

    /** The claims it uses ({@code id} for the user id). */
    public Set<String> claims() {
        Set<String> claims = new LinkedHashSet<>();
        uses.forEach(use -> claims.add(use.claim()));
        return claims;
    }

    /** The columns it compares with a claim (as written), which inserts may set and updates never change. */
    public Set<String> pinnedColumns() {
        Set<String> columns = new LinkedHashSet<>();
        uses.forEach(use -> columns.add(use.column()));
        return columns;
    }

    /**
     * Checks the rule against a declared table: every column it names exists, a column compared with a claim is
     * not a json column, and the rule is a condition of the right types.
     *
     * @throws IllegalArgumentException saying what is wrong
     */
    public void check(TableSchema schema, FilterTranslator translator) {
        Map<String, Object> dummies = new LinkedHashMap<>();
        for (Use use : uses) {
            Column column = schema.column(use.column());
            if (column == null) {
                throw new IllegalArgumentException("rows rule '" + text + "' names column '" + use.column()
                        + "', which the table does not have");
            }
            if (column.type() == ColumnType.JSON) {
                throw new IllegalArgumentException("rows rule '" + text + "' compares json column '" + use.column()
                        + "' with $user." + use.claim() + "; compare a string, number, boolean or date column");
            }
            dummies.put(use.claim() + "\n" + use.column(), dummy(column.type()));
        }
        try {
            translator.translate(substitute(filter, (claim, column) -> List.of(dummies.get(claim + "\n" + column))),
                    schema, text);
        } catch (UnknownColumnException e) {
            throw new IllegalArgumentException("rows rule '" + text + "' names column '" + e.column()
                    + "', which the table does not have");
        } catch (InvalidQueryException e) {
            throw new IllegalArgumentException("rows rule '" + text + "': " + e.getMessage()
                    .replace(PLACEHOLDER, "$user."));
        }
    }

    /**
     * The values an insert by {@code caller} takes from its claims, by column name (as written): those of the
     * columns the rule requires to equal a single-valued claim. Whatever the client sent for them is overwritten.
     */
    public Map<String, Object> stamps(Caller caller) {
        Map<String, Object> stamps = new LinkedHashMap<>();
        for (Use use : uses) {
            Object value = claim(caller, use.claim());
            if (use.stamps() && value != null && !(value instanceof Collection<?>) && !(value instanceof Map<?, ?>)) {
                stamps.put(use.column(), value instanceof java.util.Date date ? date.toInstant().toString() : value);
            }
        }
        return stamps;
    }

    /**
     * The rows of {@code schema} that {@code caller} (signed in) may see and change.
     *
     * @param nothing the SQL condition that is false for every row
     */
    public RowScope scope(Caller caller, TableSchema schema, FilterTranslator translator, String nothing) {
        Set<String> pinned = new LinkedHashSet<>();
        uses.forEach(use -> pinned.add(Names.key(use.column())));
        Map<String, List<Object>> values = new LinkedHashMap<>();
        boolean arrays = false;
        for (Use use : uses) {
            Column column = schema.column(use.column());
            Object claim = claim(caller, use.claim());
            List<Object> converted = column == null ? null : convert(claim, column.type());
            if (converted == null) {
                // A missing or unfitting claim, or a column the (dynamic) table does not have yet: no row is in view.
                return new RowScope(SqlFragment.of(nothing), pinned, true, true, owner(caller));
            }
            arrays |= claim instanceof Collection<?>;
            values.put(use.claim() + "\n" + use.column(), converted);
        }
        Filter bound = substitute(filter, (claim, column) -> values.get(claim + "\n" + column));
        SqlFragment view = translator.translate(bound, schema, text);
        return new RowScope(view, pinned, !selfContained || arrays, !selfContained, owner(caller));
    }

    /**
     * The user every row in {@code caller}'s view belongs to: the caller, when the rule sets a column from
     * {@code $user.id} at its top (a per-user table); else {@code null} (rows may be shared).
     */
    private String owner(Caller caller) {
        for (Use use : uses) {
            if (use.stamps() && use.claim().equals("id")) {
                return caller.userId();
            }
        }
        return null;
    }

    // --- parsing ----------------------------------------------------------------------------------------------

    /** The rule's text with every {@code $user.NAME} as a placeholder property (in parentheses after a bare in). */
    private static String rewrite(String text) {
        if (text.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException("rows rule '" + text + "' uses the reserved name " + PLACEHOLDER);
        }
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '\'') {
                int end = i + 1;
                while (end < text.length()) {
                    if (text.charAt(end) == '\'') {
                        if (end + 1 < text.length() && text.charAt(end + 1) == '\'') {
                            end += 2;
                            continue;
                        }
                        break;
                    }
                    end++;
                }
                end = Math.min(end + 1, text.length());
                out.append(text, i, end);
                i = end;
            } else if (c == '$') {
                Matcher matcher = VARIABLE.matcher(text).region(i, text.length());
                if (!matcher.lookingAt()) {
                    throw new IllegalArgumentException("rows rule '" + text + "' has '" + text.substring(i,
                            Math.min(text.length(), i + 12)) + "' at " + i + ": the only variables are $user.id "
                            + "and $user.CLAIM");
                }
                String placeholder = PLACEHOLDER + matcher.group(1);
                out.append(BARE_IN.matcher(out).find() ? "(" + placeholder + ")" : placeholder);
                i = matcher.end();
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    /** Every comparison of a column with a claim; a claim used any other way is refused. */
    private static void collect(Filter filter, List<Use> uses, String text) {
        if (filter instanceof Filter.And and) {
            collect(and.left(), uses, text);
            collect(and.right(), uses, text);
        } else if (filter instanceof Filter.Or or) {
            collect(or.left(), uses, text);
            collect(or.right(), uses, text);
        } else if (filter instanceof Filter.Not not) {
            collect(not.operand(), uses, text);
        } else if (filter instanceof Filter.Comparison comparison) {
            String left = claimOf(comparison.left());
            String right = claimOf(comparison.right());
            if (left != null && comparison.right() instanceof Filter.Property column && right == null) {
                uses.add(new Use(column.name(), left, false));
            } else if (right != null && comparison.left() instanceof Filter.Property column && left == null) {
                uses.add(new Use(column.name(), right, false));
            } else if (left != null || right != null) {
                throw misplaced(text);
            } else {
                refuseClaims(comparison.left(), text);
                refuseClaims(comparison.right(), text);
            }
        } else if (filter instanceof Filter.In in) {
            boolean anyClaim = false;
            for (Filter item : in.items()) {
                String claim = claimOf(item);
                if (claim != null) {
                    if (!(in.value() instanceof Filter.Property column) || claimOf(column) != null) {
                        throw misplaced(text);
                    }
                    uses.add(new Use(column.name(), claim, false));
                    anyClaim = true;
                } else {
                    refuseClaims(item, text);
                }
            }
            if (!anyClaim) {
                refuseClaims(in.value(), text);
            }
        } else {
            refuseClaims(filter, text);
        }
    }

    private static void refuseClaims(Filter filter, String text) {
        if (claimOf(filter) != null) {
            throw misplaced(text);
        }
        if (filter instanceof Filter.Call call) {
            call.arguments().forEach(argument -> refuseClaims(argument, text));
        } else if (filter instanceof Filter.Arithmetic arithmetic) {
            refuseClaims(arithmetic.left(), text);
            refuseClaims(arithmetic.right(), text);
        } else if (filter instanceof Filter.Negate negate) {
            refuseClaims(negate.operand(), text);
        } else if (filter instanceof Filter.Comparison || filter instanceof Filter.In || filter instanceof Filter.And
                || filter instanceof Filter.Or || filter instanceof Filter.Not) {
            collect(filter, new ArrayList<>(), text);
        }
    }

    private static IllegalArgumentException misplaced(String text) {
        return new IllegalArgumentException("rows rule '" + text + "' uses $user.… other than as 'column OP $user.NAME'"
                + " or 'column in $user.NAME'");
    }

    private static String claimOf(Filter filter) {
        return filter instanceof Filter.Property property && property.name().startsWith(PLACEHOLDER)
                ? property.name().substring(PLACEHOLDER.length()) : null;
    }

    private static void conjuncts(Filter filter, List<Filter> terms) {
        if (filter instanceof Filter.And and) {
            conjuncts(and.left(), terms);
            conjuncts(and.right(), terms);
        } else {
            terms.add(filter);
        }
    }

    /** The column and claim of a term {@code column eq $user.NAME} or {@code column in $user.NAME}, else null. */
    private static Use stamp(Filter term) {
        if (term instanceof Filter.Comparison comparison && comparison.operator() == ComparisonOperator.EQ) {
            if (comparison.left() instanceof Filter.Property column && claimOf(column) == null
                    && claimOf(comparison.right()) != null) {
                return new Use(column.name(), claimOf(comparison.right()), true);
            }
            if (comparison.right() instanceof Filter.Property column && claimOf(column) == null
                    && claimOf(comparison.left()) != null) {
                return new Use(column.name(), claimOf(comparison.left()), true);
            }
        } else if (term instanceof Filter.In in && in.items().size() == 1 && claimOf(in.items().get(0)) != null
                && in.value() instanceof Filter.Property column) {
            return new Use(column.name(), claimOf(in.items().get(0)), true);
        }
        return null;
    }

    // --- binding ----------------------------------------------------------------------------------------------

    /** The values of a claim compared with a column: one for a single value, any number for an array claim. */
    @FunctionalInterface
    private interface Values {
        List<Object> of(String claim, String column);
    }

    /** {@code filter} with every claim replaced by its values (a comparison with an empty array claim is false). */
    private static Filter substitute(Filter filter, Values values) {
        if (filter instanceof Filter.And and) {
            return new Filter.And(substitute(and.left(), values), substitute(and.right(), values));
        } else if (filter instanceof Filter.Or or) {
            return new Filter.Or(substitute(or.left(), values), substitute(or.right(), values));
        } else if (filter instanceof Filter.Not not) {
            return new Filter.Not(substitute(not.operand(), values));
        } else if (filter instanceof Filter.Comparison comparison) {
            String left = claimOf(comparison.left());
            String right = claimOf(comparison.right());
            if (left == null && right == null) {
                return comparison;
            }
            Filter.Property column = (Filter.Property) (left != null ? comparison.right() : comparison.left());
            List<Object> claimed = values.of(left != null ? left : right, column.name());
            if (claimed.isEmpty()) {
                return Filter.Literal.of(false);
            }
            Filter value = claimed.size() == 1 ? Filter.Literal.of(claimed.get(0)) : null;
            if (value == null) {
                // A comparison with an array claim: true for any of its values.
                Filter any = null;
                for (Object one : claimed) {
                    Filter term = left != null
                            ? new Filter.Comparison(comparison.operator(), Filter.Literal.of(one), column)
                            : new Filter.Comparison(comparison.operator(), column, Filter.Literal.of(one));
                    any = any == null ? term : new Filter.Or(any, term);
                }
                return any;
            }
            return left != null ? new Filter.Comparison(comparison.operator(), value, column)
                    : new Filter.Comparison(comparison.operator(), column, value);
        } else if (filter instanceof Filter.In in) {
            List<Filter> items = new ArrayList<>();
            for (Filter item : in.items()) {
                String claim = claimOf(item);
                if (claim == null) {
                    items.add(item);
                } else {
                    values.of(claim, ((Filter.Property) in.value()).name())
                            .forEach(value -> items.add(Filter.Literal.of(value)));
                }
            }
            return items.isEmpty() ? Filter.Literal.of(false) : new Filter.In(in.value(), items);
        }
        return filter;
    }

    private static Object claim(Caller caller, String name) {
        return name.equals("id") ? caller.userId() : caller.claims().get(name);
    }

    private static Object dummy(ColumnType type) {
        return switch (type) {
            case BOOLEAN -> Boolean.FALSE;
            case INTEGER -> 0L;
            case NUMBER -> BigDecimal.ONE.movePointLeft(1);
            case DATE -> Instant.EPOCH;
            default -> "";
        };
    }

    /** A claim's values as literals of a column's type, or {@code null} when it is missing or does not fit. */
    private static List<Object> convert(Object claim, ColumnType type) {
        if (claim == null || claim instanceof Map<?, ?>) {
            return null;
        }
        List<Object> values = new ArrayList<>();
        for (Object one : claim instanceof Collection<?> many ? many : List.of(claim)) {
            Object value = convertOne(one, type);
            if (value == null) {
                return null;
            }
            values.add(value);
        }
        return values;
    }

    private static Object convertOne(Object value, ColumnType type) {
        try {
            return switch (type) {
                case STRING -> value instanceof String || value instanceof Number || value instanceof Boolean
                        ? value.toString() : null;
                case BOOLEAN -> value instanceof Boolean ? value
                        : "true".equals(value) ? Boolean.TRUE : "false".equals(value) ? Boolean.FALSE : null;
                case INTEGER -> value instanceof Number number ? Long.valueOf(new BigDecimal(number.toString())
                        .longValueExact()) : value instanceof String s ? Long.valueOf(Long.parseLong(s)) : null;
                case NUMBER -> value instanceof Number || value instanceof String ? new BigDecimal(value.toString())
                        : null;
                case DATE -> value instanceof java.util.Date date ? date.toInstant()
                        : value instanceof String s ? Instant.parse(s) : null;
                default -> null;
            };
        } catch (ArithmeticException | NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }
}
