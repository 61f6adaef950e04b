package dev.outpost.server.internal.store;

import dev.outpost.protocol.OutpostException;
import java.sql.SQLException;

/** The database failed or could not be reached; wraps the {@link SQLException}. */
public final class StoreException extends OutpostException {
    private static final long serialVersionUID = 1L;

    /** What kind of failure it was, for the HTTP answer. */
    public enum Kind {
        /** The database refused a value computed from the request (overflow, invalid cast): a 400. */
        BAD_DATA,
        /** No connection could be had: a 503. */
        UNAVAILABLE,
        /** Anything else: a 500. */
        FAILURE
    }

    private final Kind kind;

    /** Wraps {@code cause}. */
    public StoreException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    /** What kind of failure it was. */
    public Kind kind() {
        return kind;
    }
}
