package dev.outpost.server.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.OutpostException;

/** A read or write named a soft-deleted record (a tombstone) without asking for deleted records. */
public final class RecordGoneException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final transient ObjectNode tombstone;

    /** Creates the exception with the tombstone as stored. */
    public RecordGoneException(ObjectNode tombstone) {
        super("The item has been deleted");
        this.tombstone = tombstone;
    }

    /** The tombstone as stored. */
    public ObjectNode tombstone() {
        return tombstone;
    }
}
