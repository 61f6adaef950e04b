package dev.outpost.protocol.query;

import java.util.Locale;

/**
 * The {@code $filter} functions Outpost supports, with their OData v4 names and argument counts.
 *
 * <p>v2's {@code substringof(needle, haystack)} is parsed into {@link #CONTAINS} with the arguments swapped, and
 * written back that way for v2.
 */
public enum Function {
    CONTAINS("contains", 2, 2),
    STARTSWITH("startswith", 2, 2),
    ENDSWITH("endswith", 2, 2),
    INDEXOF("indexof", 2, 2),
    SUBSTRING("substring", 2, 3),
    TOLOWER("tolower", 1, 1),
    TOUPPER("toupper", 1, 1),
    TRIM("trim", 1, 1),
    LENGTH("length", 1, 1),
    CONCAT("concat", 2, 2),
    REPLACE("replace", 3, 3),
    YEAR("year", 1, 1),
    MONTH("month", 1, 1),
    DAY("day", 1, 1),
    HOUR("hour", 1, 1),
    MINUTE("minute", 1, 1),
    SECOND("second", 1, 1),
    FLOOR("floor", 1, 1),
    CEILING("ceiling", 1, 1),
    ROUND("round", 1, 1);

    private final String odataName;
    private final int minArity;
    private final int maxArity;

    Function(String odataName, int minArity, int maxArity) {
        this.odataName = odataName;
        this.minArity = minArity;
        this.maxArity = maxArity;
    }

    /** The function's name in OData v4 ({@code contains} rather than v2's {@code substringof}). */
    public String odataName() {
        return odataName;
    }

    /** The smallest number of arguments the function takes. */
    public int minArity() {
        return minArity;
    }

    /** The largest number of arguments the function takes. */
    public int maxArity() {
        return maxArity;
    }

    /** Whether the function takes {@code count} arguments. */
    public boolean acceptsArity(int count) {
        return count >= minArity && count <= maxArity;
    }

    String arityText() {
        return minArity == maxArity ? Integer.toString(minArity) : minArity + " or " + maxArity;
    }

    /** Whether the function yields a string (as opposed to a number or boolean). */
    public boolean returnsString() {
        return this == SUBSTRING || this == TOLOWER || this == TOUPPER || this == TRIM || this == CONCAT
                || this == REPLACE;
    }

    /** Whether the function yields a boolean. */
    public boolean returnsBoolean() {
        return this == CONTAINS || this == STARTSWITH || this == ENDSWITH;
    }

    /** Finds a function by its OData name, ignoring case; {@code null} if there is none. */
    public static Function byName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Function f : values()) {
            if (f.odataName.equals(lower)) {
                return f;
            }
        }
        return null;
    }
}
