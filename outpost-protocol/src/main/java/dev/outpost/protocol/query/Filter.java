package dev.outpost.protocol.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A {@code $filter} expression as an immutable syntax tree.
 *
 * <p>The tree is the same whichever dialect the text was written in: v2's {@code substringof(needle, haystack)}
 * becomes {@code Call(CONTAINS, [haystack, needle])}, and {@code datetime'…'}, {@code datetimeoffset'…'} and
 * {@code cast(…,Edm.DateTimeOffset)} all become a {@link Literal} holding an {@link Instant}. Parse text with
 * {@link FilterParser}; write it back with {@link FilterWriter}. The tree checks syntax only: whether a property
 * exists or a function fits its arguments' types is for whoever evaluates it.
 */
public sealed interface Filter {

    /** {@code left and right}. */
    record And(Filter left, Filter right) implements Filter {
        public And {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code left or right}. */
    record Or(Filter left, Filter right) implements Filter {
        public Or {
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code not operand}. */
    record Not(Filter operand) implements Filter {
        public Not {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** {@code left eq|ne|gt|ge|lt|le right}. */
    record Comparison(ComparisonOperator operator, Filter left, Filter right) implements Filter {
        public Comparison {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** {@code left add|sub|mul|div|mod right}. */
    record Arithmetic(ArithmeticOperator operator, Filter left, Filter right) implements Filter {
        public Arithmetic {
            Objects.requireNonNull(operator, "operator");
            Objects.requireNonNull(left, "left");
            Objects.requireNonNull(right, "right");
        }
    }

    /** Unary minus applied to an expression other than a number literal ({@code -5} is a literal). */
    record Negate(Filter operand) implements Filter {
        public Negate {
            Objects.requireNonNull(operand, "operand");
        }
    }

    /** {@code value in (item, …)} (OData v4). */
    record In(Filter value, List<Filter> items) implements Filter {
        public In {
            Objects.requireNonNull(value, "value");
            items = List.copyOf(items);
            if (items.isEmpty()) {
                throw new IllegalArgumentException("'in' needs at least one item");
            }
        }
    }

    /** A call of one of the supported functions, with its arguments in OData v4 order. */
    record Call(Function function, List<Filter> arguments) implements Filter {
        public Call {
            Objects.requireNonNull(function, "function");
            arguments = List.copyOf(arguments);
            if (!function.acceptsArity(arguments.size())) {
                throw new IllegalArgumentException(function.odataName() + " takes " + function.arityText()
                        + " argument(s), not " + arguments.size());
            }
        }
    }

    /**
     * A property (column) reference. Member paths ({@code address/city}) keep their {@code /} separators.
     *
     * @param name the property name as written
     */
    record Property(String name) implements Filter {
        public Property {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("empty property name");
            }
        }
    }

    /**
     * A constant. Its value is one of: {@code null}, {@link Boolean}, {@link Long} (integers that fit),
     * {@link BigDecimal} (other numbers, with trailing zeros stripped), {@link String}, or {@link Instant}
     * (timestamps, at millisecond precision).
     *
     * @param value the constant, normalized as above
     */
    record Literal(Object value) implements Filter {
        /** The {@code null} literal. */
        public static final Literal NULL = new Literal(null);

        public Literal {
            if (value instanceof BigDecimal decimal) {
                value = normalize(decimal);
            } else if (value instanceof Integer i) {
                value = i.longValue();
            } else if (value instanceof Double d) {
                if (d.isNaN() || d.isInfinite()) {
                    throw new IllegalArgumentException("not a finite number: " + d);
                }
                value = normalize(BigDecimal.valueOf(d));
            } else if (value instanceof Instant instant) {
                value = Instant.ofEpochMilli(instant.toEpochMilli());
            } else if (value != null && !(value instanceof Boolean || value instanceof Long
                    || value instanceof String)) {
                throw new IllegalArgumentException("unsupported literal type " + value.getClass().getName());
            }
        }

        private static Object normalize(BigDecimal decimal) {
            BigDecimal stripped = decimal.signum() == 0 ? BigDecimal.ZERO : decimal.stripTrailingZeros();
            return stripped;
        }

        /** A literal of the given value; see the record description for the accepted types. */
        public static Literal of(Object value) {
            return value == null ? NULL : new Literal(value);
        }
    }
}
