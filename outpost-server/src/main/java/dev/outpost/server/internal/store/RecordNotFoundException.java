package dev.outpost.server.internal.store;

import dev.outpost.protocol.OutpostException;

/** A read or write named a record id that the table does not have. */
public final class RecordNotFoundException extends OutpostException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception. */
    public RecordNotFoundException() {
        super("The item does not exist");
    }
}
