package dev.outpost.client.exception;

import dev.outpost.protocol.OutpostException;

/**
 * The local store could not do what was asked: the database file could not be opened or written, a statement
 * failed, or the file was made by a newer version of Outpost. Usually wraps a {@link java.sql.SQLException}.
 *
 * <p>When it is thrown from inside a transaction, that transaction has been rolled back: nothing it wrote is kept.
 */
public final class LocalStoreException extends OutpostException {
    private static final long serialVersionUID = 1L;

    /** A store failure with a message and its cause. */
    public LocalStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A store failure with a message. */
    public LocalStoreException(String message) {
        super(message);
    }
}
