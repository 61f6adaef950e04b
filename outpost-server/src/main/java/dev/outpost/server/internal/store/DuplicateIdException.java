package dev.outpost.server.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.OutpostException;

/** An insert named an id that the table already has (tombstones included). */
public final class DuplicateIdException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final transient ObjectNode existing;

    /** Creates the exception with the record already stored under the id. */
    public DuplicateIdException(ObjectNode existing) {
        super("An item with this id already exists");
        this.existing = existing;
    }

    /** The record already stored under the id. */
    public ObjectNode existing() {
        return existing;
    }
}
