package dev.outpost.client.internal.http;

/**
 * The server refused a native pull's cursor as older than its tombstone horizon ({@code 410 cursorExpired}):
 * deletions after it may have been forgotten, so the table must be pulled again from the start. Internal: the pull
 * catches it and starts over.
 */
public final class CursorExpiredException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** {@code what} was refused, for the server's {@code reason}. */
    public CursorExpiredException(String what, String reason) {
        super(what + ": " + reason);
    }
}
