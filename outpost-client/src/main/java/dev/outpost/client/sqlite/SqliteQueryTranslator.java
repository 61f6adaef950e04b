package dev.outpost.client.sqlite;

import dev.outpost.client.store.ColumnType;
import dev.outpost.client.store.TableDefinition;
import dev.outpost.protocol.SystemColumns;
import dev.outpost.protocol.query.Filter;
import dev.outpost.protocol.query.InvalidQueryException;
import dev.outpost.protocol.query.OrderBy;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Translates a query's {@link Filter}, sort keys and selection into SQLite for one local table, with the server's
 * semantics (its {@code FilterTranslator}), so that a local query answers as the server would on the same records,
 * or is refused.
 *
 * <p>The filter is type-checked as on the server: a comparison of unlike types ({@code year eq 'x'}), an ordering of
 * booleans, arithmetic on non-numbers, a function applied to the wrong type, a comparison of json values with
 * anything but null, and a filter that is not a condition are refused. So is a column the table does not define: the
 * store keeps undefined properties untyped with the records, and the type decides the answer ({@code div} of two
 * integers truncates, of a double it does not), so it cannot evaluate them as the server would.
 *
 * <p>The SQL has two-valued logic with C#/LINQ null semantics, as the server's: {@code x eq null} is
 * {@code IS NULL}, {@code null eq null} is true, {@code x ne 'a'} includes rows where {@code x} is null,
 * {@code gt ge lt le} with a null side are false, a function or arithmetic of null is null, and {@code not} flips a
 * true/false result. Every condition it builds is true or false, never NULL, so {@code not} is plain SQL
 * {@code NOT}. A number literal with a fraction or an exponent ({@code 60.0}) is a double, so
 * {@code duration div 60.0} divides as doubles. {@link FunctionCalls} has the functions. Values are always bind
 * parameters; identifiers come from the table definition and are quoted. Immutable, thread-safe.
 */
final class SqliteQueryTranslator {
    private static final Pattern PROPERTY_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final TableDefinition table;

    public SqliteQueryTranslator(TableDefinition table) {
        this.table = table;
    }

    /** Quotes an SQLite identifier. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    /**
     * The {@code WHERE} condition for {@code filter} (true or false for every row, never NULL), or {@code 1} for
     * none.
     *
     * @throws InvalidQueryException if the filter names a column the table does not define, is ill-typed, or is
     *                               not a condition; the message says which part and why
     */
    public SqlFragment where(Filter filter) {
        return filter == null ? SqlFragment.of("1") : new FilterTranslation(table, filter).condition();
    }

    /**
     * The {@code ORDER BY} list for {@code orderBy}, always ending with {@code id} as a tie-breaker. Nulls sort
     * first ascending and last descending, as on the server.
     *
     * @throws InvalidQueryException if a key names a column the table does not define, or a json column
     */
    public String orderBy(List<OrderBy> orderBy) {
        List<String> keys = new ArrayList<>();
        boolean hasId = false;
        for (OrderBy key : orderBy) {
            TableDefinition.Column column = key.property().indexOf('/') < 0 ? table.column(key.property()) : null;
            if (column == null) {
                throw new InvalidQueryException("$orderby", key.property(), -1, "cannot order by '" + key.property()
                        + "' locally: local table '" + table.name() + "' does not define it as a column; define it "
                        + "with TableDefinition.Builder.column to order by it");
            }
            if (column.type() == ColumnType.JSON) {
                throw new InvalidQueryException("$orderby", key.property(), -1, "cannot order by json column '"
                        + column.name() + "'");
            }
            hasId |= column.name().equals(SystemColumns.ID);
            keys.add(quote(column.name()) + (key.descending() ? " DESC" : ""));
        }
        if (!hasId) {
            keys.add(quote(SystemColumns.ID));
        }
        return String.join(", ", keys);
    }

    /**
     * Checks a {@code $select} list: each name must be a property name. A name the table defines is read from its
     * column; any other is read from the properties kept with the records.
     *
     * @throws InvalidQueryException if a name is not a property name (a member path, or text such as
     *                               {@code year rating})
     */
    public void checkSelection(List<String> selection) {
        for (String name : selection) {
            if (!PROPERTY_NAME.matcher(name).matches()) {
                throw new InvalidQueryException("$select", name, -1, "cannot select '"
                        + FilterTranslation.abbreviate(name) + "': not a property name (expected a letter or '_' "
                        + "followed by letters, digits or '_')");
            }
        }
    }
}
