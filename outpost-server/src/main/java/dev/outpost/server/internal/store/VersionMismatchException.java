package dev.outpost.server.internal.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.outpost.protocol.OutpostException;

/** A write's version precondition ({@code If-Match} or a {@code version} in the body) does not match the record. */
public final class VersionMismatchException extends OutpostException {
    private static final long serialVersionUID = 1L;

    private final transient ObjectNode current;

    /** Creates the exception with the record as currently stored. */
    public VersionMismatchException(ObjectNode current) {
        super("The version of the item does not match");
        this.current = current;
    }

    /** The record as currently stored on the server. */
    public ObjectNode current() {
        return current;
    }
}
