package dev.outpost.protocol;

/**
 * The root of every exception Outpost throws, so that an application can catch all of Outpost in one place.
 *
 * <p>Outpost's public API declares no checked exceptions. Each module's exceptions extend this class and carry
 * structured fields (table, column, position, status) besides their message. Messages name what was wrong and
 * with which value, but never contain record contents.
 */
public abstract class OutpostException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    protected OutpostException(String message) {
        super(message);
    }

    protected OutpostException(String message, Throwable cause) {
        super(message, cause);
    }
}
