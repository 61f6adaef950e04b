package dev.outpost.server.internal.table;

import java.util.Locale;
import java.util.Objects;

/**
 * One column of a table.
 *
 * @param name    the canonical spelling (the first one seen), used in JSON
 * @param sqlName the physical column name in the database (the name itself, or a shortened unique form when the
 *                name is longer than PostgreSQL's 63-byte limit)
 * @param type    the column's type
 * @param system  whether it is one of the system columns every record has
 */
public record Column(String name, String sqlName, ColumnType type, boolean system) {
    public Column {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(sqlName, "sqlName");
        Objects.requireNonNull(type, "type");
    }

    /** The lower-case name under which the column is looked up (names match case-insensitively). */
    public String key() {
        return name.toLowerCase(Locale.ROOT);
    }

    /** Whether a stored value may be SQL NULL: user columns may, system columns never. */
    public boolean nullable() {
        return !system;
    }
}
