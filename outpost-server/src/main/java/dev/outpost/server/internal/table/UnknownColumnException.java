package dev.outpost.server.internal.table;

import dev.outpost.protocol.OutpostException;

/** A record, {@code $filter}, {@code $orderby} or {@code $select} named a column the table does not have. */
public final class UnknownColumnException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final String table;
    private final String column;
    private final String parameter;

    /**
     * Creates the exception.
     *
     * @param table     the table
     * @param column    the unknown column as written
     * @param parameter where it was found: {@code $filter}, {@code $orderby}, {@code $select} or {@code body}
     */
    public UnknownColumnException(String table, String column, String parameter) {
        super("unknown column '" + UnknownTableException.abbreviate(column) + "' in " + parameter + " of table '"
                + table + "'");
        this.table = table;
        this.column = UnknownTableException.abbreviate(column);
        this.parameter = parameter;
    }

    /** The table. */
    public String table() {
        return table;
    }

    /** The unknown column as written (abbreviated when very long). */
    public String column() {
        return column;
    }

    /** Where the column was named: {@code $filter}, {@code $orderby}, {@code $select} or {@code body}. */
    public String parameter() {
        return parameter;
    }
}
