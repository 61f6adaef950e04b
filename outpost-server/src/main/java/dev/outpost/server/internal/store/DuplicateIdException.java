package dev.outpost.server.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.OutpostException;

/** An insert named an id that the table already has (tombstones included). */
public final class DuplicateIdException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final transient ObjectNode existing;

    /**
     * Creates the exception with the record already stored under the id, or {@code null} when the caller may not
     * see that record (nothing of it is told).
     */
    public DuplicateIdException(ObjectNode existing) {
        super("An item with this id already exists");
        this.existing = existing;
    }

    /** The record already stored under the id, or {@code null} when it is outside the caller's view. */
    public ObjectNode existing() {
        return existing;
    }
}
