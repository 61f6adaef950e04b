package dev.outpost.protocol.query;

import dev.outpost.protocol.ProtocolVersion;
import dev.outpost.protocol.Timestamps;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Writes {@link Filter} trees and {@link OrderBy} lists back to OData text in the v2 or v3 dialect.
 *
 * <p>Every binary expression is parenthesised, as the official clients write them, so the text parses back to
 * the same tree. Dialect differences: v2 writes {@code substringof(needle, haystack)},
 * {@code datetimeoffset'…'} and expands {@code in} to {@code or}; v3 writes {@code contains},
 * {@code cast(…,Edm.DateTimeOffset)} and {@code in}. The text is not URL-encoded. Thread-safe.
 */
public final class FilterWriter {

    private FilterWriter() {
    }

    /** Writes {@code filter} in the given dialect. */
    public static String write(Filter filter, ProtocolVersion dialect) {
        StringBuilder out = new StringBuilder();
        write(filter, dialect, out);
        return out.toString();
    }

    /** Writes an {@code $orderby} value: {@code a,b desc}. */
    public static String writeOrderBy(List<OrderBy> orderBy) {
        StringBuilder out = new StringBuilder();
        for (OrderBy key : orderBy) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(key.property());
            if (key.descending()) {
                out.append(" desc");
            }
        }
        return out.toString();
    }

    /** Writes a literal value the way {@code $filter} spells it in the given dialect. */
    public static String literal(Object value, ProtocolVersion dialect) {
        StringBuilder out = new StringBuilder();
        writeLiteral(Filter.Literal.of(value).value(), dialect, out);
        return out.toString();
    }

    // Java 17 has no pattern matching in switch: the chain below covers every permitted subtype of Filter.
    private static void write(Filter filter, ProtocolVersion dialect, StringBuilder out) {
        if (filter instanceof Filter.And and) {
            binary(and.left(), "and", and.right(), dialect, out);
        } else if (filter instanceof Filter.Or or) {
            binary(or.left(), "or", or.right(), dialect, out);
        } else if (filter instanceof Filter.Comparison c) {
            binary(c.left(), c.operator().odata(), c.right(), dialect, out);
        } else if (filter instanceof Filter.Arithmetic a) {
            binary(a.left(), a.operator().odata(), a.right(), dialect, out);
        } else if (filter instanceof Filter.Not not) {
            out.append("not(");
            write(not.operand(), dialect, out);
            out.append(')');
        } else if (filter instanceof Filter.Negate negate) {
            out.append("-(");
            write(negate.operand(), dialect, out);
            out.append(')');
        } else if (filter instanceof Filter.In in) {
            writeIn(in, dialect, out);
        } else if (filter instanceof Filter.Call call) {
            writeCall(call, dialect, out);
        } else if (filter instanceof Filter.Property property) {
            out.append(property.name());
        } else if (filter instanceof Filter.Literal literal) {
            writeLiteral(literal.value(), dialect, out);
        } else {
            throw new IllegalStateException("unknown filter node " + filter.getClass().getName());
        }
    }

    private static void binary(Filter left, String operator, Filter right, ProtocolVersion dialect,
            StringBuilder out) {
        out.append('(');
        write(left, dialect, out);
        out.append(' ').append(operator).append(' ');
        write(right, dialect, out);
        out.append(')');
    }

    private static void writeIn(Filter.In in, ProtocolVersion dialect, StringBuilder out) {
        if (dialect == ProtocolVersion.V2) {
            Filter expanded = null;
            for (Filter item : in.items()) {
                Filter eq = new Filter.Comparison(ComparisonOperator.EQ, in.value(), item);
                expanded = expanded == null ? eq : new Filter.Or(expanded, eq);
            }
            write(expanded, dialect, out);
            return;
        }
        out.append('(');
        write(in.value(), dialect, out);
        out.append(" in (");
        for (int i = 0; i < in.items().size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            write(in.items().get(i), dialect, out);
        }
        out.append("))");
    }

    private static void writeCall(Filter.Call call, ProtocolVersion dialect, StringBuilder out) {
        List<Filter> arguments = call.arguments();
        if (call.function() == Function.CONTAINS && dialect == ProtocolVersion.V2) {
            out.append("substringof(");
            arguments = List.of(arguments.get(1), arguments.get(0));
        } else {
            out.append(call.function().odataName()).append('(');
        }
        for (int i = 0; i < arguments.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            write(arguments.get(i), dialect, out);
        }
        out.append(')');
    }

    private static void writeLiteral(Object value, ProtocolVersion dialect, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean b) {
            out.append(b ? "true" : "false");
        } else if (value instanceof Long l) {
            out.append(l);
        } else if (value instanceof BigDecimal d) {
            out.append(decimal(d));
        } else if (value instanceof String s) {
            out.append('\'').append(s.replace("'", "''")).append('\'');
        } else if (value instanceof Instant instant) {
            String text = Timestamps.format(instant);
            if (dialect == ProtocolVersion.V2) {
                out.append("datetimeoffset'").append(text).append('\'');
            } else {
                out.append("cast(").append(text).append(",Edm.DateTimeOffset)");
            }
        } else {
            throw new IllegalArgumentException("unsupported literal " + value.getClass().getName());
        }
    }

    /** A decimal always written with a '.' or an exponent, so that it reads back as a decimal, not an integer. */
    private static String decimal(BigDecimal value) {
        if (value.scale() < -20 || value.scale() > 40) {
            String text = value.toString();
            return text.indexOf('E') >= 0 || text.indexOf('.') >= 0 ? text : text + ".0";
        }
        String plain = value.toPlainString();
        return plain.indexOf('.') >= 0 ? plain : plain + ".0";
    }
}
