package dev.outpost.server.internal.table;

import dev.outpost.protocol.OutpostException;

/** A request named a table that does not exist (or whose name is not a valid table name). */
public final class UnknownTableException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final String table;

    /** Creates the exception for {@code table}. */
    public UnknownTableException(String table) {
        super("table '" + abbreviate(table) + "' does not exist");
        this.table = abbreviate(table);
    }

    /** The table name as requested (abbreviated when very long). */
    public String table() {
        return table;
    }

    static String abbreviate(String text) {
        if (text == null) {
            return "";
        }
        return text.length() <= 80 ? text : text.substring(0, 80) + "…";
    }
}
