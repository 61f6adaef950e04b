package dev.outpost.protocol.query;

import java.util.Objects;

/**
 * One {@code $orderby} key: a property and its direction.
 *
 * @param property   the property name
 * @param descending {@code true} for {@code desc}
 */
public record OrderBy(String property, boolean descending) {
    public OrderBy {
        Objects.requireNonNull(property, "property");
        if (property.isEmpty()) {
            throw new IllegalArgumentException("empty $orderby property");
        }
    }

    /** Ascending order by {@code property}. */
    public static OrderBy asc(String property) {
        return new OrderBy(property, false);
    }

    /** Descending order by {@code property}. */
    public static OrderBy desc(String property) {
        return new OrderBy(property, true);
    }
}
