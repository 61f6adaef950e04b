package dev.outpost.client.exception;

import dev.outpost.protocol.OutpostException;

/** A local update or delete of a record that is not in the local table (a pull may have removed it). */
public final class RecordNotFoundException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final String table;
    private final String itemId;

    /** The record {@code itemId} is not in local table {@code table}. */
    public RecordNotFoundException(String table, String itemId) {
        super("no record '" + itemId + "' in local table '" + table + "'");
        this.table = table;
        this.itemId = itemId;
    }

    /** The table. */
    public String table() {
        return table;
    }

    /** The record id. */
    public String itemId() {
        return itemId;
    }
}
