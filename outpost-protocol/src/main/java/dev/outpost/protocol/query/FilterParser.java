package dev.outpost.protocol.query;

import dev.outpost.protocol.Timestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Parses OData {@code $filter}, {@code $orderby} and {@code $select} text, in the v2 and v3 forms, into
 * {@link Filter} trees, {@link OrderBy} lists and property lists.
 *
 * <p>One parser reads both dialects: {@code substringof} and {@code contains}, {@code datetime'…'},
 * {@code datetimeoffset'…'} and {@code cast(…,Edm.DateTimeOffset)}, {@code in (…)}, and the number suffixes
 * {@code L M m D d F f}. Operator precedence is OData's: unary {@code -}/{@code not}, then {@code mul div mod},
 * {@code add sub}, {@code gt ge lt le in}, {@code eq ne}, {@code and}, {@code or}.
 *
 * <p>A parser refuses text longer than {@link Limits#maxLength()}, nested deeper than {@link Limits#maxDepth()}
 * or with more than {@link Limits#maxNodes()} nodes, so that hostile input costs little. Every error is an
 * {@link InvalidQueryException} naming the position and what was expected. Instances are immutable and
 * thread-safe.
 */
public final class FilterParser {

    /**
     * Bounds on what one {@code $filter} may cost.
     *
     * @param maxLength characters of text
     * @param maxDepth  nesting of parentheses, operators and calls
     * @param maxNodes  nodes in the tree
     */
    public record Limits(int maxLength, int maxDepth, int maxNodes) {
        /** 8,192 characters, depth 64, 1,000 nodes: generous for real apps, cheap for hostile input. */
        public static final Limits DEFAULT = new Limits(8192, 64, 1000);

        public Limits {
            if (maxLength < 1 || maxDepth < 1 || maxNodes < 1) {
                throw new IllegalArgumentException("limits must be positive: " + maxLength + ", " + maxDepth
                        + ", " + maxNodes);
            }
        }
    }

    private static final FilterParser DEFAULT = new FilterParser(Limits.DEFAULT);
    private static final Set<String> KEYWORDS = Set.of("and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le",
            "add", "sub", "mul", "div", "mod", "in", "true", "false", "null", "asc", "desc");
    private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Limits limits;

    public FilterParser(Limits limits) {
        this.limits = limits;
    }

    /** A parser with {@link Limits#DEFAULT}. */
    public static FilterParser defaults() {
        return DEFAULT;
    }

    /** The limits this parser enforces. */
    public Limits limits() {
        return limits;
    }

    /** Whether {@code word} is reserved in {@code $filter} and so cannot be written as a bare property name. */
    public static boolean isKeyword(String word) {
        return KEYWORDS.contains(word);
    }

    /**
     * Parses a {@code $filter} value.
     *
     * @throws InvalidQueryException if the text is empty, too long, too complex, or not a valid expression
     */
    public Filter parseFilter(String text) {
        checkLength("$filter", text);
        Run run = new Run(new Lexer("$filter", text));
        if (run.lexer.peek().kind() == Token.Kind.END) {
            throw run.lexer.error(0, "empty $filter");
        }
        Filter filter = run.parseOr();
        Token rest = run.lexer.peek();
        if (rest.kind() != Token.Kind.END) {
            throw run.lexer.error(rest.position(), "expected an operator or end of input but found "
                    + rest.describe());
        }
        return filter;
    }

    /**
     * Parses an {@code $orderby} value: a comma list of property names, each optionally followed by
     * {@code asc} or {@code desc}.
     *
     * @throws InvalidQueryException if the text is empty or malformed
     */
    public List<OrderBy> parseOrderBy(String text) {
        checkLength("$orderby", text);
        Lexer lexer = new Lexer("$orderby", text);
        List<OrderBy> keys = new ArrayList<>();
        while (true) {
            String property = readPath(lexer, "$orderby");
            boolean descending = false;
            Token token = lexer.peek();
            if (token.isWord("asc") || token.isWord("desc")) {
                descending = token.isWord("desc");
                lexer.next();
                token = lexer.peek();
            }
            keys.add(new OrderBy(property, descending));
            if (keys.size() > limits.maxNodes()) {
                throw lexer.error(token.position(), "too many $orderby keys (at most " + limits.maxNodes() + ")");
            }
            if (token.kind() == Token.Kind.END) {
                return List.copyOf(keys);
            }
            if (token.kind() != Token.Kind.COMMA) {
                throw lexer.error(token.position(), "expected ',', 'asc', 'desc' or end of input but found "
                        + token.describe());
            }
            lexer.next();
        }
    }

    /**
     * Parses a {@code $select} value: a comma list of property names.
     *
     * @throws InvalidQueryException if the text is empty or malformed
     */
    public List<String> parseSelect(String text) {
        checkLength("$select", text);
        Lexer lexer = new Lexer("$select", text);
        List<String> names = new ArrayList<>();
        while (true) {
            names.add(readPath(lexer, "$select"));
            Token token = lexer.next();
            if (token.kind() == Token.Kind.END) {
                return List.copyOf(names);
            }
            if (token.kind() != Token.Kind.COMMA) {
                throw lexer.error(token.position(), "expected ',' or end of input but found " + token.describe());
            }
        }
    }

    private String readPath(Lexer lexer, String parameter) {
        Token token = lexer.next();
        if (token.kind() != Token.Kind.IDENTIFIER || !IDENTIFIER.matcher(token.text()).matches()) {
            throw lexer.error(token.position(), "expected a property name in " + parameter + " but found "
                    + token.describe());
        }
        StringBuilder path = new StringBuilder(token.text());
        while (lexer.peek().kind() == Token.Kind.SLASH) {
            lexer.next();
            Token segment = lexer.next();
            if (segment.kind() != Token.Kind.IDENTIFIER || !IDENTIFIER.matcher(segment.text()).matches()) {
                throw lexer.error(segment.position(), "expected a property name after '/' but found "
                        + segment.describe());
            }
            path.append('/').append(segment.text());
        }
        return path.toString();
    }

    private void checkLength(String parameter, String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidQueryException(parameter, text == null ? "" : text, 0, "empty " + parameter);
        }
        if (text.length() > limits.maxLength()) {
            throw new InvalidQueryException(parameter, text.substring(0, 64) + "…", limits.maxLength(),
                    parameter + " is too long: " + text.length() + " characters (at most " + limits.maxLength()
                            + ")");
        }
    }

    /** The state of one parse. */
    private final class Run {
        private final Lexer lexer;
        private int depth;
        private int nodes;

        Run(Lexer lexer) {
            this.lexer = lexer;
        }

        Filter parseOr() {
            enter();
            Filter left = parseAnd();
            while (lexer.peek().isWord("or")) {
                lexer.next();
                left = node(new Filter.Or(left, parseAnd()));
            }
            leave();
            return left;
        }

        Filter parseAnd() {
            Filter left = parseEquality();
            while (lexer.peek().isWord("and")) {
                lexer.next();
                left = node(new Filter.And(left, parseEquality()));
            }
            return left;
        }

        Filter parseEquality() {
            Filter left = parseRelational();
            while (true) {
                Token token = lexer.peek();
                if (token.isWord("eq") || token.isWord("ne")) {
                    lexer.next();
                    ComparisonOperator op = ComparisonOperator.fromKeyword(token.text());
                    left = node(new Filter.Comparison(op, left, parseRelational()));
                } else {
                    return left;
                }
            }
        }

        Filter parseRelational() {
            Filter left = parseAdditive();
            while (true) {
                Token token = lexer.peek();
                if (token.isWord("gt") || token.isWord("ge") || token.isWord("lt") || token.isWord("le")) {
                    lexer.next();
                    ComparisonOperator op = ComparisonOperator.fromKeyword(token.text());
                    left = node(new Filter.Comparison(op, left, parseAdditive()));
                } else if (token.isWord("in")) {
                    lexer.next();
                    left = node(new Filter.In(left, parseInList()));
                } else {
                    return left;
                }
            }
        }

        List<Filter> parseInList() {
            expect(Token.Kind.LEFT_PAREN, "'(' after 'in'");
            List<Filter> items = new ArrayList<>();
            while (true) {
                items.add(parseOr());
                Token token = lexer.next();
                if (token.kind() == Token.Kind.RIGHT_PAREN) {
                    return items;
                }
                if (token.kind() != Token.Kind.COMMA) {
                    throw lexer.error(token.position(), "expected ',' or ')' in the 'in' list but found "
                            + token.describe());
                }
            }
        }

        Filter parseAdditive() {
            Filter left = parseMultiplicative();
            while (true) {
                Token token = lexer.peek();
                if (token.isWord("add") || token.isWord("sub")) {
                    lexer.next();
                    ArithmeticOperator op = ArithmeticOperator.fromKeyword(token.text());
                    left = node(new Filter.Arithmetic(op, left, parseMultiplicative()));
                } else {
                    return left;
                }
            }
        }

        Filter parseMultiplicative() {
            Filter left = parseUnary();
            while (true) {
                Token token = lexer.peek();
                if (token.isWord("mul") || token.isWord("div") || token.isWord("mod")) {
                    lexer.next();
                    ArithmeticOperator op = ArithmeticOperator.fromKeyword(token.text());
                    left = node(new Filter.Arithmetic(op, left, parseUnary()));
                } else {
                    return left;
                }
            }
        }

        Filter parseUnary() {
            Token token = lexer.peek();
            if (token.isWord("not")) {
                lexer.next();
                enter();
                Filter operand = parseUnary();
                leave();
                return node(new Filter.Not(operand));
            }
            if (token.kind() == Token.Kind.MINUS) {
                lexer.next();
                Token after = lexer.peek();
                if (after.kind() == Token.Kind.NUMBER && after.position() == token.end()) {
                    lexer.next();
                    return node(number(after, true));
                }
                enter();
                Filter operand = parseUnary();
                leave();
                return node(new Filter.Negate(operand));
            }
            return parsePrimary();
        }

        Filter parsePrimary() {
            Token token = lexer.next();
            switch (token.kind()) {
                case LEFT_PAREN -> {
                    Filter inner = parseOr();
                    expect(Token.Kind.RIGHT_PAREN, "')'");
                    return inner;
                }
                case STRING -> {
                    return node(Filter.Literal.of(token.text()));
                }
                case TYPED_STRING -> {
                    return node(typedLiteral(token));
                }
                case NUMBER -> {
                    return node(number(token, false));
                }
                case IDENTIFIER -> {
                    return identifier(token);
                }
                default -> throw lexer.error(token.position(), "expected an expression but found "
                        + token.describe());
            }
        }

        private Filter identifier(Token token) {
            String word = token.text();
            switch (word) {
                case "true":
                    return node(Filter.Literal.of(Boolean.TRUE));
                case "false":
                    return node(Filter.Literal.of(Boolean.FALSE));
                case "null":
                    return node(Filter.Literal.NULL);
                default:
                    break;
            }
            if (lexer.peek().kind() == Token.Kind.LEFT_PAREN) {
                return call(token);
            }
            if (KEYWORDS.contains(word)) {
                throw lexer.error(token.position(), "expected an expression but found '" + word + "'");
            }
            if (!IDENTIFIER.matcher(word).matches()) {
                throw lexer.error(token.position(), "'" + word + "' is not a property name");
            }
            StringBuilder path = new StringBuilder(word);
            while (lexer.peek().kind() == Token.Kind.SLASH) {
                lexer.next();
                Token segment = lexer.next();
                if (segment.kind() != Token.Kind.IDENTIFIER || !IDENTIFIER.matcher(segment.text()).matches()) {
                    throw lexer.error(segment.position(), "expected a property name after '/' but found "
                            + segment.describe());
                }
                path.append('/').append(segment.text());
            }
            return node(new Filter.Property(path.toString()));
        }

        private Filter call(Token name) {
            String lower = name.text().toLowerCase(Locale.ROOT);
            if (lower.equals("cast")) {
                return cast(name);
            }
            boolean substringOf = lower.equals("substringof");
            Function function = substringOf ? Function.CONTAINS : Function.byName(name.text());
            if (function == null) {
                throw lexer.error(name.position(), "unknown function '" + name.text() + "'");
            }
            lexer.next(); // (
            List<Filter> arguments = new ArrayList<>();
            if (lexer.peek().kind() != Token.Kind.RIGHT_PAREN) {
                while (true) {
                    arguments.add(parseOr());
                    Token token = lexer.next();
                    if (token.kind() == Token.Kind.RIGHT_PAREN) {
                        break;
                    }
                    if (token.kind() != Token.Kind.COMMA) {
                        throw lexer.error(token.position(), "expected ',' or ')' in the arguments of "
                                + name.text() + " but found " + token.describe());
                    }
                }
            } else {
                lexer.next();
            }
            if (!function.acceptsArity(arguments.size())) {
                throw lexer.error(name.position(), name.text() + " takes " + function.arityText()
                        + " argument(s), not " + arguments.size());
            }
            if (substringOf) {
                arguments = List.of(arguments.get(1), arguments.get(0));
            }
            return node(new Filter.Call(function, arguments));
        }

        /** {@code cast(<literal>, Edm.DateTimeOffset|Edm.Date|Edm.String|Edm.Guid|…)} of a literal. */
        private Filter cast(Token name) {
            lexer.next(); // (
            int valueAt = lexer.position();
            String raw;
            if (lexer.peek().kind() == Token.Kind.STRING) {
                raw = lexer.next().text();
            } else {
                raw = lexer.rawUntilComma();
            }
            expect(Token.Kind.COMMA, "',' in cast(value, type)");
            Token type = lexer.next();
            if (type.kind() != Token.Kind.IDENTIFIER) {
                throw lexer.error(type.position(), "expected an Edm type name but found " + type.describe());
            }
            expect(Token.Kind.RIGHT_PAREN, "')' after the cast type");
            Object value = switch (type.text()) {
                case "Edm.DateTimeOffset", "Edm.DateTime" -> timestamp(raw, valueAt);
                case "Edm.Date" -> date(raw, valueAt);
                case "Edm.String" -> raw;
                case "Edm.Guid" -> guid(raw, valueAt);
                default -> throw lexer.error(type.position(), "unsupported cast type '" + type.text()
                        + "' (expected Edm.DateTimeOffset, Edm.Date, Edm.Guid or Edm.String)");
            };
            return node(Filter.Literal.of(value));
        }

        private Filter typedLiteral(Token token) {
            String prefix = token.prefix().toLowerCase(Locale.ROOT);
            return switch (prefix) {
                case "datetime", "datetimeoffset" -> Filter.Literal.of(timestamp(token.text(), token.position()));
                case "guid" -> Filter.Literal.of(guid(token.text(), token.position()));
                case "date" -> Filter.Literal.of(date(token.text(), token.position()));
                default -> throw lexer.error(token.position(), "unsupported literal type '" + token.prefix()
                        + "' (expected datetime, datetimeoffset or guid)");
            };
        }

        private Instant timestamp(String text, int position) {
            if (DATE.matcher(text).matches()) {
                return date(text, position);
            }
            try {
                return Timestamps.parse(text);
            } catch (IllegalArgumentException e) {
                throw lexer.error(position, "invalid timestamp '" + abbreviate(text)
                        + "' (expected e.g. 2026-11-23T06:32:01.213Z)");
            }
        }

        private Instant date(String text, int position) {
            try {
                if (!DATE.matcher(text).matches()) {
                    throw new DateTimeParseException("not a date", text, 0);
                }
                return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw lexer.error(position, "invalid date '" + abbreviate(text) + "' (expected e.g. 2026-11-23)");
            }
        }

        private String guid(String text, int position) {
            try {
                if (text.length() != 36) {
                    throw new IllegalArgumentException();
                }
                return UUID.fromString(text).toString();
            } catch (IllegalArgumentException e) {
                throw lexer.error(position, "invalid guid '" + abbreviate(text) + "'");
            }
        }

        private Filter.Literal number(Token token, boolean negative) {
            String text = negative ? "-" + token.text() : token.text();
            String suffix = token.prefix();
            boolean decimal = text.indexOf('.') >= 0 || text.indexOf('e') >= 0 || text.indexOf('E') >= 0
                    || (suffix != null && "MmDdFf".contains(suffix));
            if (suffix != null && "Ll".contains(suffix) && decimal) {
                throw lexer.error(token.position(), "'L' suffix on a number that is not an integer");
            }
            try {
                if (!decimal) {
                    try {
                        return Filter.Literal.of(Long.parseLong(text));
                    } catch (NumberFormatException e) {
                        return Filter.Literal.of(new BigDecimal(text));
                    }
                }
                BigDecimal value = new BigDecimal(text);
                if (value.scale() < -10_000 || value.scale() > 10_000) {
                    throw new NumberFormatException("exponent out of range");
                }
                return Filter.Literal.of(value);
            } catch (NumberFormatException e) {
                throw lexer.error(token.position(), "invalid number '" + abbreviate(text) + "'");
            }
        }

        private void expect(Token.Kind kind, String what) {
            Token token = lexer.next();
            if (token.kind() != kind) {
                throw lexer.error(token.position(), "expected " + what + " but found " + token.describe());
            }
        }

        private Filter node(Filter filter) {
            if (++nodes > limits.maxNodes()) {
                throw lexer.error(lexer.position(), "$filter is too complex: more than " + limits.maxNodes()
                        + " nodes");
            }
            return filter;
        }

        private void enter() {
            if (++depth > limits.maxDepth()) {
                throw lexer.error(lexer.position(), "$filter is nested too deeply: more than " + limits.maxDepth()
                        + " levels");
            }
        }

        private void leave() {
            depth--;
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
