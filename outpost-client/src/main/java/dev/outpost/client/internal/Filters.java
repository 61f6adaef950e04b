package dev.outpost.client.internal;

import dev.outpost.protocol.query.Filter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Filters the SDK builds for itself. */
public final class Filters {
    private Filters() {
    }

    /** {@code property in (values…)}; {@code values} must not be empty. */
    public static Filter in(String property, Collection<String> values) {
        List<Filter> literals = new ArrayList<>(values.size());
        for (String value : values) {
            literals.add(Filter.Literal.of(value));
        }
        return new Filter.In(new Filter.Property(property), literals);
    }
}
